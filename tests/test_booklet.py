import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from liaison.booklet.cache import (
    booklet_current_edition,
    booklet_get,
    booklet_render,
    directory_fingerprint,
)
from liaison.booklet.context import BookletOptions, booklet_context
from structures.management.commands.seed_synthetic import seed_synthetic
from structures.models import Contact, Territory

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory
from .pdf_utils import is_a4, pdf_keep, pdf_pages_text, pdf_text, pdf_text_sizes

LONG_TEXT = (
    "Un entretien permet de faire le point sur la situation de la personne et de proposer "
    "un accompagnement adapté, en lien avec les partenaires du répertoire. "
) * 4


@pytest.fixture
def directory(db):
    """Three themes, seven local structures with long fiches, one annex, one inactive fiche."""
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône"
    logement = ThemeFactory(name="Logement", slug="logement", order=1)
    sante = ThemeFactory(name="Santé", slug="sante", order=2)
    emploi = ThemeFactory(name="Emploi et insertion", slug="emploi", order=3)
    names = ["Alouettes", "Bleuets", "Capucines", "Dahlias", "Églantines", "Fougères", "Glycines"]
    structures = []
    for number, name in enumerate(names):
        structure = StructureFactory(
            name=f"Maison des {name}", acronym=f"MD{name[0]}", role=LONG_TEXT
        )
        structures.append(structure)
        for index in range(3):
            theme = [logement, sante, emploi][(number + index) % 3]
            ServiceFactory(
                structure=structure,
                title=f"Fiche {index + 1} des {name}",
                themes=[theme],
                objectives=LONG_TEXT,
                procedure=LONG_TEXT,
            )
        ContactFactory(structure=structure, name=f"Référente des {name}")
    coordination = structures[0]
    territory.coordinating_structure = coordination
    territory.save()
    annex = StructureFactory(name="Restos du cœur de Lyon", acronym="RDC", annex=True)
    ServiceFactory(structure=annex, title="Distribution alimentaire", themes=[sante])
    ServiceFactory(
        structure=structures[1],
        title="Ancienne permanence fermée",
        themes=[logement],
        inactive=True,
    )
    return {"themes": [logement, sante, emploi], "structures": structures, "annex": annex}


def stored_pdf(edition):
    with default_storage.open(edition.name) as file:
        return file.read()


@pytest.fixture
def booklet_pages(directory):
    return pdf_pages_text(booklet_render(options=BookletOptions()))


def first_page_with(pages, text, *, start=1):
    """The number (from 1) of the first page from `start` on whose text contains `text`."""
    for number in range(start, len(pages) + 1):
        if text in pages[number - 1]:
            return number
    raise AssertionError(f"{text!r} not found from page {start}")


def printed_number(text, label):
    """The page number printed right after `label` in a table of contents or an index."""
    match = re.search(re.escape(label) + r"\s+(\d+)", text)
    assert match, f"no page number after {label!r}"
    return int(match.group(1)), match.end()


def contents_text(pages):
    """The text of the table of contents: from its title to the page before the first part."""
    start = first_page_with(pages, "Sommaire")
    first_part = int(re.search(r"Sommaire \S.*?\s(\d+)", pages[start - 1]).group(1))
    return " ".join(pages[start - 1 : first_part - 1]), start


def test_the_booklet_has_a_cover_with_the_territory_the_coordination_and_the_edition(
    booklet_pages,
):
    cover = booklet_pages[0]
    assert "Bellecombe-sur-Saône" in cover
    assert "Maison des Alouettes" in cover
    assert re.search(r"Édition du \d{1,2}(er)? \w+ 20\d\d", cover)
    assert "DOCUMENT RÉSERVÉ AUX PARTENAIRES" in cover.upper()


def test_every_structure_and_active_service_appears_and_inactive_ones_never(directory):
    pdf = booklet_render(options=BookletOptions())
    text = pdf_text(pdf)
    assert is_a4(pdf)
    for structure in [*directory["structures"], directory["annex"]]:
        assert structure.name in text
        for service in structure.services.active():
            assert service.title in text
    assert "Ancienne permanence fermée" not in text


