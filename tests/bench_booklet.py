"""The paper directory built by the task workers: 300 structures × 5 fiches on SQLite.

In one run, each render in a fresh process so that its figures are its own:

1. the anchor: the whole booklet as one HTML document rendered by WeasyPrint in one
   process, as anyone would write it (`HTML(string=…).write_pdf()`, the stylesheet's
   running header and page numbers);
2. the full build of the edition, no part kept, as a task worker runs it;
3. the rebuild after one edited fiche;
4. five simultaneous downloads right after an edit, a real `manage.py db_worker` running:
   each must be answered from the previous edition, and the worker must build once;
5. that worker killed by SIGKILL in the middle of a build: no render process may remain,
   and the next worker finishes the build.

Wall time, processor time (the process and its render processes) and the ratios.
"""

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

from tests.bench import ROOT, fresh_database
from tests.processes import process_alive, process_children

STRUCTURES, SERVICES = 300, 5
LEASE_SECONDS = 5
PLAIN_TEMPLATE = """{% extends "printable/base_printable.html" %}{% load static %}
{% block extra_head %}<link rel="stylesheet" href="{% static 'css/booklet.css' %}">{% endblock %}
{% block body_class %}booklet{% endblock %}
{% block content %}{% include "liaison/booklet/_cover.html" %}
{% include "liaison/booklet/_contents.html" %}
{% for theme, groups in sections %}{% include "liaison/booklet/_theme_part.html" %}{% endfor %}
{% include "liaison/booklet/_structures_part.html" %}
{% if annex_structures %}{% include "liaison/booklet/_annexes_part.html" %}{% endif %}
{% include "liaison/booklet/_index.html" %}{% endblock %}"""


def _cpu_seconds() -> float:
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def _in_subprocess(step: str, env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "tests.bench_booklet", step],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _measured(function) -> dict:
    cpu, start = _cpu_seconds(), time.perf_counter()
    extra = function()
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu,
        "max_rss_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
        **extra,
    }


def plain_render() -> dict:
    from django.template import engines
    from weasyprint import HTML

    from liaison.booklet.context import WHOLE_DIRECTORY, booklet_context
    from liaison.booklet.parts import _contents, _number
    from liaison.pdf import PDF_BASE_URL, StaticFilesOnlyFetcher

    context = booklet_context(options=WHOLE_DIRECTORY)
    contents = _contents(context)
    _number(context, contents)
    html = engines["django"].from_string(PLAIN_TEMPLATE).render({**context, "contents": contents})

    def render():
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
        laid_out = document.render()
        written_at = time.perf_counter()
        laid_out.write_pdf()  # the PDF a user gets, as the edition is one
        return {"pages": len(laid_out.pages), "write_seconds": time.perf_counter() - written_at}

    return _measured(render)


