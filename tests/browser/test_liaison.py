"""Fiche parcours and fiche liaison, filled in a real browser, downloaded and read back."""

from playwright.sync_api import expect

from structures.models import Service

from ..pdf_utils import pdf_text
from .conftest import axe_violations, screenshot, wait_for_path


def download(page, click):
    """Click what downloads a file; return (suggested filename, bytes)."""
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_a_partner_adds_two_services_to_the_parcours_fills_it_and_downloads_the_pdf(
    partner_page,
):
    page = partner_page
    page.goto("/themes/logement/")
    page.get_by_role("link", name="Centre communal d'action sociale").click()
    page.get_by_role("link", name="Enregistrement de la demande de logement social").click()
    wait_for_path(page, "/structures/ccas/logement-demande/")
    title = "Enregistrement de la demande de logement social"
    page.get_by_role("button", name=f"Ajouter « {title} » au parcours").click()
    # The page after the POST: is_visible() would answer at once, perhaps of a page the
    # browser has committed to but not yet read; expect() waits for it.
    expect(page.get_by_role("link", name="Dans le parcours ✓")).to_be_visible()

    caf_service = Service.objects.get(structure__slug="caf", slug="apl")
    page.goto("/themes/logement/")
    page.get_by_role("button", name=f"Ajouter « {caf_service.title} » au parcours").click()

    page.get_by_role("link", name="Fiche parcours").first.click()
    wait_for_path(page, "/parcours/")
    contacts = page.locator("ol.parcours-list > li")
    assert contacts.count() == 2
    page.get_by_label("Prénom de la personne").fill("Samira")
    page.get_by_label("Langue de la personne").select_option("ar")
    page.get_by_label("Ses difficultés, avec ses mots").fill("Trouver un logement moins cher")
    page.get_by_role("checkbox", name="Logement").check()
    page.get_by_label("Date").first.fill("2026-12-03")
    page.get_by_label("Avec qui").first.fill("Julien Lefèvre, CCAS")
    screenshot(page, "parcours-rempli")
    assert axe_violations(page) == {}

    name, pdf = download(
        page, page.get_by_role("button", name="Télécharger la fiche parcours (PDF)").click
    )
    assert name.startswith("fiche-parcours-")
    assert name.endswith(".pdf")
    text = pdf_text(pdf)
    for expected in [
        "Samira",
        "Trouver un logement moins cher",
        "Enregistrement de la demande de logement social",
        caf_service.title,
        "Julien Lefèvre, CCAS",
        "Mes difficultés",
        "صعوباتي",  # the same heading in Arabic
    ]:
        assert expected in text, expected


def fill_liaison(page):
    page.goto("/structures/ccas/accueil-social/")
    page.get_by_role("main").get_by_role("link", name="Fiche liaison", exact=True).click()
    wait_for_path(page, "/liaison/nouvelle/")
    assert page.get_by_label("Structure destinataire").input_value().startswith("Centre communal")
    page.get_by_label("Votre nom").fill("Dominique Martin")
    page.get_by_label("Nom*", exact=True).fill("Durand")
    page.get_by_label("Prénom*", exact=True).fill("Samira")
    page.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")
    page.get_by_label("La demande, en quelques mots").fill("Demande d'aide pour un loyer impayé")


def test_a_fiche_liaison_without_the_persons_consent_is_refused_and_nothing_is_lost(
    partner_page,
):
    page = partner_page
    fill_liaison(page)
    consent = page.get_by_label("La personne a été informée de cette transmission")
    submit = page.get_by_role("button", name="Télécharger la fiche liaison (PDF)")
    # The server answers, in French: the browser's own English bubble is not used.
    submit.click()
    assert "La fiche n'est pas complète" in page.get_by_role("alert").first.inner_text()
    assert consent.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{consent.get_attribute('aria-describedby')}")
    assert "avec l'accord de la personne" in error.inner_text()
    assert page.get_by_label("Nom*", exact=True).input_value() == "Durand"
    screenshot(page, "liaison-sans-accord")
    assert axe_violations(page) == {}


def test_a_fiche_liaison_with_consent_downloads_a_pdf_addressed_to_the_structure(partner_page):
    page = partner_page
    fill_liaison(page)
    page.get_by_label("La personne a été informée de cette transmission").check()
    name, pdf = download(
        page, page.get_by_role("button", name="Télécharger la fiche liaison (PDF)").click
    )
    assert name.endswith(".pdf")
    text = pdf_text(pdf)
    for expected in ["Centre communal d'action sociale", "Durand", "Samira", "loyer impayé"]:
        assert expected in text, expected