def test_the_contents_page_numbers_are_the_pages_of_the_headings(directory, booklet_pages):
    contents, contents_page = contents_text(booklet_pages)
    checked = 0
    for theme in directory["themes"]:
        theme_page, position = printed_number(contents, theme.name)
        assert theme_page == first_page_with(booklet_pages, theme.name, start=contents_page + 1)
        structures = sorted(
            {s.structure for s in theme.services.active() if not s.structure.is_annex},
            key=lambda structure: structure.name.replace("É", "E"),
        )
        for structure in structures:
            page, offset = printed_number(contents[position:], structure.display_name)
            position += offset
            assert page == first_page_with(booklet_pages, structure.display_name, start=theme_page)
            checked += 1
    assert checked == 21
    assert len({printed_number(contents, t.name)[0] for t in directory["themes"]}) == 3


def test_the_index_page_numbers_are_the_pages_of_the_identity_sheets(directory, booklet_pages):
    contents, _ = contents_text(booklet_pages)
    index_page = printed_number(contents, "Index des structures et des sigles")[0]
    index = " ".join(booklet_pages[index_page - 1 :])
    a_to_z = printed_number(contents, "Les structures de A à Z")[0]
    assert "Les structures de A à Z" in booklet_pages[a_to_z - 1]
    for structure in directory["structures"]:
        actual = first_page_with(booklet_pages, structure.display_name, start=a_to_z)
        assert printed_number(index, structure.name)[0] == actual
        label = f"{structure.acronym} : {structure.name}"
        assert printed_number(index, label)[0] == actual
    annexes = printed_number(contents, "Annexes : hors du territoire")[0]
    assert printed_number(index, "RDC : Restos du cœur de Lyon")[0] >= annexes


def test_every_page_but_the_cover_says_page_x_of_y_and_the_edition(booklet_pages):
    total = len(booklet_pages)
    assert total > 10
    assert "page 1 /" not in booklet_pages[0]
    for number, text in enumerate(booklet_pages[1:], start=2):
        assert f"page {number} / {total}" in text
        assert "Édition du" in text
        assert len(re.findall(r"page \d+ / \d+", text)) == 1


def test_the_running_header_names_the_current_theme(directory, booklet_pages):
    contents, _contents_page = contents_text(booklet_pages)
    logement, sante = directory["themes"][:2]
    start = printed_number(contents, logement.name)[0]
    end = printed_number(contents, sante.name)[0]
    assert end - start >= 2
    for number in range(start, end):
        if "Maison des" in booklet_pages[number - 1]:  # not the blank back of a page
            assert booklet_pages[number - 1].count("Logement") >= 1


def test_a_fiche_stays_on_one_page_with_its_structure_heading(directory, booklet_pages):
    contents, _contents_page = contents_text(booklet_pages)
    first_theme = printed_number(contents, directory["themes"][0].name)[0]
    for structure in directory["structures"]:
        name = structure.name.removeprefix("Maison des ")
        for service in structure.services.active():
            page = first_page_with(booklet_pages, service.title, start=first_theme)
            after_title = booklet_pages[page - 1].split(service.title, 1)[1]
            assert f"Référente des {name}" in after_title, service.title
        heading_page = first_page_with(booklet_pages, structure.display_name, start=first_theme)
        after_heading = booklet_pages[heading_page - 1].split(structure.display_name, 1)[1]
        assert "Fiche " in after_heading, "a structure heading was left alone"


def test_the_annex_toggle_and_the_contacts_toggle_change_the_content(directory):
    without = pdf_text(booklet_render(options=BookletOptions(with_annexes=False)))
    assert "Restos du cœur de Lyon" not in without
    assert "Distribution alimentaire" not in without
    assert "Annexes : hors du territoire" not in without
    assert "Référente des Alouettes" in without
    anonymous = pdf_text(booklet_render(options=BookletOptions(with_contacts=False)))
    assert "Référente des Alouettes" not in anonymous
    assert "Restos du cœur de Lyon" in anonymous


def test_choosing_a_theme_keeps_only_its_fiches_and_structures(directory):
    text = pdf_text(booklet_render(options=BookletOptions(theme_slugs=("logement",))))
    assert "Fiche 1 des Alouettes" in text  # (0 + 0) % 3 -> logement
    assert "Fiche 2 des Alouettes" not in text  # santé
    assert "Fiche 3 des Bleuets" in text  # (1 + 2) % 3 -> logement
    assert "Fiche 1 des Capucines" not in text  # (2 + 0) % 3 -> emploi
    assert "Restos du cœur de Lyon" not in text  # its only fiche is in santé


