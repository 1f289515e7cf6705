"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

They are skipped, with the reason shown, when /usr/bin/chromium is missing
(`apt-get install chromium`; CI installs it). Screenshots land in build/screenshots/.
"""

from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from structures.coordination.demo_usage import usage_demo_seed
from structures.management.commands import load_demo
from structures.models import User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = settings.BASE_DIR / "build" / "screenshots"
PASSWORD = "mot-de-passe-de-test"
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 375, "height": 740}


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                reason = f"tests navigateur ignorés : {CHROMIUM} absent (apt-get install chromium)"
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module.

    Playwright's sync API keeps an event loop running in this thread while it is started,
    and Django then refuses ORM calls (SynchronousOnlyOperation) from the test code and from
    the database teardown. The check is relaxed for exactly that window, in these tests only;
    module scope, not session, so that the rest of the suite never runs inside the loop.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(browser, transactional_db, live_server):
    """The demo territory served by the live server, with known passwords for its accounts.

    Without the demo's invented year of counts, which only the statistics, the dashboard
    and the admin lists of counts show: writing it took 43 % of load_demo's time (the
    tests that visit those pages ask for `usage_year`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load_demo, "usage_demo_seed", lambda: 0)
        call_command("load_demo", stdout=StringIO())
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return live_server


@pytest.fixture
def usage_year(site):
    """The demo's year of invented counts, as `load_demo` writes it."""
    usage_demo_seed()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username="ccas", password=PASSWORD):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse courriel").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def axe_violations(page):
    """{rule id: [offending HTML, …]} for the page as it is displayed now (axe-core, offline)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return {
        violation["id"]: [node["html"] for node in violation["nodes"]]
        for violation in results.response["violations"]
    }


def wait_for_path(page, path):
    """Wait until the browser shows `path` (query string aside)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def open_theme_menu(page):
    """Tap « Thématiques » on a phone and wait for the menu to finish opening.

    While Bootstrap opens it, the menu is a growing box that clips its tabs: to reach a
    low tab Playwright scrolls that box, whose scroll then falls back as it grows, and
    the tab slides away from the pointer (on CI, no navigation followed the tap).
    """
    page.get_by_role("button", name="Thématiques").click()
    page.locator("#onglets.show").wait_for()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


# The pages every partner uses, on the demo territory: name -> path.
MAIN_PAGES = {
    "accueil": "/",
    "thematique": "/themes/logement/",
    "structure": "/structures/ccas/",
    "fiche-service": "/structures/ccas/accueil-social/",
    "recherche": "/recherche/?q=logement",
    "recherche-filtree": "/recherche/?q=aide&public=familles&frais=gratuit&sans_rdv=oui",
    "recherche-faute": "/recherche/?q=logemnt",
    "structures-a-z": "/structures/",
    "annexes": "/annexes/",
    "fiche-parcours": "/parcours/",
    "fiche-liaison-choix": "/liaison/nouvelle/",
    "fiche-liaison": "/liaison/nouvelle/?structure=ccas",
    "imprimer": "/imprimer/",
}

# Pages of one role only: username of a demo account -> {name: path}.
ROLE_PAGES = {
    "mdr": {  # an éditeur of the Maison du Rhône
        "mon-espace": "/mon-espace/",
        "mon-espace-fiche": "/mon-espace/fiche/",
        "mon-espace-contacts": "/mon-espace/contacts/",
        "mon-espace-changements": "/mon-espace/changements/",
        "mon-espace-nouvelle-fiche": "/mon-espace/services/nouveau/",
    },
    "coordination": {
        "coordination": "/coordination/",
        "coordination-historique": "/coordination/fiches/structure/1/historique/",
        "statistiques": "/coordination/statistiques/",
        "statistiques-annee": "/coordination/statistiques/?periode=annee",
    },
}


def role_pages_logged_in(page):
    """Log in as each account of ROLE_PAGES in turn and yield its pages ({name: path}) for
    the caller to visit, then log out."""
    for username, pages in ROLE_PAGES.items():
        log_in(page, username=username)
        wait_for_path(page, "/")
        yield pages
        page.get_by_role("button", name="Se déconnecter").click()


@pytest.fixture
def partner_page(page):
    """A browser page logged in as the CCAS partner of the demo territory."""
    log_in(page)
    wait_for_path(page, "/")
    return page
