"""make loadtest: 50 logged-in partners on gunicorn and PostgreSQL, one éditeur saving.

Everything runs on 127.0.0.1: a throw-away database beside DATABASE_URL's
(`<name>_loadtest`, dropped and created again), a synthetic territory, gunicorn with
LOADTEST_WORKERS workers (3, as in production), then in the same run:

1. the stack alone: LOADTEST_CLIENTS clients on /sante/ (a view that does nothing);
2. the directory: as many logged-in clients through home, a theme, a structure, a
   service and a search, for LOADTEST_SECONDS (60), while one éditeur saves a fiche of
   Mon espace again and again.

It prints req/s and the 95th centile of both, our throughput as a fraction of the
stack's, and fails (exit 1) on any error or any save that is not in the fiche's history.
Not part of the test suite. LOADTEST_SECONDS=15 make loadtest for a quick check.
"""

import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.http_clients import (
    PASSWORD,
    BrowserSession,
    free_port,
    gunicorn_start,
    server_env,
    server_stop,
)
from tests.processes import manage

CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", "50"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "3"))
ANCHOR_SECONDS = max(5.0, SECONDS / 4)
STRUCTURES, SERVICES = 200, 5
SEARCHES = ["logement", "accompagnement", "caf", "emploi", "aide alimentaire"]

SETUP = """
import json
from structures.models import Service, Structure, Theme, User
for number in range({clients}):
    User.objects.create_user(f"charge-{{number}}", password="{password}",
                             structure=Structure.objects.order_by("pk")[number % 50])
service = Service.objects.select_related("structure").order_by("pk").first()
User.objects.create_user("charge-editeur", password="{password}",
                         structure=service.structure, is_editor=True)
print(json.dumps({{
    "themes": list(Theme.objects.values_list("slug", flat=True)),
    "structures": list(Structure.objects.values_list("slug", flat=True)[:100]),
    "services": [[s.structure.slug, s.slug] for s in
                 Service.objects.select_related("structure").order_by("?")[:200]],
    "edited": service.pk,
}}))
"""
HISTORY = """
from structures.models import Service
print("\\n".join(Service.history.filter(id={pk}).values_list("summary", flat=True)))
"""


