"""Search: ranking, whole words and prefixes, accents, synonyms, typos, dedup, pagination,
odd queries, and what is counted. The same tests run on SQLite and PostgreSQL."""

import re

import pytest
from django.urls import reverse

from structures.models import SearchWord, Synonym, UsageCount, UsageEvent
from structures.search.engines import similarity
from structures.search.query import EXACT, PREFIX, STEM, SynonymTerm, Term, query_parse

from .directory_data import titles
from .factories import ServiceFactory, StructureFactory, ThemeFactory


@pytest.fixture
def directory(db):
    enfance = ThemeFactory(name="Accueil du jeune enfant", slug="jeune-enfant", order=1)
    droits = ThemeFactory(name="Accès aux droits", slug="droits", order=2)
    logement = ThemeFactory(name="Logement", slug="logement", order=3)
    caf = StructureFactory(
        name="Caisse d'allocations familiales", slug="caf", acronym="CAF", phone="04 65 71 00 10"
    )
    mdph = StructureFactory(
        name="Maison départementale des personnes handicapées", slug="mdph", acronym="MDPH"
    )
    quartier = StructureFactory(name="Maison de quartier", slug="quartier", acronym="")
    petite = StructureFactory(name="Petite enfance", slug="petite-enfance", acronym="")
    ccas = StructureFactory(name="Centre communal d'action sociale", slug="ccas", acronym="CCAS")
    ServiceFactory(
        structure=petite,
        title="Inscription en Crèche",
        summary="Une place en crèche municipale.",
        access_conditions="Pour un enfant handicapé, joindre la notification MDPH.",
        themes=[enfance],
    )
    ServiceFactory(structure=caf, title="Prestations familiales", themes=[droits, enfance])
    ServiceFactory(
        structure=caf,
        title="Aide personnalisée au logement (APL)",
        summary="L'aide au loyer de la CAF.",
        themes=[logement, droits],
    )
    ServiceFactory(structure=caf, title="Crèche retirée", themes=[enfance], inactive=True)
    ServiceFactory(
        structure=ccas,
        title="Accompagnement budgétaire",
        objectives="Faire le point sur le budget, les dettes, l'APL et les factures.",
        themes=[logement],
    )
    ServiceFactory(
        structure=quartier, title="Café des habitants", summary="Un café pour se rencontrer."
    )
    ServiceFactory(
        structure=mdph,
        title="Reconnaissance du handicap",
        summary="AAH, PCH, RQTH.",
        themes=[droits],
    )


