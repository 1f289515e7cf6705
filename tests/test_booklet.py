"""What the paper directory prints: cover, contents, parts, index, headers and footers.

The booklets are rendered once for the whole session (`booklets`) and only read here;
how editions are built, kept and served is tests/test_editions.py.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from liaison.booklet import parts
from liaison.booklet.context import BookletOptions, booklet_context
from liaison.booklet.editions import booklet_render
from liaison.booklet.sheets import sheet_html, sheet_structures
from liaison.pdf import pdf_render_html
from structures.management.commands.seed_synthetic import seed_synthetic
from structures.models import Territory

from .booklet_data import booklet_directory_build, tiny_directory_build
from .factories import ContactFactory
from .pdf_utils import is_a4, pdf_keep, pdf_pages_text, pdf_reader, pdf_text, pdf_text_sizes

VARIANTS = {
    "whole": BookletOptions(),
    "without_annexes": BookletOptions(with_annexes=False),
    "without_contacts": BookletOptions(with_contacts=False),
    "logement": BookletOptions(theme_slugs=("logement",)),
    "one_sided": BookletOptions(two_sided=False),
}

# Every test here may be the only one selected: the mark makes pytest-django create the
# test database for the session fixture too, instead of leaving it on the real one.
pytestmark = pytest.mark.django_db


@dataclass
class Booklets:
    pdfs: dict  # variant -> PDF bytes
    pages: dict  # variant -> text of each page
    themes: list  # [(name, [display names of its local structures, in order])]
    structures: list  # [(structure name, acronym, display name, [active fiche titles])]


def _every_other_structure_ends_a_chunk(structure):
    return structure.pk % 2 == 0


@pytest.fixture(scope="session")
def booklets(django_db_setup, django_db_blocker, tmp_path_factory):
    """The booklets of the test directory, rendered once, cut into many chunks.

    The data is created in a transaction rolled back at the end: only what the tests
    read is kept.
    """
    media = tmp_path_factory.mktemp("media")
    cut = mock.patch.object(parts, "_cuts_after", _every_other_structure_ends_a_chunk)
    settings = override_settings(MEDIA_ROOT=media)
    with django_db_blocker.unblock(), settings, cut, transaction.atomic():
        directory = booklet_directory_build()
        themes = [
            (
                theme.name,
                [
                    s.display_name
                    for s in sorted(
                        {s.structure for s in theme.services.active()},
                        key=lambda structure: structure.name.replace("É", "E"),
                    )
                    if not s.is_annex
                ],
            )
            for theme in directory["themes"]
        ]
        structures = [
            (s.name, s.acronym, s.display_name, [f.title for f in s.services.active()])
            for s in directory["structures"]
        ]
        pdfs = {name: booklet_render(options=options) for name, options in VARIANTS.items()}
        transaction.set_rollback(True)
    pages = {name: pdf_pages_text(pdf) for name, pdf in pdfs.items()}
    return Booklets(pdfs=pdfs, pages=pages, themes=themes, structures=structures)


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


def blank_pages(pages) -> list[int]:
    """The numbers of the pages that hold nothing but the footer."""
    footer = re.compile(r"Édition du .+ page \d+ / \d+")
    return [number for number, text in enumerate(pages, start=1) if footer.fullmatch(text.strip())]


def contents_text(pages):
    """The text of the table of contents: from its title to the page before the first part."""
    start = first_page_with(pages, "Sommaire")
    first_part = int(re.search(r"Sommaire \S.*?\s(\d+)", pages[start - 1]).group(1))
    return " ".join(pages[start - 1 : first_part - 1]), start


def test_the_booklet_has_a_cover_with_the_territory_the_coordination_and_the_edition(booklets):
    cover = booklets.pages["whole"][0]
    assert "Bellecombe-sur-Saône" in cover
    assert "Maison des Alouettes" in cover
    assert re.search(r"Édition du \d{1,2}(er)? \w+ 20\d\d", cover)
    assert "DOCUMENT RÉSERVÉ AUX PARTENAIRES" in cover.upper()


def test_every_structure_and_active_service_appears_and_inactive_ones_never(booklets):
    text = " ".join(booklets.pages["whole"])
    assert is_a4(booklets.pdfs["whole"])
    for name, _, _, titles in booklets.structures:
        assert name in text
        for title in titles:
            assert title in text
    assert "Restos du cœur de Lyon" in text
    assert "Distribution alimentaire" in text
    assert "Ancienne permanence fermée" not in text


def test_the_contents_page_numbers_are_the_pages_of_the_headings(booklets):
    pages = booklets.pages["whole"]
    contents, contents_page = contents_text(pages)
    checked = 0
    for theme, structures in booklets.themes:
        theme_page, position = printed_number(contents, theme)
        assert theme_page == first_page_with(pages, theme, start=contents_page + 1)
        for display_name in structures:
            page, offset = printed_number(contents[position:], display_name)
            position += offset
            assert page == first_page_with(pages, display_name, start=theme_page)
            checked += 1
    assert checked == 21
    assert len({printed_number(contents, theme)[0] for theme, _ in booklets.themes}) == 3


def test_the_index_page_numbers_are_the_pages_of_the_identity_sheets(booklets):
    pages = booklets.pages["whole"]
    contents, _ = contents_text(pages)
    index_page = printed_number(contents, "Index des structures et des sigles")[0]
    index = " ".join(pages[index_page - 1 :])
    a_to_z = printed_number(contents, "Les structures de A à Z")[0]
    assert "Les structures de A à Z" in pages[a_to_z - 1]
    for name, acronym, display_name, _ in booklets.structures:
        actual = first_page_with(pages, display_name, start=a_to_z)
        assert printed_number(index, name)[0] == actual
        assert printed_number(index, f"{acronym} : {name}")[0] == actual
    annexes = printed_number(contents, "Annexes : hors du territoire")[0]
    assert printed_number(index, "RDC : Restos du cœur de Lyon")[0] >= annexes


def test_the_parts_are_cut_into_chunks_that_follow_each_other(booklets):
    """Chunks of a part start on a new page, not on a new sheet: no blank page inside."""
    pages = booklets.pages["whole"]
    contents, _ = contents_text(pages)
    a_to_z = printed_number(contents, "Les structures de A à Z")[0]
    annexes = printed_number(contents, "Annexes : hors du territoire")[0]
    a_to_z_pages = pages[a_to_z - 1 : annexes - 1]
    assert all("Maison des" in text for text in a_to_z_pages[:-1])


def test_every_page_but_the_cover_says_page_x_of_y_and_the_edition(booklets):
    pages = booklets.pages["whole"]
    total = len(pages)
    assert total > 10
    assert "page 1 /" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} / {total}" in text
        assert "Édition du" in text
        assert len(re.findall(r"page \d+ / \d+", text)) == 1


def test_the_running_header_names_the_current_theme(booklets):
    pages = booklets.pages["whole"]
    contents, _ = contents_text(pages)
    start = printed_number(contents, "Logement")[0]
    end = printed_number(contents, "Santé")[0]
    assert end - start >= 2
    for number in range(start + 1, end):
        text = pages[number - 1]
        if "Maison des" in text:  # not the blank back of a page
            assert "Logement Bellecombe-sur-Saône Édition du" in text, text


def test_each_part_opens_on_a_right_hand_page_with_the_inner_margin_alternating(booklets):
    pages = booklets.pages["whole"]
    contents, _ = contents_text(pages)
    titles = [theme for theme, _ in booklets.themes]
    titles += ["Les structures de A à Z", "Annexes : hors du territoire"]
    titles += ["Index des structures et des sigles"]
    assert all(printed_number(contents, title)[0] % 2 == 1 for title in titles)
    reader = pdf_reader(booklets.pdfs["whole"])
    a_to_z = printed_number(contents, "Les structures de A à Z")[0]
    recto, verso = (_heading_x(reader.pages[number - 1]) for number in (a_to_z, a_to_z + 1))
    assert round(recto - verso) == 17  # 20 mm inside on a right-hand page, 14 mm outside


def _heading_x(page) -> float:
    """Where the first structure heading of the page starts, in points from the left."""
    found = []

    def visit(text, cm, tm, *_):
        if text.startswith("Maison des"):
            found.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    page.extract_text(visitor_text=visit)
    return found[0]


def test_a_one_sided_booklet_has_no_blank_page_and_the_inner_margin_always_on_the_left(
    booklets,
):
    two_sided, one_sided = booklets.pages["whole"], booklets.pages["one_sided"]
    assert len(one_sided) < len(two_sided)
    assert blank_pages(one_sided) == []
    reader = pdf_reader(booklets.pdfs["one_sided"])
    contents, _ = contents_text(one_sided)
    a_to_z = printed_number(contents, "Les structures de A à Z")[0]
    edges = {round(_heading_x(reader.pages[number - 1])) for number in (a_to_z, a_to_z + 1)}
    assert len(edges) == 1


def test_a_theme_booklet_printed_two_sided_has_no_needless_blank_page(booklets):
    """Only the cover keeps a blank back; the parts of a theme booklet follow each other."""
    pages = booklets.pages["logement"]
    assert blank_pages(pages) == [2]
    assert pages[2].startswith("Sommaire")
    assert blank_pages(booklets.pages["whole"])  # the whole directory opens parts on the right


def test_a_fiche_stays_on_one_page_with_its_structure_heading(booklets):
    pages = booklets.pages["whole"]
    contents, _ = contents_text(pages)
    first_theme = printed_number(contents, "Logement")[0]
    for name, _, display_name, titles in booklets.structures:
        short = name.removeprefix("Maison des ")
        for title in titles:
            page = first_page_with(pages, title, start=first_theme)
            after_title = pages[page - 1].split(title, 1)[1]
            assert f"Référente des {short}" in after_title, title
        heading_page = first_page_with(pages, display_name, start=first_theme)
        after_heading = pages[heading_page - 1].split(display_name, 1)[1]
        assert "Fiche " in after_heading, "a structure heading was left alone"


def test_the_annex_toggle_and_the_contacts_toggle_change_the_content(booklets):
    without = " ".join(booklets.pages["without_annexes"])
    assert "Restos du cœur de Lyon" not in without
    assert "Distribution alimentaire" not in without
    assert "Annexes : hors du territoire" not in without
    assert "Référente des Alouettes" in without
    anonymous = " ".join(booklets.pages["without_contacts"])
    assert "Référente des Alouettes" not in anonymous
    assert "Restos du cœur de Lyon" in anonymous


def test_choosing_a_theme_keeps_only_its_fiches_and_structures(booklets):
    text = " ".join(booklets.pages["logement"])
    assert "Fiche 1 des Alouettes" in text  # (0 + 0) % 3 -> logement
    assert "Fiche 2 des Alouettes" not in text  # santé
    assert "Fiche 3 des Bleuets" in text  # (1 + 2) % 3 -> logement
    assert "Fiche 1 des Capucines" not in text  # (2 + 0) % 3 -> emploi
    assert "Restos du cœur de Lyon" not in text  # its only fiche is in santé
    assert f"page 2 / {len(booklets.pages['logement'])}" in booklets.pages["logement"][1]


def test_the_booklet_is_built_in_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    for size in (5, 60):
        seed_synthetic(structures=size, services_per_structure=3)
        with django_assert_max_num_queries(8):
            context = booklet_context(options=BookletOptions())
        assert len(context["structures"]) + len(context["annex_structures"]) >= size


def test_the_edition_date_writes_the_french_ordinal(db):
    tiny_directory_build()
    first = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    pdf = booklet_render(options=BookletOptions(theme_slugs=("sante",)), produced_at=first)
    pdf_keep(pdf, "livret-sante")
    pages = pdf_pages_text(pdf)
    assert "Édition du 1er décembre 2026" in pages[0]
    assert all("Édition du 1er décembre 2026" in page for page in pages[1:])
    assert "Édition du 1 décembre" not in " ".join(pages)


def test_the_cover_shows_the_themes_at_a_glance(booklets):
    cover = booklets.pages["whole"][0]
    for expected in ["Logement", "Santé", "Emploi et insertion", "Coordination du répertoire"]:
        assert expected in cover, expected
    assert re.search(r"Logement \d+ structures?", cover)


def test_the_contents_never_double_the_parentheses(booklets):
    contents, _ = contents_text(booklets.pages["whole"])
    assert ") (" not in contents
    assert "Restos du cœur de Lyon (RDC) — Santé" in contents


def test_the_body_text_is_10_5_to_11_points(booklets):
    sizes = [
        size
        for text, size in pdf_text_sizes(booklets.pdfs["logement"])
        if text.startswith("Un entretien")
    ]
    assert sizes
    assert all(10.5 <= size <= 11 for size in sizes)


def test_the_structure_pdf_prints_each_contact_once(db):
    structure = booklet_directory_build()["structures"][0]
    ContactFactory(structure=structure, service=structure.services.first(), name="Agent direct")
    [structure] = sheet_structures([structure.pk])
    html = sheet_html(structure, territory=Territory.load(), produced_at=timezone.now())
    pdf = pdf_render_html(html).pdf
    pdf_keep(pdf, "fiche-structure")
    text = pdf_text(pdf)
    assert text.count("Référente des Alouettes") == 1
    assert text.count("Agent direct") == 1
    assert "les personnes à contacter de la structure, ci-dessus" in text


def test_the_documents_to_bring_print_as_a_list_whatever_the_markers_typed(db):
    structure = booklet_directory_build()["structures"][0]
    service = structure.services.first()
    service.documents = "- Pièce d'identité\n* Avis d'imposition\nJustificatif de domicile"
    service.save()
    [structure] = sheet_structures([structure.pk])
    html = sheet_html(structure, territory=Territory.load(), produced_at=timezone.now())
    text = pdf_text(pdf_render_html(html).pdf)
    for item in ["Pièce d'identité", "Avis d'imposition", "Justificatif de domicile"]:
        assert f"• {item}" in text
    assert "- Pièce" not in text
    assert "* Avis" not in text


def test_a_part_prints_the_same_with_its_stylesheets_given_apart_as_linked(db):
    """The workers parse the booklet's stylesheets once and give them to every part."""
    booklet_directory_build()
    render = parts.BookletRender(context=booklet_context(options=BookletOptions()), pool=None)
    html = render._html(render.chunks[2])  # the first theme
    links = "".join(
        f'<link rel="stylesheet" href="/static/{name}">' for name in parts.PART_STYLESHEETS
    )
    apart = pdf_render_html(html, stylesheets=parts.PART_STYLESHEETS)
    linked = pdf_render_html(html.replace("</title>", "</title>" + links, 1))
    unstyled = pdf_render_html(html)
    assert "<link" not in html
    assert pdf_text_sizes(apart.pdf) == pdf_text_sizes(linked.pdf)
    assert apart.anchors == linked.anchors
    assert pdf_text_sizes(unstyled.pdf) != pdf_text_sizes(apart.pdf)