def database_url() -> tuple[str, str]:
    """(the throw-away database's URL, the server's maintenance database to create it)."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("make loadtest mesure PostgreSQL : DATABASE_URL=postgres://… make loadtest")
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("make loadtest ne tourne que sur cette machine (127.0.0.1).")
    name = (parts.path.lstrip("/") or "repertoire") + "_loadtest"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path=f"/{name}")), maintenance


def database_recreate(url: str, server_url: str) -> None:
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


def drive(sessions, pick, seconds):
    """Every session requests pick(random) in a loop for `seconds`: [(path, status, s)]."""
    answers, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def run(browser, seed):
        chooser, mine = random.Random(seed), []
        while time.monotonic() < deadline:
            path = pick(chooser)
            status, body, took = browser.get(path)
            mine.append((path, status, took, "" if status == 200 else body[:200]))
        with lock:
            answers.extend(mine)

    threads = [threading.Thread(target=run, args=(b, n)) for n, b in enumerate(sessions)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.monotonic() - started


def edit_loop(port, service_pk, stop, saves):
    """The éditeur: open the fiche in Mon espace, change its summary, save; again."""
    browser = BrowserSession(port)
    browser.login("charge-editeur")
    path = f"/mon-espace/services/{service_pk}/"
    number = 0
    while not stop.is_set():
        number += 1
        summary = f"Charge {number}"
        status, html, took = browser.get(path)
        fields = form_fields(html)
        if status != 200 or fields is None:
            saves.append((summary, status, took))
            continue
        fields["summary"] = summary
        status, _, took = browser.request("POST", path, fields)
        saves.append((summary, status, took))


def form_fields(html):
    from tests.html_utils import form_values

    try:
        return form_values(html)
    except (IndexError, KeyError):
        return None


def warm_up(port, directory):
    """Until every worker has loaded the application and rendered each kind of page once
    (gunicorn answers its socket before its workers are ready)."""
    browser = BrowserSession(port)
    deadline = time.monotonic() + 120
    while browser.get("/sante/")[0] != 200:
        if time.monotonic() > deadline:
            sys.exit("gunicorn ne répond pas à /sante/.")
        time.sleep(0.5)
    browser.login("charge-0")
    structure, service = directory["services"][0]
    pages = ["/", f"/themes/{directory['themes'][0]}/", f"/structures/{structure}/"]
    pages += [f"/structures/{structure}/{service}/", "/recherche/?q=logement", "/sante/"]
    for _ in range(3 * WORKERS):
        for path in pages:
            browser.get(path)


def line(label, answers, seconds):
    times = [took for _, _, took, _ in answers]
    rate = len(answers) / seconds
    p95 = percentile(times, 0.95) * 1000
    print(f"  {label:<38} {rate:7.1f} req/s   p95 {p95:6.0f} ms   ({len(answers)} requêtes)")
    return rate


def page_pick(directory):
    """A random page among home, theme, structure, service and search."""

    def page(chooser):
        kind = chooser.randrange(5)
        if kind == 0:
            return "/"
        if kind == 1:
            return f"/themes/{chooser.choice(directory['themes'])}/"
        if kind == 2:
            return f"/structures/{chooser.choice(directory['structures'])}/"
        if kind == 3:
            return "/structures/{}/{}/".format(*chooser.choice(directory["services"]))
        return "/recherche/?q=" + chooser.choice(SEARCHES).replace(" ", "+")

    return page


def main():
    url, server_url = database_url()
    database_recreate(url, server_url)
    env = server_env(DATABASE_URL=url, DEBUG="0", MEDIA_ROOT=str(Path("/tmp/loadtest-media")))
    print(f"Base {urlsplit(url).path[1:]} : migrate, {STRUCTURES} structures × {SERVICES}…")
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", env=env)
    manage(
        "seed_synthetic",
        f"--structures={STRUCTURES}",
        f"--services-per-structure={SERVICES}",
        env=env,
    )
    directory = json.loads(
        manage("shell", "-c", SETUP.format(clients=CLIENTS, password=PASSWORD), env=env)
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = gunicorn_start(env=env, port=port, workers=WORKERS)
    try:
        print(f"gunicorn, {WORKERS} workers ; {CLIENTS} clients sur 127.0.0.1:{port}")
        warm_up(port, directory)
        anchors = [BrowserSession(port) for _ in range(CLIENTS)]
        anchor, anchor_seconds = drive(anchors, lambda chooser: "/sante/", ANCHOR_SECONDS)
        readers = []
        for number in range(CLIENTS):
            readers.append(BrowserSession(port))
            readers[-1].login(f"charge-{number}")

        stop, saves = threading.Event(), []
        editor = threading.Thread(target=edit_loop, args=(port, directory["edited"], stop, saves))
        editor.start()
        pages, pages_seconds = drive(readers, page_pick(directory), SECONDS)
        stop.set()
        editor.join()
    finally:
        errors_log = server_stop(server)
    history = set(
        manage("shell", "-c", HISTORY.format(pk=directory["edited"]), env=env).stdout.splitlines()
    )
    accepted = [summary for summary, status, _ in saves if status == 302]
    lost = [summary for summary in accepted if summary not in history]
    failed = [answer for answer in anchor + pages if answer[1] != 200]
    failed += [save for save in saves if save[1] != 302]

    print(f"\nMesures ({SECONDS:.0f} s de pages, {ANCHOR_SECONDS:.0f} s d'ancre) :")
    stack = line("/sante/ (la pile seule : l'ancre)", anchor, anchor_seconds)
    ours = line("pages du répertoire, connecté", pages, pages_seconds)
    for name, prefix in [("accueil", "/"), ("thématique", "/themes/"), ("recherche", "/rech")]:
        chosen = [a for a in pages if (a[0] == "/" if prefix == "/" else a[0].startswith(prefix))]
        line(f"  dont {name}", chosen, pages_seconds)
    print(f"  débit du répertoire / débit de la pile : {ours / stack:.1%}")
    edits = [took for _, _, took in saves]
    print(
        f"  éditeur : {len(accepted)} enregistrements acceptés, médiane "
        f"{statistics.median(edits) * 1000 if edits else float('nan'):.0f} ms ; "
        f"perdus : {len(lost)}"
    )
    print(f"  erreurs : {len(failed)}")
    for answer in failed[:5]:
        print("   ", answer)
    if "Traceback" in errors_log:
        print(errors_log[-3000:])
    if failed or lost or not accepted:
        sys.exit(1)


if __name__ == "__main__":
    main()