def search(client, query, **params):
    response = client.get(reverse("structures:search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_an_acronym_puts_its_structure_first_and_is_matched_as_a_whole_word(directory):
    found = titles("caf")
    assert found[0] == "Caisse d'allocations familiales"
    assert "Café des habitants" not in found  # « caf » is not « café »
    assert "Aide personnalisée au logement (APL)" in found  # the CAF's fiches follow


def test_an_exact_structure_name_puts_that_structure_first(directory):
    assert titles("Maison de quartier")[0] == "Maison de quartier"
    assert titles("maison departementale des personnes handicapees")[0] == (
        "Maison départementale des personnes handicapées"
    )


def test_mdph_shows_the_mdph_before_a_fiche_that_only_mentions_it(directory):
    found = titles("mdph")
    assert found[0] == "Maison départementale des personnes handicapées"
    assert found.index("Reconnaissance du handicap") < found.index("Inscription en Crèche")


def test_a_title_match_comes_before_a_match_in_the_texts(directory):
    found = titles("apl")
    assert found[0] == "Aide personnalisée au logement (APL)"
    assert found.index("Aide personnalisée au logement (APL)") < found.index(
        "Accompagnement budgétaire"
    )


@pytest.mark.parametrize("query", ["creche", "CRECHE", "crèche", "Crèche", "crèches"])
def test_it_ignores_accents_case_and_plurals(directory, query):
    found = titles(query)
    assert "Inscription en Crèche" in found
    assert "Crèche retirée" not in found  # inactive fiches are not indexed


def test_the_word_being_typed_is_a_prefix(directory):
    assert "Aide personnalisée au logement (APL)" in titles("loge")
    assert "Accompagnement budgétaire" in titles("budgé")


def test_a_fiche_in_two_themes_appears_once_with_both_themes(directory, partner_client):
    assert titles("prestations familiales").count("Prestations familiales") == 1
    html = search(partner_client, "prestations familiales")
    result = html.split("Prestations familiales</a></h2>", 1)[1].split("</li>", 1)[0]
    assert "Accueil du jeune enfant" in result
    assert "Accès aux droits" in result


def test_a_result_shows_the_structure_its_phone_and_the_parcours_button(directory, partner_client):
    html = search(partner_client, "apl")
    assert 'href="tel:+33465710010"' in html
    assert "L&#x27;aide au loyer de la CAF." in html
    assert "Ajouter « Aide personnalisée au logement (APL) » au parcours" in html


def test_synonyms_widen_the_search_and_the_page_says_so(directory, partner_client):
    Synonym.objects.create(terms="budget, gestion des dépenses")
    assert "Accompagnement budgétaire" in titles("gestion des dépenses")
    html = search(partner_client, "gestion des dépenses")
    assert "Recherche élargie aux synonymes de « gestion des dépenses » : budget." in html


def test_the_default_synonyms_are_installed_by_migrate(db):
    assert Synonym.objects.count() >= 80
    assert Synonym.objects.filter(terms__contains="France Travail").exists()


def test_aide_au_logement_finds_the_apl_through_the_default_synonyms(directory):
    found = titles("aide au logement")
    assert "Aide personnalisée au logement (APL)" in found
    assert "Accompagnement budgétaire" in found  # says APL only


def test_a_typo_suggests_the_closest_word_of_the_directory(directory, partner_client):
    html = search(partner_client, "budgte")
    assert "Vouliez-vous dire" in html
    assert re.search(r'<a href="\?q=budget[^"]*">budget</a> \(1 résultat\)', html)


def test_trigram_similarity_is_pg_trgm_s():
    assert similarity("word", "word") == 1
    assert similarity("logemnt", "logement") == pytest.approx(6 / 11)


def test_nothing_with_every_word_shows_the_fiches_with_some_of_them(directory, partner_client):
    html = search(partner_client, "crèche zzzzqq")
    assert "Inscription en Crèche" in html
    assert "Aucune fiche ne contient tous vos mots" in html


def test_results_come_twenty_a_page_with_the_total_and_page_links(db, partner_client):
    structure = StructureFactory(name="Grande structure", acronym="")
    for number in range(45):
        ServiceFactory(structure=structure, title=f"Atelier numéro {number}")
    html = search(partner_client, "atelier")
    assert "45 résultats pour « atelier » — page 1 sur 3" in html
    assert html.count('class="search-result"') == 20
    assert 'href="?q=atelier&amp;page=2"' in html
    page_three = search(partner_client, "atelier", page="3")
    assert page_three.count('class="search-result"') == 5
    assert search(partner_client, "atelier", page="999").count('class="search-result"') == 5
    assert search(partner_client, "atelier", page="x").count('class="search-result"') == 20


def test_an_empty_query_explains_what_to_type(directory, partner_client):
    assert "Tapez un mot pour chercher" in search(partner_client, "")
    assert "Tapez un mot pour chercher" in search(partner_client, "   ")
    assert "Tapez un mot pour chercher" in search(partner_client, "le la de")


def test_no_result_says_so_in_french(directory, partner_client):
    assert "Aucun résultat pour « zzzz »" in search(partner_client, "zzzz")


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "% _ \\ ' \" ; -- DROP TABLE",
        '"caf" OR NEAR(a b) * : ^ { } ( ) & | ! <-> :*',
        "<script>alert(1)</script>",
        "\x00\u202e𝔘 مرحبا Привет",
        "mot " * 300,
        "l'",
        "-",
    ],
)
def test_long_or_odd_queries_never_fail(directory, partner_client, query):
    html = search(partner_client, query)
    assert "<script>alert(1)</script>" not in html.split("<main", 1)[1]


def test_a_very_long_query_is_cut_and_says_so(directory, partner_client):
    assert "seuls les premiers mots" in search(partner_client, "creche " * 100)


def test_only_anonymous_daily_counts_are_kept(directory, partner_client):
    search(partner_client, "crèche")
    search(partner_client, "Dupont Marie zzzz")
    search(partner_client, "crèche", page="2")  # the same search, another page
    counts = dict(
        UsageCount.objects.exclude(event=UsageEvent.PARTNER_ACTIVE).values_list("event", "count")
    )
    assert counts == {UsageEvent.SEARCH: 2, UsageEvent.SEARCH_EMPTY: 1}
    assert not SearchWord.objects.filter(word__in=["dupont", "marie"]).exists()


def test_query_reading_marks_acronyms_prefixes_and_synonyms():
    groups = [[SynonymTerm.read("APL"), SynonymTerm.read("aide au logement")]]
    parsed = query_parse(
        "CAF aides au logement loge", groups=groups, acronyms={"caf"}, vocabulary={"caf"}
    )
    assert parsed.clauses[0] == ((Term("caf", EXACT),),)
    assert parsed.clauses[1] == (
        (Term("aide", STEM), Term("logement", STEM)),
        (Term("apl", EXACT),),
    )
    assert parsed.clauses[2] == ((Term("loge", PREFIX),),)
    assert parsed.synonyms == [("aide au logement", ["APL"])]
