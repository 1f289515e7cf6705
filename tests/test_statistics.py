"""/coordination/statistiques/: periods, totals, charts that draw their tables, downloads."""

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import DocumentKind, DocumentUse
from structures.coordination.periods import Period, period_containing
from structures.coordination.statistics import statistics_build
from structures.models import FreshnessSnapshot, Structure, UsageCount, UsageEvent
from structures.usage import usage_count

from .factories import ServiceFactory, StructureFactory, ThemeFactory

PAGE = reverse("structures:statistics")
NOVEMBER = {"periode": "mois", "date": "2026-11-15"}


def download(slug, format):
    return reverse("structures:statistics_download", args=[slug, format])


@pytest.mark.parametrize("url", [PAGE, download("chiffres-cles", "csv")])
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("reader", 403), ("editor", 403), ("coordinator", 200)],
)
def test_access(url, who, expected, partner_a, editor_a, coordinator, client_for):
    user = {"anonymous": None, "reader": partner_a, "editor": editor_a, "coordinator": coordinator}
    response = client_for(user[who]).get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


def test_an_unknown_table_or_format_is_a_404(coordinator_client):
    assert coordinator_client.get(download("inconnu", "csv")).status_code == 404
    assert coordinator_client.get(download("chiffres-cles", "pdf")).status_code == 404


