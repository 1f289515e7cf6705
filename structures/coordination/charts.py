"""Charts drawn on the server as SVG: bars, columns and a line, with their text alternative.

Each function returns the geometry that templates/structures/coordination/_chart.html
draws; no JavaScript, nothing fetched, so the charts print and show in the PDF report.
Every value drawn is also written in the chart's data table, next to it.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 230  # horizontal bars: the column of labels
ROW_HEIGHT = 30
COLUMNS_HEIGHT = 240
MARGIN = 28
MAX_WRITTEN = 12  # columns and points: beyond, only some labels are written (no overlap)
LABEL_CHARS = 28  # a longer label is shortened in the chart (the table has it in full)


@dataclass
class Mark:
    label: str  # full label
    short: str  # as drawn
    value: float
    text: str  # the value as drawn and spoken
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0  # where the label is written
    label_y: float = 0
    value_x: float = 0  # where the value is written
    value_y: float = 0
    written: bool = True  # label and value written (every mark has its value as a tooltip)


@dataclass
class Chart:
    kind: str  # "bars", "columns", "line"
    slug: str
    title: str
    description: str
    width: int
    height: int
    marks: list[Mark]
    gridlines: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    plot_left: float = 50
    plot_right: float = WIDTH - 10
    polyline: str = ""


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _number(value: float, unit: str) -> str:
    text = f"{value:g}".replace(".", ",")
    return f"{text}{unit}"


def _description(intro: str, marks: list[Mark]) -> str:
    if not marks:
        return f"{intro} : aucune donnée pour cette période."
    return f"{intro} : " + " ; ".join(f"{mark.label} : {mark.text}" for mark in marks) + "."


def bars_chart(*, slug: str, title: str, items: list[tuple[str, float]], unit: str = "") -> Chart:
    """Horizontal bars, one per item, labelled on the left, the value at the bar's end."""
    top = max((value for _, value in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70  # the value is written after the bar
    marks = []
    for index, (label, value) in enumerate(items):
        marks.append(
            Mark(
                label=label,
                short=_short(label),
                value=value,
                text=_number(value, unit),
                x=LABEL_WIDTH,
                y=MARGIN / 2 + index * ROW_HEIGHT,
                width=round(room * value / top, 1),
                height=ROW_HEIGHT - 8,
            )
        )
    for mark in marks:
        mark.label_x, mark.label_y = LABEL_WIDTH - 8, round(mark.y + mark.height * 0.7, 1)
        mark.value_x, mark.value_y = round(mark.x + mark.width + 6, 1), mark.label_y
    height = int(MARGIN + len(items) * ROW_HEIGHT) if items else 60
    return Chart("bars", slug, title, _description(title, marks), WIDTH, height, marks)


def nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ times 4 above `value`: gridlines at round numbers."""
    step = 1.0
    while step * 4 < value:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20…
            step *= factor
            if step * 4 >= value:
                break
    return step * 4


def _gridlines(top: float, plot_top: float, plot_height: float, unit: str):
    steps = [top * share / 4 for share in range(5)]
    return [
        (round(plot_top + plot_height * (1 - step / top), 1), _number(round(step, 1), unit))
        for step in steps
    ]


def _vertical(kind, *, slug, title, items, shorts, top, unit) -> Chart:
    """Columns or a line: one slot per item, the value above, the (short) label below."""
    plot_top, plot_height, left = MARGIN, COLUMNS_HEIGHT - 2 * MARGIN - 20, 50
    slot = (WIDTH - left - 10) / max(len(items), 1)
    shorts = shorts or [_short(label, 9) for label, _ in items]
    marks = []
    for index, ((label, value), short) in enumerate(zip(items, shorts, strict=True)):
        middle = left + index * slot + slot / 2
        y = round(plot_top + plot_height * (1 - value / top), 1)
        mark = Mark(label=label, short=short, value=value, text=_number(value, unit))
        mark.x, mark.y = (
            (round(middle - slot * 0.35, 1), y) if kind == "columns" else (round(middle, 1), y)
        )
        mark.width = round(slot * 0.7, 1)
        mark.height = round(plot_top + plot_height - y, 1)
        mark.label_x, mark.label_y = round(middle, 1), plot_top + plot_height + 18
        mark.value_x, mark.value_y = round(middle, 1), round(y - (5 if kind == "columns" else 9), 1)
        mark.written = index % -(-len(items) // MAX_WRITTEN) == 0  # 1 in ceil(n / 12)
        marks.append(mark)
    chart = Chart(kind, slug, title, _description(title, marks), WIDTH, COLUMNS_HEIGHT, marks)
    chart.gridlines = _gridlines(top, plot_top, plot_height, unit)
    chart.plot_left = left
    if kind == "line":
        chart.polyline = " ".join(f"{mark.x},{mark.y}" for mark in marks)
    return chart


def columns_chart(
    *,
    slug: str,
    title: str,
    items: list[tuple[str, float]],
    shorts: list[str] | None = None,
    unit: str = "",
) -> Chart:
    """Vertical columns (one per month), the value above each, the label below."""
    top = nice_top(max((value for _, value in items), default=0))
    return _vertical(
        "columns", slug=slug, title=title, items=items, shorts=shorts, top=top, unit=unit
    )


def line_chart(
    *,
    slug: str,
    title: str,
    items: list[tuple[str, float]],
    shorts: list[str] | None = None,
    top: float = 100,
    unit: str = " %",
) -> Chart:
    """A line through one point per date, on a scale from 0 to `top`."""
    return _vertical("line", slug=slug, title=title, items=items, shorts=shorts, top=top, unit=unit)
