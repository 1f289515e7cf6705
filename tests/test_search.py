import pytest
from django.urls import reverse

from .factories import ServiceFactory, StructureFactory, ThemeFactory


@pytest.fixture
def directory(db):
    enfance = ThemeFactory(name="Accueil du jeune enfant", slug="jeune-enfant", order=1)
    droits = ThemeFactory(name="Accès aux droits", slug="droits", order=2)
    caf = StructureFactory(name="Caisse d'allocations familiales", slug="caf", acronym="CAF")
    mairie = StructureFactory(name="Petite enfance", slug="petite-enfance", acronym="")
    ServiceFactory(structure=mairie, title="Inscription en Crèche", themes=[enfance])
    ServiceFactory(structure=caf, title="Prestations familiales", themes=[droits, enfance])
    ServiceFactory(structure=caf, title="Crèche retirée", themes=[enfance], inactive=True)


def search(client, query):
    response = client.get(reverse("structures:search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", ["creche", "CRECHE", "crèche", "Crèche"])
def test_it_ignores_accents_and_case(directory, partner_client, query):
    html = search(partner_client, query)
    assert "Inscription en Crèche" in html
    assert "Crèche retirée" not in html


@pytest.mark.parametrize("query", ["caf", "Caf", "allocations familiales"])
def test_it_finds_structures_by_name_and_acronym(directory, partner_client, query):
    html = search(partner_client, query)
    assert "Caisse d&#x27;allocations familiales (CAF)" in html
    assert "Prestations familiales" in html  # the structure's services too


def test_results_are_grouped_by_theme_in_theme_order(directory, partner_client):
    html = search(partner_client, "familiales")
    assert html.index('<h2 class="h4 mt-4">Accueil du jeune enfant') < html.index(
        '<h2 class="h4 mt-4">Accès aux droits'
    )


def test_every_word_must_match(directory, partner_client):
    assert "Inscription en Crèche" in search(partner_client, "creche inscription")
    assert "Aucun résultat" in search(partner_client, "creche logement")


def test_an_empty_query_explains_what_to_type(directory, partner_client):
    assert "Tapez un mot pour chercher" in search(partner_client, "")
    assert "Tapez un mot pour chercher" in search(partner_client, "   ")


def test_no_result_says_so_in_french(directory, partner_client):
    assert "Aucun résultat pour « zzzz »" in search(partner_client, "zzzz")


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "% _ \\ ' \" ; -- DROP TABLE",
        "<script>alert(1)</script>",
        "\x00\u202e𝔘",
        "mot " * 300,
    ],
)
def test_long_or_odd_queries_never_fail(directory, partner_client, query):
    html = search(partner_client, query)
    assert "<script>alert(1)</script>" not in html.split("<main", 1)[1]


def test_a_very_long_query_is_cut_and_says_so(directory, partner_client):
    assert "seuls les premiers mots" in search(partner_client, "creche " * 100)
