"""SQLite during a long import: partners keep reading, and not one page view fails.

A real server (gunicorn, threads) on a file database, an import of 8,000 lines applied
by the command in another process, and logged-in readers on the directory's pages the
whole time. Their sessions are due for a refresh on every request (SESSION_REFRESH_SECONDS
at 1) and the search counts its uses: the writes a page view may do.
"""

import threading
import time

import pytest
from django.conf import settings

from .directory_data import table_csv
from .http_clients import (
    BrowserSession,
    free_port,
    gunicorn_start,
    server_env,
    server_stop,
)
from .processes import manage

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="seulement sur SQLite",
)

LINES, READERS = 8_000, 4
PAGES = [
    "/",
    "/themes/logement/",
    "/structures/",
    "/structures/ccas/",
    "/structures/ccas/permanence/",
    "/recherche/?q=logement",
]
SETUP = f"""
from structures.models import Service, Structure, Theme, User
theme = Theme.objects.get_or_create(slug="logement", defaults={{"name": "Logement"}})[0]
ccas = Structure.objects.create(name="CCAS", slug="ccas")
service = Service.objects.create(structure=ccas, title="Permanence logement", slug="permanence")
service.themes.add(theme)
for number in range({READERS}):
    User.objects.create_user(f"lecteur-{{number}}", password="{"mot-de-passe-de-charge"}",
                             structure=ccas)
"""


def _read_until(stop, username, port, answers):
    browser = BrowserSession(port)
    browser.login(username)
    while not stop.is_set():
        for page in PAGES:
            status, body, seconds = browser.get(page)
            answers.append((page, status, seconds, "" if status == 200 else body[:300]))


def test_readers_get_no_error_while_an_import_writes(tmp_path, migrated_sqlite):
    env = server_env(
        DATABASE_URL=f"sqlite:///{migrated_sqlite}",
        MEDIA_ROOT=str(tmp_path / "media"),
        SESSION_REFRESH_SECONDS="1",
    )
    manage("shell", "-c", SETUP, env=env)
    rows = [{"identifiant": f"import-{n}", "nom": f"Structure {n}"} for n in range(LINES)]
    (tmp_path / "structures.csv").write_bytes(table_csv("structures", *rows))
    port = free_port()
    server = gunicorn_start(env=env, port=port, workers=2, threads=3)
    stop, answers = threading.Event(), []
    readers = [
        threading.Thread(target=_read_until, args=(stop, f"lecteur-{n}", port, answers))
        for n in range(READERS)
    ]
    try:
        for reader in readers:
            reader.start()
        time.sleep(1)
        before = len(answers)
        started = time.monotonic()
        importing = manage("import_directory", str(tmp_path), "--apply", env=env, check=False)
        duration = time.monotonic() - started
        during = len(answers) - before
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        errors = server_stop(server)
    assert importing.returncode == 0, importing.stdout + importing.stderr
    assert f"Structures : {LINES} créées" in importing.stdout
    failed = [answer for answer in answers if answer[1] != 200]
    assert failed == [], (failed[:5], errors[-2000:])
    assert during >= 20, f"only {during} page views during a {duration:.0f} s import"
    assert "database is locked" not in errors
