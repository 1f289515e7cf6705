"""axe-core (WCAG 2.1 AA) on every main page, at desktop and phone widths, with screenshots."""

from .conftest import (
    DESKTOP,
    MAIN_PAGES,
    PHONE,
    axe_violations,
    open_theme_menu,
    role_pages_logged_in,
    screenshot,
)


def check_page(page, name, path):
    """Load a page at desktop then phone width; screenshot both; return the axe violations."""
    found = {}
    for width_name, viewport in [("ordinateur", DESKTOP), ("telephone", PHONE)]:
        page.set_viewport_size(viewport)
        page.goto(path)
        screenshot(page, f"{name}-{width_name}")
        violations = axe_violations(page)
        if violations:
            found[f"{name} ({width_name})"] = violations
    page.set_viewport_size(DESKTOP)
    return found


def test_the_login_page_and_its_error_have_no_wcag_violations(page):
    found = check_page(page, "connexion", "/connexion/")
    page.get_by_label("Identifiant ou adresse courriel").fill("ccas")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    screenshot(page, "connexion-erreur")
    if violations := axe_violations(page):
        found["connexion (erreur)"] = violations
    assert found == {}


def test_every_main_page_has_no_wcag_violations_at_desktop_and_phone_widths(partner_page):
    found = {}
    for name, path in MAIN_PAGES.items():
        found.update(check_page(partner_page, name, path))
    assert found == {}


def test_the_editor_and_coordination_pages_have_no_wcag_violations(page, usage_year):
    found = {}
    for pages in role_pages_logged_in(page):
        for name, path in pages.items():
            found.update(check_page(page, name, path))
    assert found == {}


def test_the_theme_menu_opened_on_a_phone_has_no_wcag_violations(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto(MAIN_PAGES["thematique"])
    open_theme_menu(partner_page)
    screenshot(partner_page, "menu-thematiques-telephone")
    assert axe_violations(partner_page) == {}


def test_every_main_page_has_french_language_one_h1_and_large_enough_text(partner_page):
    for path in ["/connexion/", *MAIN_PAGES.values()]:
        partner_page.goto(path)
        assert partner_page.locator("html").get_attribute("lang") == "fr", path
        assert partner_page.locator("h1").count() == 1, path
        font_size = partner_page.evaluate("getComputedStyle(document.body).fontSize")
        assert float(font_size.removesuffix("px")) >= 16, path
