"""The search filters: structured fields of each fiche, on search results, theme tabs and
annexes, with counts; their vocabularies are data·inclusion v1's."""

import csv
import io

import pytest
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.urls import reverse

from structures.enums import Fee, Public, ReceptionMode
from structures.models import Service

from .factories import ServiceFactory, StructureFactory, ThemeFactory


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(Public, v1.Public), (Fee, v1.Frais), (ReceptionMode, v1.ModeAccueil)],
)
def test_the_vocabularies_are_data_inclusion_v1s(ours, theirs):
    assert {value for value in ours.values if value} == {item.value for item in theirs}


@pytest.fixture
def fiches(db):
    logement = ThemeFactory(name="Logement", slug="logement")
    emploi = ThemeFactory(name="Emploi", slug="emploi")
    mairie = StructureFactory(name="Mairie", acronym="", city="Bellecombe", step_free_access="oui")
    voisine = StructureFactory(name="Voisine", acronym="", city="Montvert", step_free_access="non")
    annexe = StructureFactory(name="Restos", acronym="", annex=True, step_free_access="oui")
    # (structure, title, publics, fee, reception modes, walk-in, themes)
    for structure, title, publics, fee, modes, walk_in, themes in [
        (
            mairie,
            "Aide jeunes logement",
            ["jeunes"],
            "gratuit",
            ["en-presentiel"],
            True,
            [logement],
        ),
        (
            mairie,
            "Logement pour tous",
            ["tous-publics"],
            "payant",
            ["a-distance"],
            False,
            [logement],
        ),
        (
            voisine,
            "Logement des seniors",
            ["seniors"],
            "gratuit",
            ["en-presentiel", "a-distance"],
            False,
            [logement, emploi],
        ),
        (
            annexe,
            "Logement d'urgence",
            ["personnes-en-situation-durgence"],
            "gratuit",
            [],
            True,
            [logement],
        ),
    ]:
        ServiceFactory(
            structure=structure,
            title=title,
            publics=publics,
            fee=fee,
            reception_modes=modes,
            walk_in=walk_in,
            themes=themes,
        )


def found(client, url, **params):
    html = client.get(url, params).content.decode()
    titles = ["Aide jeunes logement", "Logement pour tous", "Logement des seniors"]
    return {title for title in [*titles, "Logement d&#x27;urgence"] if f">{title}<" in html}, html


SEARCH = "/recherche/"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"public": "jeunes"}, {"Aide jeunes logement", "Logement pour tous"}),  # + tous publics
        ({"frais": "payant"}, {"Logement pour tous"}),
        ({"accueil": "a-distance"}, {"Logement pour tous", "Logement des seniors"}),
        ({"sans_rdv": "oui"}, {"Aide jeunes logement", "Logement d&#x27;urgence"}),
        (
            {"plain_pied": "oui"},
            {"Aide jeunes logement", "Logement pour tous", "Logement d&#x27;urgence"},
        ),
        ({"commune": "Montvert"}, {"Logement des seniors"}),
        ({"theme": "emploi"}, {"Logement des seniors"}),
        ({"frais": "gratuit", "public": "seniors"}, {"Logement des seniors"}),
    ],
)
def test_each_filter_narrows_the_search_results(fiches, partner_client, params, expected):
    titles, _ = found(partner_client, SEARCH, q="logement", **params)
    assert titles == expected


def test_the_options_are_counted_on_the_other_filters_results(fiches, partner_client):
    _, html = found(partner_client, SEARCH, q="logement", frais="gratuit")
    assert '<option value="payant">Payant (1)</option>' in html  # what choosing it gives
    assert '<option value="gratuit" selected>Gratuit (3)</option>' in html
    assert "Sans rendez-vous (2)" in html
    assert "Montvert (1)" in html
    assert "Logement</a> (3)" in html  # themes, on the filtered results


def test_the_publics_and_reception_modes_are_counted_with_tous_publics_in_every_public(
    fiches, partner_client
):
    _, html = found(partner_client, SEARCH, q="logement")
    # « Logement pour tous » is for everyone: it counts in every public, once.
    assert '<option value="jeunes">Jeunes (2)</option>' in html
    assert '<option value="seniors">Séniors (2)</option>' in html
    assert '<option value="tous-publics">Tous publics (1)</option>' in html
    assert '<option value="familles">Familles (1)</option>' in html
    assert '<option value="en-presentiel">Sur place (2)</option>' in html
    assert '<option value="a-distance">À distance (2)</option>' in html
    # Counted on the other filters' results: with « gratuit », not the paying one.
    _, html = found(partner_client, SEARCH, q="logement", frais="gratuit")
    assert '<option value="jeunes">Jeunes (1)</option>' in html
    assert '<option value="a-distance">À distance (1)</option>' in html