def edition_build(*, edit: bool) -> dict:
    from liaison.booklet.context import WHOLE_DIRECTORY
    from liaison.booklet.editions import booklet_edition
    from liaison.booklet.tasks import edition_build_task
    from liaison.models import Edition
    from structures.models import Service

    booklet_edition(WHOLE_DIRECTORY)
    if edit:
        service = Service.objects.order_by("pk")[SERVICES * STRUCTURES // 2]
        service.objectives += " Une phrase de plus."
        service.save()

    def build():
        result = edition_build_task.call("repertoire")
        edition = Edition.objects.get(key="repertoire")
        return {**result, "pages": edition.pages, "chunks": edition.parts_total}

    return _measured(build)


def _worker(env: dict) -> subprocess.Popen:
    command = ["manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, timeout=1800):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


def _edit(number: int):
    from structures.models import Service

    service = Service.objects.order_by("pk")[number]
    service.title += " (modifiée)"
    service.save()


def downloads_during_a_build(report, env):
    """Five partners download right after an edit, while a real worker runs."""
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from liaison.models import Edition
    from structures.models import User

    edition = Edition.objects.get(key="repertoire")
    with default_storage.open(edition.file) as file:
        previous = file.read()
    user, _ = User.objects.get_or_create(username="bench-livret")
    worker = _worker(env)
    try:
        edited_at = timezone.now()
        _edit(10)
        times, same = [], []

        def download():
            client = Client()
            client.force_login(user)
            start = time.perf_counter()
            response = client.get("/imprimer/repertoire.pdf")
            body = b"".join(response.streaming_content)
            times.append(time.perf_counter() - start)
            same.append(body == previous)

        threads = [threading.Thread(target=download) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report(
            "  5 téléchargements simultanés après une modification : le plus lent", max(times), "s"
        )
        report("  … servis par l'édition précédente", sum(same), "sur 5")
        _wait(lambda: Edition.objects.get(key="repertoire").produced_at > edited_at)
        results = DBTaskResult.objects.filter(status="SUCCESSFUL", finished_at__gt=edited_at)
        builds = sum(1 for result in results if (result.return_value or {}).get("built"))
        report("  … constructions faites par l'ouvrier ensuite", builds, "")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


def killed_worker(report, env):
    """SIGKILL the worker in the middle of a build; the next one finishes it."""
    from django.test import Client
    from django.utils import timezone

    from liaison.models import Edition
    from structures.models import Job, User

    worker = _worker(env)
    edited_at = timezone.now()
    # Many parts change: the theme of this fiche, and the contents and index after it.
    for number in range(0, STRUCTURES * SERVICES, 40):
        _edit(number)
    client = Client()
    client.force_login(User.objects.get(username="bench-livret"))
    client.get("/imprimer/repertoire.pdf")
    _wait(
        lambda: Job.objects.get(key="edition-repertoire").done >= 2 and process_children(worker.pid)
    )
    renders = process_children(worker.pid)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    time.sleep(1)
    report(
        "  ouvrier tué en pleine construction : processus de rendu restants",
        sum(map(process_alive, renders)),
        "",
    )
    start = time.perf_counter()
    successor = _worker(env)
    try:
        _wait(lambda: Edition.objects.get(key="repertoire").produced_at > edited_at)
        report("  … l'ouvrier suivant termine la construction en", time.perf_counter() - start, "s")
    finally:
        successor.send_signal(signal.SIGTERM)
        successor.wait(timeout=60)


def run(report):
    from django.db import connections
    from django.test.utils import override_settings

    from structures.management.commands.seed_synthetic import seed_synthetic

    print(
        f"\nLivret papier, {STRUCTURES} structures × {SERVICES} fiches "
        "(chaque rendu dans un processus neuf) :"
    )
    media = tempfile.mkdtemp(prefix="bench-livret-")
    env = {**os.environ, "MEDIA_ROOT": media, "JOB_LEASE_SECONDS": str(LEASE_SECONDS)}
    with override_settings(MEDIA_ROOT=media, JOB_LEASE_SECONDS=LEASE_SECONDS):
        connections.close_all()
        fresh_database()
        seed_synthetic(structures=STRUCTURES, services_per_structure=SERVICES)
        connections.close_all()
        plain = _in_subprocess("plain", env)
        full = _in_subprocess("build", env)
        rebuild = _in_subprocess("edit-build", env)
        report("  rendu WeasyPrint en un seul processus (ancre)", plain["seconds"], "s")
        report("  … dont l'écriture du PDF (write_pdf)", plain["write_seconds"], "s")
        report("  … temps processeur", plain["cpu_seconds"], "s")
        report("  … pages", plain["pages"], "pages")
        report("  … mémoire maximale", plain["max_rss_mb"], "Mo")
        report("  construction complète de l'édition (aucune partie gardée)", full["seconds"], "s")
        report("  … temps processeur (tâche et processus de rendu)", full["cpu_seconds"], "s")
        report("  … pages, parties", full["pages"], f"pages, {full['chunks']} parties")
        report("  … mémoire maximale par processus", full["max_rss_mb"], "Mo")
        report(
            "  … rapport à l'ancre (objectif : 0,5 au plus)",
            full["seconds"] / plain["seconds"],
            "×",
            decimals=2,
        )
        report("  reconstruction après une fiche modifiée", rebuild["seconds"], "s")
        report("  … parties refaites", rebuild["rendered"], f"sur {rebuild['chunks']}")
        report("  … temps processeur", rebuild["cpu_seconds"], "s")
        report(
            "  … rapport à la construction complète (objectif : 0,25 au plus)",
            rebuild["seconds"] / full["seconds"],
            "×",
            decimals=2,
        )
        downloads_during_a_build(report, env)
        killed_worker(report, env)


def step(name: str):
    import django

    django.setup()
    result = plain_render() if name == "plain" else edition_build(edit=name == "edit-build")
    print(json.dumps(result))


if __name__ == "__main__" and sys.argv[1:2] in (["plain"], ["build"], ["edit-build"]):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    step(sys.argv[1])
