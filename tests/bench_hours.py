"""The theme tab with the state of every structure's and fiche's hours, and without.

2,000 structures × 5 fiches (the search issue's territory). The same page is measured
without structured hours (the anchor: what the tab costs without this work), then with
hours on every structure and on one fiche in five (40 different weekly strings, a few
hundred temporary changes), warm (the process's caches of parsed strings, as a running
server has them) and cold (caches emptied before every request), and the « ouvert
maintenant » filter. `python tests/bench.py hours` runs this section alone.
"""

from datetime import timedelta

from tests.bench import database_settle, synthetic_client
from tests.bench_search import p95, timings_ms

STRUCTURES, SERVICES = 2000, 5
DISTINCT = 40


def weekly_strings() -> list[str]:
    strings = []
    for index in range(DISTINCT):
        opens = 8 * 60 + (index % 4) * 15
        closes = 17 * 60 + (index % 5) * 15
        days = ["Mo-Fr", "Mo-Th", "Tu-Fr", "Mo,We,Fr"][index % 4]
        saturday = ", Sa 09:00-12:00" if index % 3 == 0 else ""
        strings.append(
            f"{days} {opens // 60:02d}:{opens % 60:02d}-12:00,"
            f"13:30-{closes // 60:02d}:{closes % 60:02d}{saturday}; PH off"
        )
    return strings


def hours_give() -> None:
    from django.utils import timezone

    from structures.enums import ChangeKind
    from structures.models import Service, Structure, TemporaryChange

    strings = weekly_strings()
    ids = list(Structure.objects.order_by("pk").values_list("pk", flat=True))
    for index, text in enumerate(strings):
        Structure.objects.filter(pk__in=ids[index::DISTINCT]).update(weekly_hours=text)
    service_ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    Service.objects.filter(pk__in=service_ids[::5]).update(weekly_hours=strings[7])
    today = timezone.localdate()
    TemporaryChange.objects.bulk_create(
        TemporaryChange(
            structure_id=pk,
            kind=ChangeKind.FERMETURE,
            starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=10),
            reason="Fermeture pour travaux",
        )
        for pk in ids[::7]
    )


def caches_clear() -> None:
    from structures.hours.state import expression_for
    from structures.hours.week import week_from_osm

    expression_for.cache_clear()
    week_from_osm.cache_clear()


def run(report):
    from structures.models import Structure, Theme

    client = synthetic_client(structures=STRUCTURES, services=SERVICES)
    theme = Theme.objects.order_by("order").first()
    url = theme.get_absolute_url()
    anchor = Structure.objects.order_by("pk")[STRUCTURES // 2].get_absolute_url()
    print(f"\nOnglet et horaires ({STRUCTURES} structures × {SERVICES} fiches) :")
    rows = []

    def measure(label, page, **options):
        timings = timings_ms(client, page, **options)
        rows.append((label, timings))

    measure("ancre : fiche d'une structure, sans horaires", anchor)
    measure("onglet sans horaires structurés", url)
    hours_give()
    database_settle()
    measure("ancre : fiche d'une structure, avec horaires", anchor)
    measure("onglet, l'état de chaque structure et fiche (caches chauds)", url)
    caches_clear()
    client.get(url)
    measure("onglet, l'état de chaque structure et fiche (caches vides)", url, before=caches_clear)
    measure("onglet filtré « ouvert maintenant »", url + "?horaires=maintenant")
    measure(
        "recherche « accompagnement » + « ouvert le samedi »",
        "/recherche/?q=accompagnement&horaires=samedi",
    )
    base = sorted(rows[1][1])[len(rows[1][1]) // 2]
    for label, timings in rows:
        median = sorted(timings)[len(timings) // 2]
        report(f"  {label} (p95 {p95(timings):.0f} ms, {median / base:.2f}× l'onglet sans)", median)
