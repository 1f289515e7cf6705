"""What the statistics page, its downloads and the activity report show, for a period.

A fixed number of queries whatever the size of the directory or the length of the period:
the counts are summed by the database (UsageCount, DocumentUse, FreshnessSnapshot).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone

from liaison.models import DocumentKind, DocumentUse

from ..enums import UsageEvent
from ..models import FreshnessSnapshot, Service, Structure, Theme, UsageCount
from ..usage import freshness_now
from . import charts
from .periods import Period, month_label, month_short

ACTIVITY_ROWS = 15  # structures shown on the page and in the report (downloads: all)
TOP_FICHES = 10
DAILY_FRESHNESS_UP_TO = 62  # days; a longer period shows one point per month

TOTALS = [  # (label, event), in the order of the table
    ("Fiches services consultées", UsageEvent.SERVICE_VIEW),
    ("Fiches d'identité consultées", UsageEvent.STRUCTURE_VIEW),
    ("Onglets consultés", UsageEvent.THEME_VIEW),
    ("Recherches", UsageEvent.SEARCH),
    ("Recherches sans résultat", UsageEvent.SEARCH_EMPTY),
    ("Documents imprimés (fiches liaison et parcours)", None),
    ("Livrets téléchargés", UsageEvent.BOOKLET_DOWNLOAD),
    ("Fiches PDF de structures téléchargées", UsageEvent.STRUCTURE_PDF_DOWNLOAD),
    ("Comptes actifs (moyenne par mois)", UsageEvent.PARTNER_ACTIVE),
    ("Modifications par les partenaires", UsageEvent.PARTNER_EDIT),
    ("Modifications par la coordination", UsageEvent.COORDINATION_EDIT),
    ("Fiches confirmées « à jour »", UsageEvent.REVIEW_CONFIRMED),
]
STRUCTURE_EVENTS = [
    UsageEvent.SERVICE_VIEW,
    UsageEvent.STRUCTURE_VIEW,
    UsageEvent.PARTNER_EDIT,
    UsageEvent.COORDINATION_EDIT,
    UsageEvent.REVIEW_CONFIRMED,
    UsageEvent.PARTNER_ACTIVE,
]
DOCUMENT_COLUMNS = [
    ("Fiches liaison", [DocumentKind.LIAISON]),
    ("Fiches parcours", [DocumentKind.PARCOURS]),
    ("Fiches vierges", [DocumentKind.LIAISON_BLANK, DocumentKind.PARCOURS_BLANK]),
]


@dataclass
class Table:
    """A table of the page: its chart, if any, draws the same numbers."""

    slug: str
    title: str
    header: list[str]
    rows: list[list]
    chart: charts.Chart | None = None
    note: str = ""
    all_rows: list[list] | None = None  # the downloads' rows when the page shows fewer

    @property
    def download_rows(self) -> list[list]:
        return self.rows if self.all_rows is None else self.all_rows


@dataclass
class Statistics:
    period: Period
    previous: Period
    tables: dict[str, Table] = field(default_factory=dict)


def _change(now: float, before: float) -> str:
    if not before:
        return "nouveau" if now else "="
    percent = round(100 * (now - before) / before)
    return "=" if percent == 0 else f"{percent:+d} %"


def _event_totals(period: Period) -> dict:
    rows = (
        UsageCount.objects.filter(day__range=(period.start, period.end))
        .values_list("event")
        .annotate(total=Sum("count"))
    )
    return dict(rows)


def _freshness_at(day: date) -> int | None:
    """The share of fiches up to date on `day` (the latest snapshot up to it; today live)."""
    if day >= timezone.localdate():
        return freshness_now().percent
    snapshot = FreshnessSnapshot.objects.filter(day__lte=day).order_by("-day").first()
    return snapshot.percent if snapshot else None


def totals_table(period: Period, previous: Period) -> Table:
    now, before = _event_totals(period), _event_totals(previous)
    documents = {
        key: DocumentUse.objects.filter(created_on__range=(p.start, p.end)).count()
        for key, p in (("now", period), ("before", previous))
    }
    rows = []
    for label, event in TOTALS:
        if event is None:
            value, old = documents["now"], documents["before"]
        elif event == UsageEvent.PARTNER_ACTIVE:
            value = round(now.get(event, 0) / len(period.months()), 1)
            old = round(before.get(event, 0) / len(previous.months()), 1)
        else:
            value, old = now.get(event, 0), before.get(event, 0)
        rows.append([label, value, old, _change(value, old)])
    fresh_now, fresh_before = _freshness_at(period.end), _freshness_at(previous.end)
    rows.append(
        [
            "Fiches à jour en fin de période (%)",
            fresh_now if fresh_now is not None else "",
            fresh_before if fresh_before is not None else "",
            _change(fresh_now or 0, fresh_before or 0) if fresh_before is not None else "",
        ]
    )
    header = ["Indicateur", period.label.capitalize(), previous.label.capitalize(), "Évolution"]
    return Table("chiffres-cles", "Chiffres clés", header, rows)


def documents_table(period: Period) -> Table:
    counts = {}
    rows = (
        DocumentUse.objects.filter(created_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("created_on"))
        .values_list("month", "kind")
        .annotate(total=Count("pk"))
    )
    for month, kind, total in rows:
        counts[(month, kind)] = total
    table_rows = []
    for month in period.months():
        values = [
            sum(counts.get((month, kind), 0) for kind in kinds) for _, kinds in DOCUMENT_COLUMNS
        ]
        table_rows.append([month_label(month), *values, sum(values)])
    chart = charts.columns_chart(
        slug="documents-par-mois",
        title="Documents imprimés par mois",
        items=[(row[0], row[-1]) for row in table_rows],
        shorts=[month_short(month) for month in period.months()],
    )
    header = ["Mois", *(label for label, _ in DOCUMENT_COLUMNS), "Total"]
    return Table("documents-par-mois", "Documents imprimés par mois", header, table_rows, chart)


def _by(period: Period, event: UsageEvent, key: str) -> dict:
    rows = (
        UsageCount.objects.filter(day__range=(period.start, period.end), event=event)
        .values_list(key)
        .annotate(total=Sum("count"))
    )
    return dict(rows)


def themes_table(period: Period) -> Table:
    views = _by(period, UsageEvent.THEME_VIEW, "subject_ref")
    rows = [
        [theme.name, views.get(theme.pk, 0)] for theme in Theme.objects.order_by("order", "name")
    ]
    chart = charts.bars_chart(
        slug="vues-par-thematique",
        title="Consultations de chaque onglet",
        items=[tuple(r) for r in rows],
    )
    return Table(
        "vues-par-thematique",
        "Consultations par thématique",
        ["Thématique", "Consultations"],
        rows,
        chart,
    )


def structures_table(period: Period) -> Table:
    rows = (
        UsageCount.objects.filter(day__range=(period.start, period.end), event__in=STRUCTURE_EVENTS)
        .exclude(structure_ref=0)
        .values_list("structure_ref", "event")
        .annotate(total=Sum("count"))
    )
    by_structure = {}
    for structure_id, event, total in rows:
        by_structure.setdefault(structure_id, {})[event] = total
    printed = dict(
        DocumentUse.objects.filter(created_on__range=(period.start, period.end))
        .exclude(sender_structure=None)
        .values_list("sender_structure")
        .annotate(total=Count("pk"))
    )
    months = len(period.months())
    all_rows = []
    for structure_id, name in Structure.objects.order_by("name").values_list("pk", "name"):
        counts = by_structure.get(structure_id, {})
        all_rows.append(
            [
                name,
                counts.get(UsageEvent.SERVICE_VIEW, 0) + counts.get(UsageEvent.STRUCTURE_VIEW, 0),
                counts.get(UsageEvent.PARTNER_EDIT, 0),
                counts.get(UsageEvent.COORDINATION_EDIT, 0),
                counts.get(UsageEvent.REVIEW_CONFIRMED, 0),
                round(counts.get(UsageEvent.PARTNER_ACTIVE, 0) / months, 1),
                printed.get(structure_id, 0),
            ]
        )
    all_rows.sort(key=lambda row: (-row[1], -sum(row[2:]), row[0]))
    shown = all_rows[:ACTIVITY_ROWS]
    header = [
        "Structure",
        "Consultations de ses fiches",
        "Modifications par ses éditeurs",
        "Modifications par la coordination",
        "Fiches confirmées « à jour »",
        "Comptes actifs (moyenne par mois)",
        "Documents imprimés par ses comptes",
    ]
    chart = charts.bars_chart(
        slug="activite-par-structure",
        title=f"Consultations des fiches des {len(shown)} structures les plus consultées",
        items=[(row[0], row[1]) for row in shown],
    )
    note = (
        f"Les {len(shown)} structures les plus consultées sur {len(all_rows)} ; les "
        "téléchargements donnent toutes les structures."
        if len(all_rows) > len(shown)
        else ""
    )
    return Table(
        "activite-par-structure", "Activité par structure", header, shown, chart, note, all_rows
    )


def top_fiches_table(period: Period) -> Table:
    views = (
        UsageCount.objects.filter(
            day__range=(period.start, period.end), event=UsageEvent.SERVICE_VIEW
        )
        .values_list("subject_ref")
        .annotate(total=Sum("count"))
        .order_by("-total", "subject_ref")[:TOP_FICHES]
    )
    views = list(views)
    services = Service.objects.select_related("structure").in_bulk([pk for pk, _ in views])
    rows = []
    for pk, total in views:
        service = services.get(pk)
        if service is None:
            rows.append(["(fiche supprimée)", "", total])
        else:
            rows.append([service.title, service.structure.name, total])
    chart = charts.bars_chart(
        slug="fiches-les-plus-consultees",
        title="Les fiches services les plus consultées",
        items=[(f"{row[0]} — {row[1]}" if row[1] else row[0], row[2]) for row in rows],
    )
    header = ["Fiche service", "Structure", "Consultations"]
    return Table(
        "fiches-les-plus-consultees", "Les fiches les plus consultées", header, rows, chart
    )


def freshness_table(period: Period) -> Table:
    snapshots = list(
        FreshnessSnapshot.objects.filter(day__range=(period.start, period.end)).order_by("day")
    )
    today = timezone.localdate()
    if period.start <= today <= period.end and not any(s.day == today for s in snapshots):
        snapshots.append(freshness_now())
    if period.days > DAILY_FRESHNESS_UP_TO:  # the last snapshot of each month
        by_month = {}
        for snapshot in snapshots:
            by_month[snapshot.day.replace(day=1)] = snapshot
        points = [
            (month_label(month), month_short(month), snapshot)
            for month, snapshot in by_month.items()
        ]
    else:
        points = [
            (formats.date_format(s.day, "j F Y"), formats.date_format(s.day, "j/m"), s)
            for s in snapshots
        ]
    rows = [[label, s.fiches, s.fresh, s.percent] for label, _, s in points]
    chart = charts.line_chart(
        slug="fraicheur",
        title="Part des fiches à jour",
        items=[(row[0], row[3]) for row in rows],
        shorts=[short for _, short, _ in points],
    )
    header = ["Date", "Fiches", "Fiches à jour", "Part à jour (%)"]
    note = (
        "" if rows else "Aucun état de fraîcheur gardé pour cette période (commande usage_daily)."
    )
    return Table("fraicheur", "Fraîcheur des fiches au fil du temps", header, rows, chart, note)


BUILDERS = {
    "documents-par-mois": documents_table,
    "vues-par-thematique": themes_table,
    "activite-par-structure": structures_table,
    "fiches-les-plus-consultees": top_fiches_table,
    "fraicheur": freshness_table,
}
TABLE_SLUGS = ["chiffres-cles", *BUILDERS]


def statistics_build(*, period: Period, only: str | None = None) -> Statistics:
    """Every table of the period (or only the table `only`)."""
    stats = Statistics(period=period, previous=period.previous())
    if only in (None, "chiffres-cles"):
        stats.tables["chiffres-cles"] = totals_table(period, stats.previous)
    for slug, builder in BUILDERS.items():
        if only in (None, slug):
            stats.tables[slug] = builder(period)
    return stats