def test_unknown_filter_values_are_ignored(fiches, partner_client):
    titles, html = found(partner_client, SEARCH, q="logement", public="<b>x</b>", frais="9" * 500)
    assert len(titles) == 4
    assert "<b>x</b>" not in html


def test_filters_alone_list_the_matching_fiches(fiches, partner_client):
    titles, html = found(partner_client, SEARCH, public="seniors")
    assert titles == {"Logement des seniors", "Logement pour tous"}
    assert "Tapez un mot" not in html


def test_a_theme_tab_is_filtered_with_counts(fiches, partner_client):
    url = reverse("structures:theme_detail", args=["logement"])
    titles, html = found(partner_client, url, frais="gratuit")
    assert titles == {"Aide jeunes logement", "Logement des seniors", "Logement d&#x27;urgence"}
    assert "3 fiches avec ces filtres" in html
    titles, _ = found(partner_client, url, commune="Montvert")
    assert titles == {"Logement des seniors"}


def test_the_annexes_are_filtered_by_theme_and_filters(fiches, partner_client):
    titles, _ = found(partner_client, reverse("structures:annex_list"), sans_rdv="oui")
    assert titles == {"Logement d&#x27;urgence"}
    titles, html = found(partner_client, reverse("structures:annex_list"), theme="emploi")
    assert not titles
    assert "Aucune fiche annexe ne correspond à ces filtres." in html


def test_tous_publics_does_not_combine_with_another_public(db):
    service = ServiceFactory(publics=["tous-publics", "jeunes"])
    with pytest.raises(ValidationError, match="Tous publics"):
        service.full_clean()


def test_the_publics_keep_the_vocabularys_order_and_refuse_unknown_values(db):
    service = ServiceFactory(publics=["seniors", "jeunes", "jeunes"])
    service.refresh_from_db()
    assert service.publics == ["jeunes", "seniors"]
    assert Service.objects.with_public("jeunes").get() == service
    assert not Service.objects.with_public("jeune").exists()  # whole values only
    service.publics = ["martiens"]
    with pytest.raises(ValidationError, match="martiens"):
        service.full_clean()


def test_an_editor_fills_the_filters_in_mon_espace(db, client_for):
    from .factories import UserFactory

    structure = StructureFactory()
    service = ServiceFactory(structure=structure, themes=[ThemeFactory()])
    editor = UserFactory(structure=structure, editor=True)
    client = client_for(editor)
    url = reverse("structures:espace_service_edit", args=[service.pk])
    form = client.get(url).content.decode()
    assert 'name="publics" value="jeunes"' in form
    assert 'name="walk_in"' in form
    data = {
        "title": service.title,
        "themes": [theme.pk for theme in service.themes.all()],
        "publics": ["jeunes", "familles"],
        "fee": "gratuit",
        "reception_modes": ["a-distance"],
        "walk_in": "on",
    }
    assert client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.publics == ["familles", "jeunes"]
    assert (service.fee, service.reception_modes, service.walk_in) == (
        "gratuit",
        ["a-distance"],
        True,
    )


def test_the_coordinator_fills_the_filters_in_the_admin(db, coordinator_client):
    service = ServiceFactory(themes=[ThemeFactory()])
    html = coordinator_client.get(reverse("admin:structures_service_change", args=[service.pk]))
    content = html.content.decode()
    for name in ["publics", "fee", "reception_modes", "walk_in"]:
        assert f'name="{name}"' in content


def test_a_file_without_the_filter_columns_still_imports_and_keeps_them(db):
    from structures.data.exports import directory_csv_files

    from .directory_data import import_files

    ThemeFactory(slug="logement", name="Logement")
    structure = StructureFactory(slug="ccas")
    service = ServiceFactory(
        structure=structure, slug="aide", publics=["jeunes"], fee="gratuit", walk_in=True
    )
    service.themes.set([ThemeFactory(slug="logement")])
    files = directory_csv_files(delimiter=";")
    rows = list(csv.reader(io.StringIO(files["services.csv"].decode("utf-8-sig")), delimiter=";"))
    dropped = {"publics", "frais", "modes_accueil", "sans_rendez_vous"}
    kept = [index for index, name in enumerate(rows[0]) if name not in dropped]
    assert len(kept) == len(rows[0]) - len(dropped)
    old = io.StringIO()
    csv.writer(old, delimiter=";").writerows([[row[i] for i in kept] for row in rows])
    files["services.csv"] = old.getvalue().encode()
    report = import_files(files, apply=True)
    assert report.ok, [str(problem) for problem in report.problems]
    service.refresh_from_db()
    assert (service.publics, service.fee, service.walk_in) == (["jeunes"], "gratuit", True)