def test_the_booklet_is_built_in_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    for size in (5, 60):
        seed_synthetic(structures=size, services_per_structure=3)
        with django_assert_max_num_queries(8):
            context = booklet_context(options=BookletOptions())
        assert len(context["structures"]) + len(context["annex_structures"]) >= size


def test_the_cached_edition_is_reused_until_a_fiche_changes(directory):
    first = booklet_get()
    assert booklet_get().name == first.name
    assert booklet_current_edition().name == first.name
    service = directory["structures"][2].services.first()
    service.title = "Fiche toute neuve"
    service.save()
    assert booklet_current_edition() is None
    second = booklet_get()
    assert second.name != first.name
    assert "Fiche toute neuve" in pdf_text(stored_pdf(second))


@pytest.mark.parametrize("change", ["contact", "structure", "theme", "new_link", "delete"])
def test_any_change_to_the_directory_changes_the_fingerprint(directory, change):
    before = directory_fingerprint()
    structure = directory["structures"][3]
    if change == "contact":
        contact = structure.contacts.first()
        contact.phone = "04 65 71 99 99"
        contact.save()
    elif change == "structure":
        structure.opening_hours = "Le mardi seulement"
        structure.save()
    elif change == "theme":
        theme = directory["themes"][0]
        theme.name = "Logement et hébergement"
        theme.save()
    elif change == "new_link":
        structure.services.first().themes.add(*directory["themes"])
    else:
        structure.services.last().delete()
    assert directory_fingerprint() != before


def test_the_command_builds_the_edition_once_then_says_it_is_current(directory, capsys):
    call_command("build_directory_pdf")
    edition = booklet_current_edition()
    assert edition is not None
    assert "Maison des Glycines" in pdf_text(stored_pdf(edition))
    capsys.readouterr()
    call_command("build_directory_pdf")
    assert "à jour" in capsys.readouterr().out
    assert booklet_current_edition().name == edition.name
    call_command("build_directory_pdf", verbosity=0)
    assert capsys.readouterr().out == ""


def test_rebuilding_removes_the_outdated_editions_of_every_choice(directory):
    first = booklet_get()
    theme_only = booklet_get(options=BookletOptions(theme_slugs=("sante",)))
    assert default_storage.exists(theme_only.name)
    ContactFactory(structure=directory["structures"][0], name="Nouvelle référente")
    second = booklet_get()
    assert default_storage.exists(second.name)
    assert not default_storage.exists(first.name)
    assert not default_storage.exists(theme_only.name)


def _urls(directory):
    structure = directory["structures"][0]
    return [
        reverse("liaison:booklet"),
        reverse("liaison:booklet_pdf"),
        reverse("liaison:theme_pdf", args=["sante"]),
        reverse("liaison:structure_pdf", args=[structure.slug]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "partner", "coordinator"])
def test_access_to_the_printing_pages(directory, client_for, partner_a, coordinator, who):
    user = {"anonymous": None, "partner": partner_a, "coordinator": coordinator}[who]
    client = client_for(user)
    for url in _urls(directory):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 200, url


def test_the_print_page_says_when_the_current_edition_was_produced(directory, partner_client):
    response = partner_client.get(reverse("liaison:booklet"))
    assert "le répertoire a changé depuis la dernière édition" in response.content.decode().lower()
    booklet_get()
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    assert "L'édition actuelle du répertoire complet a été produite le" in page
    assert "Télécharger le PDF" in page