def test_periods_and_the_period_before():
    month = period_containing(date(2026, 3, 10), "mois")
    assert (month.start, month.end, month.label) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
        "mars 2026",
    )
    assert month.previous() == Period(date(2026, 2, 1), date(2026, 2, 28), "mois")
    quarter = period_containing(date(2026, 5, 2), "trimestre")
    assert (quarter.start, quarter.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter.label == "2e trimestre 2026"
    assert quarter.previous().start == date(2026, 1, 1)
    year = period_containing(date(2026, 5, 2), "annee")
    assert year.previous() == Period(date(2025, 1, 1), date(2025, 12, 31), "annee")
    custom = Period(date(2026, 1, 10), date(2026, 1, 19), "personnalisee")
    assert custom.previous() == Period(date(2025, 12, 31), date(2026, 1, 9), "personnalisee")


@pytest.fixture
def usage(structure_a, structure_b):
    """Counts in October and November 2026, and documents printed."""
    theme = ThemeFactory(name="Logement", slug="logement")
    service = ServiceFactory(structure=structure_a, title="Permanence logement", themes=[theme])
    for day, amount in [(date(2026, 10, 3), 4), (date(2026, 11, 2), 5), (date(2026, 11, 30), 7)]:
        usage_count(
            event=UsageEvent.SERVICE_VIEW,
            structure_id=structure_a.pk,
            subject_id=service.pk,
            day=day,
            amount=amount,
        )
    usage_count(event=UsageEvent.THEME_VIEW, subject_id=theme.pk, day=date(2026, 11, 5), amount=9)
    usage_count(event=UsageEvent.SEARCH, day=date(2026, 11, 5), amount=20)
    usage_count(event=UsageEvent.SEARCH, day=date(2026, 10, 5), amount=10)
    usage_count(
        event=UsageEvent.PARTNER_ACTIVE,
        structure_id=structure_b.pk,
        day=date(2026, 11, 1),
        amount=2,
    )
    for day, kind in [
        (date(2026, 11, 3), DocumentKind.LIAISON),
        (date(2026, 11, 4), DocumentKind.PARCOURS),
        (date(2026, 11, 4), DocumentKind.PARCOURS_BLANK),
        (date(2026, 9, 4), DocumentKind.LIAISON),
    ]:
        DocumentUse.objects.create(kind=kind, created_on=day, sender_structure=structure_b)
    FreshnessSnapshot.objects.create(day=date(2026, 10, 31), fiches=10, fresh=5)
    FreshnessSnapshot.objects.create(day=date(2026, 11, 30), fiches=10, fresh=8)
    return {"theme": theme, "service": service}


def rows(stats, slug):
    return stats.tables[slug].rows


def test_the_totals_of_a_month_compare_with_the_month_before(usage):
    stats = statistics_build(period=period_containing(date(2026, 11, 15), "mois"))
    totals = {row[0]: row[1:] for row in rows(stats, "chiffres-cles")}
    assert totals["Fiches services consultées"] == [12, 4, "+200 %"]
    assert totals["Recherches"] == [20, 10, "+100 %"]
    assert totals["Onglets consultés"] == [9, 0, "nouveau"]
    assert totals["Documents imprimés (fiches liaison et parcours)"] == [3, 0, "nouveau"]
    assert totals["Comptes actifs (moyenne par mois)"] == [2.0, 0.0, "nouveau"]
    assert totals["Fiches à jour en fin de période (%)"] == [80, 50, "+60 %"]


def test_a_quarter_a_year_and_chosen_dates_sum_their_days(usage):
    quarter = statistics_build(period=period_containing(date(2026, 11, 15), "trimestre"))
    totals = {row[0]: row[1] for row in rows(quarter, "chiffres-cles")}
    assert totals["Fiches services consultées"] == 16
    assert totals["Comptes actifs (moyenne par mois)"] == round(2 / 3, 1)
    documents = rows(quarter, "documents-par-mois")
    assert documents == [
        ["octobre 2026", 0, 0, 0, 0],
        ["novembre 2026", 1, 1, 1, 3],
        ["décembre 2026", 0, 0, 0, 0],
    ]
    year = statistics_build(period=period_containing(date(2026, 1, 1), "annee"))
    assert sum(row[-1] for row in rows(year, "documents-par-mois")) == 4
    custom = statistics_build(period=Period(date(2026, 11, 2), date(2026, 11, 29), "personnalisee"))
    assert {row[0]: row[1] for row in rows(custom, "chiffres-cles")}[
        "Fiches services consultées"
    ] == 5


def test_views_by_theme_structure_and_fiche(usage, structure_a, structure_b):
    stats = statistics_build(period=period_containing(date(2026, 11, 15), "mois"))
    assert ["Logement", 9] in rows(stats, "vues-par-thematique")
    activity = rows(stats, "activite-par-structure")
    assert activity[0][:2] == [structure_a.name, 12]  # the most consulted first
    row_b = next(row for row in activity if row[0] == structure_b.name)
    assert row_b[5:] == [2.0, 3]  # active accounts, documents printed by its accounts
    assert rows(stats, "fiches-les-plus-consultees") == [
        ["Permanence logement", structure_a.name, 12]
    ]


def svg_values(html: str, slug: str) -> list[str]:
    section = html[html.index(f'<section class="mb-5 stat-section" aria-labelledby="{slug}"') :]
    svg = section[: section.index("</svg>")]
    return re.findall(r'class="mark-value">([^<]*)<', svg)


def table_column(html: str, slug: str, column: int) -> list[str]:
    section = html[html.index(f'id="{slug}-donnees"') :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)[column]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def test_each_chart_draws_the_numbers_of_its_table(usage, coordinator_client):
    html = coordinator_client.get(
        PAGE, {"periode": "trimestre", "date": "2026-11-15"}
    ).content.decode()
    assert svg_values(html, "documents-par-mois") == table_column(html, "documents-par-mois", 4)
    assert svg_values(html, "documents-par-mois") == ["0", "3", "0"]
    assert svg_values(html, "vues-par-thematique") == table_column(html, "vues-par-thematique", 1)
    assert svg_values(html, "activite-par-structure") == table_column(
        html, "activite-par-structure", 1
    )
    freshness = [value.removesuffix(" %") for value in svg_values(html, "fraicheur")]
    assert freshness == table_column(html, "fraicheur", 3)
    assert freshness[:2] == ["50", "80"]
    assert 'role="img"' in html
    assert "Documents imprimés par mois : octobre 2026 : 0 ; novembre 2026 : 3" in html  # <desc>


def test_the_tables_download_as_csv_and_xlsx(usage, coordinator_client, structure_a):
    response = coordinator_client.get(download("activite-par-structure", "csv"), NOVEMBER)
    assert response["Content-Type"].startswith("text/csv")
    assert (
        "statistiques-activite-par-structure-2026-11-01-2026-11-30.csv"
        in response["Content-Disposition"]
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["Structure", "Consultations de ses fiches"]
    assert [structure_a.name, "12"] == table[1][:2]
    assert len(table) == Structure.objects.count() + 1  # every structure, not only the first
    response = coordinator_client.get(download("documents-par-mois", "xlsx"), NOVEMBER)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Mois", "Fiches liaison", "Fiches parcours", "Fiches vierges", "Total"],
        ["novembre 2026", 1, 1, 1, 3],
    ]


def test_a_structure_name_like_a_formula_stays_text_in_the_downloads(usage, coordinator_client):
    StructureFactory(name='=HYPERLINK("http://example.org")')
    response = coordinator_client.get(download("activite-par-structure", "csv"), NOVEMBER)
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
    response = coordinator_client.get(download("activite-par-structure", "xlsx"), NOVEMBER)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(row[0] for row in sheet.iter_rows() if str(row[0].value).startswith("=HYPER"))
    assert cell.data_type == "s"


def test_wrong_dates_say_so_in_french_and_show_the_current_month(coordinator_client):
    response = coordinator_client.get(
        PAGE, {"periode": "personnalisee", "debut": "2026-11-10", "fin": "2026-11-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le premier jour doit venir avant le dernier." in html
    assert 'value="2026-11-10"' in html  # what was typed is kept
    response = coordinator_client.get(PAGE, {"periode": "personnalisee", "debut": "pas une date"})
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def _year_of_data(structures: int, days: int) -> None:
    made = Structure.objects.bulk_create(
        Structure(name=f"Structure en nombre {n}", slug=f"en-nombre-{n}", role="r")
        for n in range(structures)
    )
    start = timezone.localdate() - timedelta(days=days - 1)
    UsageCount.objects.bulk_create(
        UsageCount(
            day=start + timedelta(days=day),
            event=event,
            structure_ref=structure.pk,
            subject_ref=0,
            count=3,
        )
        for day in range(days)
        for structure in made
        for event in (UsageEvent.SERVICE_VIEW, UsageEvent.PARTNER_EDIT)
    )
    FreshnessSnapshot.objects.bulk_create(
        FreshnessSnapshot(day=start + timedelta(days=day), fiches=10, fresh=7)
        for day in range(days)
    )


@pytest.mark.parametrize(("structures", "days"), [(30, 30), (300, 365)])
def test_the_page_runs_the_same_queries_for_a_year_on_300_structures(
    structures, days, coordinator_client, django_assert_max_num_queries
):
    _year_of_data(structures, days)
    coordinator_client.get(PAGE)  # the account is counted active: not part of the page
    with django_assert_max_num_queries(25):
        response = coordinator_client.get(
            PAGE, {"periode": "annee", "date": str(timezone.localdate())}
        )
    assert response.status_code == 200


def test_a_month_of_daily_freshness_keeps_every_value_in_the_svg(coordinator_client):
    for day in range(1, 31):
        FreshnessSnapshot.objects.create(day=date(2026, 11, day), fiches=100, fresh=50 + day)
    html = coordinator_client.get(PAGE, NOVEMBER).content.decode()
    section = html[html.index('aria-labelledby="fraicheur"') :]
    svg = section[: section.index("</svg>")]
    tooltips = re.findall(r"<title>([^<]*) : (\d+) %</title>", svg)
    assert [int(value) for _, value in tooltips] == [50 + day for day in range(1, 31)]
    assert table_column(html, "fraicheur", 3) == [str(50 + day) for day in range(1, 31)]
    assert 0 < len(re.findall('class="mark-value"', svg)) <= 12  # written: no overlap
