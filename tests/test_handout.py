"""The fiche parcours in the person's language: catalogues, fonts, right-to-left, privacy."""

import re
import unicodedata
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from liaison.models import DocumentUse
from liaison.parcours.handout import (
    LABELS,
    MONTHS,
    RIGHT_TO_LEFT,
    THEME_LABELS,
    WEEKDAYS,
    HandoutLanguage,
)
from structures.models import Theme

from .form_data import PARCOURS_URL, add, parcours_form
from .pdf_utils import pdf_font_names, pdf_keep, pdf_lines, pdf_pages_text, pdf_text_sizes

FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "noto"
MSGIDS = LABELS + WEEKDAYS + MONTHS + THEME_LABELS


def po_entries(language: str) -> dict[str, str]:
    """msgid → msgstr of a catalogue, multi-line strings joined (as editors write them)."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts = re.findall(r'^(msgid|msgstr) ((?:".*"\n?)+)', block, re.M)
        strings = {key: "".join(re.findall(r'"(.*)"', value)) for key, value in parts}
        if strings.get("msgid"):
            entries[strings["msgid"].replace('\\"', '"')] = strings["msgstr"].replace('\\"', '"')
    return entries


def squash(text: str) -> str:
    """Letters only, no spaces nor combining marks: shaping and line breaks cannot matter."""
    return "".join(
        char
        for char in unicodedata.normalize("NFC", text)
        if not char.isspace() and unicodedata.category(char) not in ("Mn", "Cf")
    )


LAM_ALEF = {"ال": "لا", "أل": "لأ", "إل": "لإ", "آل": "لآ"}


def printed(label: str, language: HandoutLanguage) -> str:
    """How a label reads back from the PDF: right-to-left text comes out in visual order,
    but for the lam-alef ligature, whose two letters come back in reading order."""
    if language not in RIGHT_TO_LEFT:
        return squash(label)
    return re.sub("|".join(LAM_ALEF), lambda match: LAM_ALEF[match.group(0)], squash(label)[::-1])


def visual_text(pdf: bytes) -> str:
    """The characters of the PDF as they sit on the page, left to right, squashed."""
    return squash(" ".join(line for page in pdf_lines(pdf) for line in page))


def test_at_least_ten_languages_with_those_social_services_meet_most():
    codes = set(HandoutLanguage.values)
    assert len(codes) >= 10
    assert {"ar", "prs", "ps", "en", "uk", "ru", "ro", "es", "ti", "ka"} <= codes


@pytest.mark.parametrize("language", HandoutLanguage.values)
def test_every_catalogue_translates_every_label(language):
    entries = po_entries(language)
    assert set(entries) == set(MSGIDS)
    assert all(entries.values()), [msgid for msgid, msgstr in entries.items() if not msgstr]


def test_the_embedded_fonts_cover_every_character_of_every_catalogue():
    covered = set()
    for font in FONTS.glob("*.ttf"):
        covered |= set(TTFont(font).getBestCmap())
    for language in HandoutLanguage.values:
        for msgid, msgstr in po_entries(language).items():
            missing = {char for char in msgid + msgstr if ord(char) not in covered}
            assert not missing, (language, msgstr, missing)


def test_the_fonts_ship_with_their_licence():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()
    for script in ["", "Arabic", "Ethiopic", "Georgian"]:
        for weight in ["Regular", "Bold"]:
            assert (FONTS / f"NotoSans{script}-{weight}.ttf").exists()


@pytest.mark.parametrize("language", list(HandoutLanguage))
def test_each_language_reads_back_from_the_pdf_beside_the_french(
    services,
    partner_client,
    language,
):
    Theme.objects.filter(slug="logement").update(person_label="Trouver un logement")
    for service in services[:3]:
        add(partner_client, service)
    data = parcours_form(
        language=language.value, difficulty_themes=[Theme.objects.get(slug="logement").pk]
    )
    pdf = partner_client.post(PARCOURS_URL, data).content
    pdf_keep(pdf, f"fiche-parcours-{language.value}")
    assert len(pdf_pages_text(pdf)) <= 2, "three contacts on two pages at most"
    text = visual_text(pdf)
    catalogue = po_entries(language.value)
    for label in [
        "Mon parcours",
        "Mes difficultés",
        "Adresse",
        "Quand y aller",
        "Ce que j'apporte",
        "Mes rendez-vous",
        "Trouver un logement",
        "jeudi",
        "décembre",
    ]:
        assert squash(label) in text, label  # the French, for the partner
        assert printed(catalogue[label], language) in text, (language, label)
    # Only the project's fonts, never a fallback of the server's.
    assert all(name.startswith("Noto-Sans") for name in pdf_font_names(pdf)), pdf_font_names(pdf)
    body = [size for piece, size in pdf_text_sizes(pdf) if not piece.startswith("page ")]
    assert min(body) >= 14


def test_arabic_is_laid_out_right_to_left(services, partner_client):
    add(partner_client, services[0])
    pdf = partner_client.post(PARCOURS_URL, parcours_form(language="ar")).content
    text = visual_text(pdf)
    who_can_help = po_entries("ar")["Qui peut m'aider"]  # several words
    # Read back in visual order: right-to-left text comes out reversed, word order included.
    assert squash(who_can_help)[::-1] in text
    assert squash(who_can_help) not in text

    with pdfplumber.open(BytesIO(pdf)) as document:
        page = document.pages[0]
        heading = [w for w in page.extract_words() if squash(w["text"]) == squash("مساري")[::-1]]
        # The Arabic title sits at the right end of its line, where its reader starts.
        assert heading
        assert heading[0]["x1"] > page.width * 0.8


def test_the_blank_handout_in_a_language_has_two_pages(db, partner_client):
    from .factories import ThemeFactory

    for index in range(12):
        ThemeFactory(name=f"Thématique {index}", person_label=THEME_LABELS[index])
    pdf = partner_client.get("/parcours/vierge.pdf?langue=ps").content
    pdf_keep(pdf, "fiche-parcours-vierge-ps")
    pages = pdf_pages_text(pdf)
    assert len(pages) == 2
    assert printed(po_entries("ps")["Mes rendez-vous"], HandoutLanguage.PASHTO) in visual_text(pdf)
    assert DocumentUse.objects.get().language == "ps"


def test_an_unknown_language_gives_a_french_message_and_the_blank_stays_french(
    services,
    partner_client,
):
    add(partner_client, services[0])
    response = partner_client.post(PARCOURS_URL, parcours_form(language="klingon"))
    assert response["Content-Type"].startswith("text/html")
    assert "Sélectionnez un choix valide" in response.content.decode()
    blank = partner_client.get("/parcours/vierge.pdf?langue=klingon")
    assert blank["Content-Type"] == "application/pdf"


def test_the_language_is_only_kept_in_the_anonymous_count(services, partner_client):
    add(partner_client, services[0])
    partner_client.post(PARCOURS_URL, parcours_form(language="ti"))
    assert DocumentUse.objects.get().language == "ti"
    assert "ti" not in str(dict(partner_client.session))