def test_the_download_serves_the_cached_edition(directory, partner_client):
    edition = booklet_get()
    response = partner_client.get(reverse("liaison:booklet_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="repertoire.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored_pdf(edition)


def test_the_form_builds_the_chosen_edition(directory, partner_client):
    query = "?scope=thematiques&themes=sante&annexes=sans&contacts=avec"
    response = partner_client.get(reverse("liaison:booklet_pdf") + query)
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "Fiche 2 des Alouettes" in text  # santé
    assert "Fiche 1 des Alouettes" not in text
    assert "Restos du cœur de Lyon" not in text


def test_choosing_themes_without_ticking_any_explains_and_keeps_the_choices(
    directory, partner_client
):
    query = "?scope=thematiques&annexes=sans&contacts=avec"
    response = partner_client.get(reverse("liaison:booklet_pdf") + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cochez au moins une thématique" in page
    assert re.search(r'value="sans"\s+id="id_annexes_1"[^>]*checked', page)
    assert re.search(r'value="thematiques"\s+id="id_scope_1"[^>]*checked', page)


def test_the_theme_pdf_holds_that_theme_only(directory, partner_client):
    response = partner_client.get(reverse("liaison:theme_pdf", args=["emploi"]))
    pages = pdf_pages_text(b"".join(response.streaming_content))
    text = " ".join(pages)
    assert "Fiche 3 des Alouettes" in text
    assert "Fiche 1 des Alouettes" not in text
    assert f"page 2 / {len(pages)}" in pages[1]


def test_the_theme_and_structure_pages_link_to_their_pdf(directory, partner_client):
    theme_page = partner_client.get(reverse("structures:theme_detail", args=["sante"]))
    assert reverse("liaison:theme_pdf", args=["sante"]) in theme_page.content.decode()
    structure = directory["structures"][1]
    structure_page = partner_client.get(structure.get_absolute_url())
    assert (
        reverse("liaison:structure_pdf", args=[structure.slug]) in structure_page.content.decode()
    )


def test_the_structure_pdf_has_its_identity_and_all_its_active_fiches(directory, partner_client):
    structure = directory["structures"][1]
    response = partner_client.get(reverse("liaison:structure_pdf", args=[structure.slug]))
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages_text(response.content)
    text = " ".join(pages)
    assert structure.display_name in text
    assert "Son rôle" in text
    for title in ("Fiche 1 des Bleuets", "Fiche 2 des Bleuets", "Fiche 3 des Bleuets"):
        assert title in text
    assert "Ancienne permanence fermée" not in text
    assert "Référente des Bleuets" in text
    assert f"page 1 / {len(pages)}" in pages[0]


def test_an_import_that_only_changes_a_contact_invalidates_the_edition(db):
    from structures.data.exports import directory_csv_files
    from structures.data.planning import records_import
    from structures.data.readers import csv_records_read
    from structures.data.records import ImportReport

    from .directory_data import directory_build

    directory_build()
    before = directory_fingerprint()
    text = directory_csv_files()["contacts.csv"].decode("utf-8-sig")
    phone = Contact.objects.exclude(phone="").first().phone
    changed = text.replace(phone, "04 65 71 99 98", 1)
    assert changed != text
    report = ImportReport()
    records = csv_records_read(files={"contacts.csv": changed.encode()}, report=report)
    assert records_import(records=records, apply=True, report=report).ok
    assert directory_fingerprint() != before


def test_the_edition_date_writes_the_french_ordinal(directory):
    first = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    pdf = booklet_render(options=BookletOptions(theme_slugs=("sante",)), produced_at=first)
    pdf_keep(pdf, "livret-sante")
    pages = pdf_pages_text(pdf)
    assert "Édition du 1er décembre 2026" in pages[0]
    assert all("Édition du 1er décembre 2026" in page for page in pages[1:])
    assert "Édition du 1 décembre" not in " ".join(pages)


def test_the_cover_shows_the_themes_at_a_glance(directory):
    pdf = booklet_render(options=BookletOptions())
    cover = pdf_pages_text(pdf)[0]
    for expected in ["Logement", "Santé", "Emploi et insertion", "Coordination du répertoire"]:
        assert expected in cover, expected
    assert re.search(r"Logement \d+ structures?", cover)


def test_the_contents_never_double_the_parentheses(directory):
    pages = pdf_pages_text(booklet_render(options=BookletOptions()))
    contents, _ = contents_text(pages)
    assert ") (" not in contents
    assert "Restos du cœur de Lyon (RDC) — Santé" in contents


def test_the_body_text_is_10_5_to_11_points(directory):
    pdf = booklet_render(options=BookletOptions(theme_slugs=("logement",)))
    sizes = [size for text, size in pdf_text_sizes(pdf) if text.startswith("Un entretien")]
    assert sizes
    assert all(10.5 <= size <= 11 for size in sizes)


def test_the_structure_pdf_prints_each_contact_once(directory, partner_client):
    structure = directory["structures"][0]
    ContactFactory(structure=structure, service=structure.services.first(), name="Agent direct")
    pdf = partner_client.get(reverse("liaison:structure_pdf", args=[structure.slug])).content
    pdf_keep(pdf, "fiche-structure")
    text = pdf_text(pdf)
    assert text.count("Référente des Alouettes") == 1
    assert text.count("Agent direct") == 1
    assert "les personnes à contacter de la structure, ci-dessus" in text
