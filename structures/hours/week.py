"""Weekly opening hours as data, stored in the OpenStreetMap `opening_hours` syntax.

A Week is what the weekly form shows: for each day, its time slots (each optionally « sur
rendez-vous » or « sans rendez-vous ») and whether the place closes on public holidays.
Week.to_osm() writes the OSM string that the database, the exports and data·inclusion
keep; Week.from_osm() reads any OSM string back by asking the library what it opens on a
reference week without public holidays (so an imported string is read as it is meant,
whatever its spelling), and on French public holidays.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from opening_hours import OpeningHours, ParserError, State, validate

from ..enums import SlotMode

COUNTRY = "FR"
DAY_CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MINUTES_PER_DAY = 24 * 60
# Long enough for any week of the form; short enough for a database index (the filter).
MAX_OSM_LENGTH = 500

# A week of 2024 without a French public holiday (Monday 8 to Sunday 14 January), and one
# public holiday for each day of the week.
REFERENCE_MONDAY = date(2024, 1, 8)
HOLIDAY_BY_WEEKDAY = [
    date(2024, 1, 1),  # Monday, jour de l'an
    date(2025, 11, 11),  # Tuesday, armistice
    date(2024, 12, 25),  # Wednesday, Noël
    date(2024, 8, 15),  # Thursday, Assomption
    date(2024, 11, 1),  # Friday, Toussaint
    date(2025, 11, 1),  # Saturday, Toussaint
    date(2024, 7, 14),  # Sunday, fête nationale
]


def clock(minutes: int) -> str:
    """08:30 (the OSM form of a time of day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, order=True)
class Slot:
    """From start to end, in minutes after midnight; an end before the start is the next
    day's (a night shelter: 18:00–09:00)."""

    start: int
    end: int
    mode: str = ""  # a SlotMode, or "" when the fiche does not say

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def to_osm(self) -> str:
        return f"{clock(self.start)}-{clock(self.end % MINUTES_PER_DAY or MINUTES_PER_DAY)}"


@dataclass(frozen=True)
class Week:
    days: tuple[tuple[Slot, ...], ...] = field(default_factory=lambda: ((),) * 7)
    closed_on_holidays: bool = True

    @property
    def is_empty(self) -> bool:
        return not any(self.days)

    def to_osm(self, *, prefix: str = "") -> str:
        """The OSM string: days with the same slots share a rule ("Mo-Fr 09:00-12:00"),
        a slot with its own mode gets a rule of its own, joined by the additional rule
        separator ", " so that the rules of a same day add up."""
        if self.is_empty:
            return ""
        rules = []
        for days, slots in _same_slot_days(self.days):
            selector = prefix + days_selector(days)
            modes = {slot.mode for slot in slots}
            if len(modes) == 1:
                times = ",".join(slot.to_osm() for slot in slots)
                rules.append(_rule(selector, times, slots[0].mode))
            else:
                rules.extend(_rule(selector, slot.to_osm(), slot.mode) for slot in slots)
        text = ", ".join(rules)
        if self.closed_on_holidays:
            text += f"; {prefix}PH off"
        return text

    @classmethod
    def from_osm(cls, text: str) -> "Week":
        return week_from_osm(text or "")


def _rule(selector: str, times: str, mode: str) -> str:
    return f'{selector} {times} "{mode}"' if mode else f"{selector} {times}"


def _same_slot_days(days) -> list[tuple[list[int], tuple[Slot, ...]]]:
    groups: dict[tuple[Slot, ...], list[int]] = {}
    for index, slots in enumerate(days):
        if slots:
            groups.setdefault(slots, []).append(index)
    return [(indexes, slots) for slots, indexes in groups.items()]


def day_runs(days: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 4] -> [(0, 2), (4, 4)]: the runs of consecutive days."""
    runs = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def days_selector(days: list[int]) -> str:
    parts = []
    for first, last in day_runs(days):
        if first == last:
            parts.append(DAY_CODES[first])
        elif last == first + 1:
            parts.append(f"{DAY_CODES[first]},{DAY_CODES[last]}")
        else:
            parts.append(f"{DAY_CODES[first]}-{DAY_CODES[last]}")
    return ",".join(parts)


def opening_hours(text: str) -> OpeningHours:
    """The library's object for an OSM string, with the French public holidays."""
    return OpeningHours(text, country=COUNTRY, auto_country=False, auto_timezone=False)


def _open_intervals(expression: OpeningHours, start: datetime, end: datetime):
    for begin, finish, state, comment in expression.intervals(start, end):
        if state == State.OPEN:
            yield begin, finish, comment


def _mode(comment: str) -> str:
    return comment if comment in SlotMode.values else ""


def _day_slots(expression, day: date) -> list[tuple[date, Slot]]:
    """The slots that start on `day` (an overnight slot ends the next day)."""
    midnight = datetime.combine(day, datetime.min.time())
    found = []
    window = _open_intervals(expression, midnight - timedelta(days=1), midnight + timedelta(days=2))
    for begin, finish, comment in window:
        cursor = begin
        while cursor < finish:
            day_end = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            started_in_day = cursor.time() != datetime.min.time() and cursor == begin
            if finish <= day_end or (started_in_day and finish - cursor < timedelta(days=1)):
                piece_end = finish
            else:
                piece_end = day_end
            if cursor.date() == day and piece_end <= midnight + timedelta(days=2):
                start = cursor.hour * 60 + cursor.minute
                end = int((piece_end - midnight).total_seconds() // 60) % MINUTES_PER_DAY
                found.append((day, Slot(start, end, _mode(comment))))
            cursor = piece_end
    return found


@lru_cache(maxsize=4096)
def week_from_osm(text: str) -> Week:
    if not text.strip():
        return Week()
    try:
        expression = opening_hours(text)
    except ParserError:  # written around the validators (raw SQL, a fixture)
        return Week()
    days = []
    for index in range(7):
        day = REFERENCE_MONDAY + timedelta(days=index)
        days.append(tuple(slot for _, slot in _day_slots(expression, day)))
    closed_on_holidays = True
    for index, slots in enumerate(days):
        if slots:
            holiday = HOLIDAY_BY_WEEKDAY[index]
            closed_on_holidays = not _day_slots(expression, holiday)
            break
    return Week(tuple(days), closed_on_holidays)


def validate_opening_hours(text: str) -> None:
    """An OSM opening_hours string that the library reads (used by imports and the admin)."""
    if not text:
        return
    if len(text) > MAX_OSM_LENGTH or not validate(text):
        raise ValidationError(
            "Ces horaires ne sont pas écrits dans la syntaxe OpenStreetMap « opening_hours » "
            "(exemple : « Mo-Fr 09:00-12:00,14:00-17:00; PH off »).",
            code="invalid_opening_hours",
        )