def test_the_search_counts_read_the_index_alone(fiches, partner_client):
    """A broad search counts thousands of results: the counting query reads the entries'
    copy of the filtered fields, without joining the fiches, structures and themes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _, html = found(partner_client, SEARCH, q="logement")
    assert "Logement</a> (4)" in html
    assert "Montvert (1)" in html
    counting = [query["sql"] for query in queries if "GROUP BY" in query["sql"]]
    assert counting, "the options are counted by one GROUP BY"
    for sql in counting:
        assert "structures_searchentry" in sql
        for table in ["service", "structure", "theme", "service_themes"]:
            assert f'"structures_{table}"' not in sql


def test_the_search_filters_follow_a_change_of_themes_in_mon_espace(fiches, client_for):
    from .factories import UserFactory

    service = Service.objects.get(title="Logement pour tous")
    editor = UserFactory(structure=service.structure, editor=True)
    client = client_for(editor)
    emploi = ThemeFactory._meta.model.objects.get(slug="emploi")
    url = reverse("structures:espace_service_edit", args=[service.pk])
    data = {"title": service.title, "themes": [emploi.pk], "fee": "payant"}
    assert client.post(url, data).status_code == 302
    titles, _ = found(client, SEARCH, q="logement", theme="emploi")
    assert titles == {"Logement pour tous", "Logement des seniors"}
    titles, _ = found(client, SEARCH, q="logement", theme="logement")
    assert "Logement pour tous" not in titles


def test_the_search_filters_follow_a_change_of_themes_in_the_admin(fiches, coordinator_client):
    from .form_data import admin_service_data

    service = Service.objects.get(title="Logement des seniors")
    url = reverse("admin:structures_service_change", args=[service.pk])
    data = admin_service_data(service, themes=service.themes.filter(slug="emploi"), fee="gratuit")
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    titles, _ = found(coordinator_client, SEARCH, q="logement", theme="logement")
    assert "Logement des seniors" not in titles


def test_the_search_filters_follow_a_structures_commune_and_access(fiches, partner_client):
    voisine = StructureFactory._meta.model.objects.get(name="Voisine")
    voisine.city, voisine.step_free_access = "Bellecombe", "oui"
    voisine.save()
    titles, _ = found(partner_client, SEARCH, q="logement", commune="Bellecombe", plain_pied="oui")
    assert titles == {"Aide jeunes logement", "Logement pour tous", "Logement des seniors"}


def test_the_migration_fills_the_facets_of_existing_entries(fiches):
    """Entries written before the facets existed get them from migration 0017."""
    from importlib import import_module

    from django.apps import apps

    from structures.models import SearchEntry

    fields = [item.name for item in SearchEntry._meta.fields if item.name not in {"id"}]
    expected = list(SearchEntry.objects.order_by("pk").values_list(*fields))
    SearchEntry.objects.update(
        publics="", reception_modes="", fee="", walk_in=False, weekly_hours="", themes="",
        structure_city="", structure_step_free_access="", structure_weekly_hours="",
    )  # fmt: skip
    import_module("structures.migrations.0017_search_entry_facets").facets_fill(apps, None)
    assert list(SearchEntry.objects.order_by("pk").values_list(*fields)) == expected
    assert any(row[fields.index("themes")] for row in expected)


def test_the_search_filters_follow_an_import_that_changes_themes(fiches, partner_client):
    from structures.data.exports import directory_csv_files

    from .directory_data import import_files

    files = directory_csv_files(delimiter=";")
    rows = list(csv.reader(io.StringIO(files["services.csv"].decode("utf-8-sig")), delimiter=";"))
    title, themes = rows[0].index("intitule"), rows[0].index("thematiques")
    for row in rows[1:]:
        if row[title] == "Logement pour tous":
            row[themes] = "emploi"
    changed = io.StringIO()
    csv.writer(changed, delimiter=";").writerows(rows)
    files["services.csv"] = changed.getvalue().encode()
    report = import_files(files, apply=True)
    assert report.ok, [str(problem) for problem in report.problems]
    titles, _ = found(partner_client, SEARCH, q="logement", theme="emploi")
    assert titles == {"Logement pour tous", "Logement des seniors"}
