"""What partners and the coordinator do, end to end, in a real browser."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format

from structures.models import Service

from .conftest import PASSWORD, axe_violations, log_in, screenshot, wait_for_path


def heading(page):
    return page.get_by_role("heading", level=1).inner_text()


def test_a_partner_logs_in_then_goes_from_a_theme_tab_to_a_structure_and_a_service(page):
    page.goto("/structures/ccas/")
    wait_for_path(page, "/connexion/")  # every page asks for a login first
    page.get_by_label("Identifiant ou adresse courriel").fill("ccas")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    wait_for_path(page, "/structures/ccas/")  # …and goes back where the partner was going

    page.get_by_role("navigation", name="Thématiques").get_by_role("link", name="Logement").click()
    wait_for_path(page, "/themes/logement/")
    assert heading(page) == "Logement"
    tab = page.get_by_role("link", name="Logement", exact=True)
    assert tab.get_attribute("aria-current") == "page"

    page.get_by_role("link", name="Centre communal d'action sociale").click()
    wait_for_path(page, "/structures/ccas/")
    assert heading(page).startswith("Centre communal d'action sociale")

    page.get_by_role("link", name="Enregistrement de la demande de logement social").click()
    wait_for_path(page, "/structures/ccas/logement-demande/")
    assert heading(page) == "Enregistrement de la demande de logement social"
    assert page.get_by_role("heading", name="Qui contacter").is_visible()
    assert page.locator("main a[href^='tel:']").count() >= 1


def test_a_failed_login_shows_a_french_message_and_keeps_the_username(page):
    log_in(page, username="ccas", password="mauvais-mot-de-passe")
    wait_for_path(page, "/connexion/")
    error = page.locator(".alert-danger")
    assert "Identifiant ou mot de passe incorrect." in error.inner_text()
    assert page.get_by_label("Identifiant ou adresse courriel").input_value() == "ccas"
    assert page.get_by_label("Mot de passe").input_value() == ""


def test_a_partner_searches_without_accents_and_opens_a_result(page):
    log_in(page)
    wait_for_path(page, "/")
    page.get_by_label("Que cherchez-vous ?").fill("creche")
    page.get_by_role("button", name="Rechercher").last.click()
    wait_for_path(page, "/recherche/")
    results = page.get_by_role("main").get_by_role("link")
    first = results.filter(has_text="Crèche").first
    title = first.inner_text()
    first.click()
    assert heading(page) == title


def test_the_coordinator_marks_a_stale_fiche_as_reviewed_in_the_admin(page):
    service = Service.objects.get(structure__slug="ccas", slug="accueil-social")
    Service.objects.filter(pk=service.pk).update(
        last_reviewed_at=timezone.now() - timedelta(days=400)
    )
    log_in(page, username="coordination")
    wait_for_path(page, "/")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Fiches services").first.click()
    page.get_by_role("link", name="Non relue depuis plus de 6 mois").click()
    row = page.get_by_role("row").filter(has_text=service.title)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Marquer comme relue aujourd'hui"
    )
    page.get_by_role("button", name="Envoyer").click()
    assert "1 fiche(s) marquée(s) comme relue(s)" in page.locator(".messagelist").inner_text()
    screenshot(page, "admin-fiches-relues")

    page.goto(service.get_absolute_url())
    today = date_format(timezone.localdate(), "j F Y")
    assert f"relue le {today}" in page.locator("main").inner_text()


def test_an_editor_updates_its_own_fiche_and_sees_the_change(page):
    log_in(page, username="mdr")
    wait_for_path(page, "/")
    page.get_by_role("link", name="Mon espace").click()
    wait_for_path(page, "/mon-espace/")
    page.get_by_role("link", name="Modifier la fiche d'identité").click()
    hours = page.get_by_label("Précisions sur les horaires")
    saturday = page.get_by_role("group", name="Samedi").get_by_role("group", name="Créneau 1")
    saturday.get_by_label("de").fill("09:00")
    saturday.get_by_label("à").fill("12:00")
    hours.fill("")
    page.get_by_label("Nom*", exact=True).fill("")  # a required field left empty…
    hours.fill("Du lundi au vendredi, 8 h 30 – 17 h\nPermanence sans rendez-vous le mardi")
    page.get_by_role("button", name="Enregistrer").click()
    assert "La fiche n'est pas enregistrée" in page.get_by_role("alert").inner_text()
    name = page.get_by_label("Nom*", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    assert "Permanence sans rendez-vous le mardi" in hours.input_value()  # …nothing is lost
    name.fill("Maison du Rhône de Bellecombe-sur-Saône")
    page.get_by_role("button", name="Enregistrer").click()
    wait_for_path(page, "/mon-espace/")
    assert "La fiche d'identité est enregistrée." in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Voir la fiche telle que les partenaires la voient").click()
    wait_for_path(page, "/structures/mdr/")
    identity = page.locator("dl.identity").inner_text()
    assert "Permanence sans rendez-vous le mardi" in identity
    # The weekly form, in French words (with the no-break spaces of French typography).
    assert "Samedi : 9\u00a0h\u00a0– 12\u00a0h" in identity
    screenshot(page, "mon-espace-fiche-modifiee")


def test_repeated_failed_logins_lock_the_account_on_that_computer_with_a_french_page(page):
    for _ in range(5):
        log_in(page, username="ccas", password="mauvais-mot-de-passe")
    log_in(page, username="ccas")  # even the right password is now refused
    assert heading(page) == "Connexion bloquée sur ce poste"
    text = page.locator("main").inner_text()
    assert "5 essais de mot de passe erronés" in text
    assert "réessayez dans 15 minutes" in text
    assert page.get_by_role("link", name="Recevez un lien pour en choisir un nouveau").is_visible()
    screenshot(page, "connexion-bloquee")
    assert axe_violations(page) == {}
