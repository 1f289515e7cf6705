"""The directory used with the keyboard alone: skip link, tabs, forms, a visible focus."""

from .conftest import PASSWORD, PHONE, wait_for_path

# Form fields that need a <label> (buttons are named by their own text).
FIELDS = "input:not([type=hidden], [type=submit], [type=button], [type=reset]), select, textarea"


def focused(page):
    """The text (or the label) of the element that has the keyboard focus."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return (e.innerText || e.getAttribute('aria-label') || e.name || '').trim(); })()"
    )


def tab_to(page, text, limit=60):
    """Press Tab until the focus reaches the element showing `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"« {text} » n'est pas atteignable au clavier")


def focus_is_visible(page):
    """The focused element draws an outline or a focus ring."""
    return page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)"
        " || s.boxShadow !== 'none'; })()"
    )


def test_the_first_tab_reveals_the_skip_link_which_jumps_to_the_content(partner_page):
    partner_page.goto("/structures/")
    partner_page.keyboard.press("Tab")
    skip_link = partner_page.get_by_role("link", name="Aller au contenu")
    assert focused(partner_page) == "Aller au contenu"
    assert skip_link.is_visible()
    assert skip_link.bounding_box()["x"] >= 0
    assert focus_is_visible(partner_page)
    partner_page.keyboard.press("Enter")
    assert partner_page.evaluate("document.activeElement.id") == "contenu"
    partner_page.keyboard.press("Tab")
    assert partner_page.evaluate("document.activeElement.closest('main') !== null")


def test_a_partner_logs_in_and_opens_a_theme_tab_with_the_keyboard_alone(page):
    page.goto("/connexion/")
    tab_to(page, "username")
    assert focus_is_visible(page)
    page.keyboard.type("ccas")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    wait_for_path(page, "/")
    tab_to(page, "Logement")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    wait_for_path(page, "/themes/logement/")
    assert page.get_by_role("heading", level=1).inner_text() == "Logement"


def test_on_a_phone_the_theme_menu_opens_and_is_followed_with_the_keyboard(partner_page):
    partner_page.set_viewport_size(PHONE)
    partner_page.goto("/")
    tab_to(partner_page, "Thématiques")
    assert focus_is_visible(partner_page)
    partner_page.keyboard.press("Enter")
    partner_page.locator("#onglets.show").wait_for()
    tab_to(partner_page, "Handicap", limit=15)
    partner_page.keyboard.press("Enter")
    wait_for_path(partner_page, "/themes/handicap/")


def test_the_search_form_works_with_the_keyboard(partner_page):
    partner_page.goto("/")
    partner_page.get_by_label("Que cherchez-vous ?").focus()
    assert focus_is_visible(partner_page)
    partner_page.keyboard.type("creche")
    partner_page.keyboard.press("Enter")
    wait_for_path(partner_page, "/recherche/")
    assert "Aucun résultat" not in partner_page.locator("main").inner_text()
    tab_to(partner_page, "Rechercher")
    assert focus_is_visible(partner_page)


def test_every_form_field_of_the_main_pages_has_a_label(partner_page):
    pages_with_forms = [
        "/connexion/",
        "/",
        "/recherche/?q=caf",
        "/parcours/",
        "/liaison/nouvelle/",
        "/liaison/nouvelle/?structure=ccas",
        "/imprimer/",
    ]
    for path in pages_with_forms:
        partner_page.goto(path)
        fields = partner_page.locator(FIELDS).all()
        assert fields, path
        for field in fields:
            assert field.evaluate("e => e.labels.length > 0"), (path, field.get_attribute("name"))


def test_a_field_error_is_announced_and_linked_to_its_field(page):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse courriel").fill("ccas")
    page.keyboard.press("Enter")
    password = page.get_by_label("Mot de passe")
    password.and_(page.locator("[aria-invalid=true]")).wait_for()
    error_id = password.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == "Ce champ est obligatoire."
    assert page.get_by_label("Identifiant ou adresse courriel").input_value() == "ccas"
