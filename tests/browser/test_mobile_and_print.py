"""Phones, tablets and paper: no sideways scrolling, tappable numbers, a clean printout."""

import re

from .conftest import (
    DESKTOP,
    MAIN_PAGES,
    PHONE,
    TABLET,
    open_theme_menu,
    role_pages_logged_in,
    screenshot,
    wait_for_path,
)

# A 1280 px wide screen zoomed to 200 % lays pages out in 640 CSS pixels.
ZOOM_200 = {"width": 640, "height": 450}
LAPTOP = {"width": 1024, "height": 700}
# A French phone number as the directory displays it: "04 65 71 10 29".
PHONE_NUMBER = re.compile(r"\b0\d(?: \d\d){4}\b")


def horizontal_overflow(page):
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def pages_too_wide(page, pages):
    """{"page at width": overflowing pixels} for every page at every width checked."""
    too_wide = {}
    for viewport in [PHONE, ZOOM_200, TABLET, LAPTOP, DESKTOP]:
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            page.goto(path)
            if overflow := horizontal_overflow(page):
                too_wide[f"{name} à {viewport['width']} px"] = overflow
    return too_wide


def test_no_main_page_scrolls_sideways_on_a_phone_a_tablet_or_a_computer(partner_page):
    pages = {"connexion": "/connexion/", **MAIN_PAGES}
    assert pages_too_wide(partner_page, pages) == {}


def test_the_editor_and_coordination_pages_do_not_scroll_sideways_either(page, usage_year):
    too_wide = {}
    for pages in role_pages_logged_in(page):
        too_wide.update(pages_too_wide(page, {"accueil": "/", **pages}))
    assert too_wide == {}


def test_on_a_phone_the_header_search_stays_visible_and_works(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto("/structures/ccas/")
    field = partner_page.get_by_role("searchbox", name="Rechercher dans le répertoire")
    assert field.is_visible()  # without opening the menu
    field.fill("caf")
    field.press("Enter")
    wait_for_path(partner_page, "/recherche/")
    assert (
        partner_page.get_by_role("heading", level=2)
        .first.inner_text()
        .startswith("Caisse d'allocations familiales")
    )


def test_on_a_phone_the_theme_tabs_fold_into_a_menu_that_opens(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto("/")
    health_tab = partner_page.get_by_role("link", name="Santé", exact=True)
    assert not health_tab.is_visible()
    open_theme_menu(partner_page)
    health_tab.click()
    wait_for_path(partner_page, "/themes/sante/")
    assert partner_page.get_by_role("heading", level=1).inner_text() == "Santé"
    assert partner_page.get_by_role("button", name="Thématiques : Santé").is_visible()
    assert horizontal_overflow(partner_page) == 0


def test_on_a_tablet_the_theme_tabs_are_shown_without_a_menu(partner_page):
    partner_page.set_viewport_size(TABLET)
    partner_page.goto("/")
    assert partner_page.get_by_role("link", name="Santé", exact=True).is_visible()
    assert not partner_page.get_by_role("button", name="Thématiques").is_visible()


def test_every_phone_number_shown_is_a_tel_link(partner_page):
    for path in [MAIN_PAGES["structure"], MAIN_PAGES["fiche-service"], MAIN_PAGES["thematique"]]:
        partner_page.goto(path)
        shown = PHONE_NUMBER.findall(partner_page.locator("main").inner_text())
        links = partner_page.locator("main a[href^='tel:']").all()
        linked = [link.inner_text() for link in links]
        assert shown, path
        assert sorted(shown) == sorted(linked), path
        for link, number in zip(links, linked, strict=True):
            assert link.get_attribute("href") == "tel:+33" + number.replace(" ", "")[1:]


def test_on_a_phone_a_structure_shows_its_coordinates_before_its_presentation(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto(MAIN_PAGES["structure"])
    coordinates = partner_page.get_by_role("heading", name="Coordonnées")
    role = partner_page.get_by_role("heading", name="Son rôle")
    assert coordinates.bounding_box()["y"] < role.bounding_box()["y"]
    partner_page.set_viewport_size(DESKTOP)
    assert coordinates.bounding_box()["x"] > role.bounding_box()["x"]  # the right-hand column


def test_an_address_is_selected_whole_with_one_tap(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto(MAIN_PAGES["structure"])
    address = partner_page.locator("dd.address")
    address.click()
    assert partner_page.evaluate("window.getSelection().toString().trim()") == address.inner_text()
    assert "Bellecombe-sur-Saône" in address.inner_text()


def test_printing_a_page_hides_navigation_and_buttons_but_keeps_the_fiche(partner_page):
    for name in ["structure", "fiche-service", "thematique"]:
        partner_page.goto(MAIN_PAGES[name])
        partner_page.emulate_media(media="print")
        screenshot(partner_page, f"impression-{name}")
        for hidden in ["nav", "button", "form", ".skip-link"]:
            visible = [e for e in partner_page.locator(hidden).all() if e.is_visible()]
            assert visible == [], f"{name}: {hidden} reste visible à l'impression"
        assert partner_page.locator("h1").is_visible()
        assert partner_page.locator("main").inner_text().count("04 65 71") >= 1
        partner_page.emulate_media(media="screen")
