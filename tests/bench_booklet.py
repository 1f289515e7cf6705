"""The paper directory: build time, page count, peak memory and cached download.

Each build runs in a fresh Python process (`python -m tests.bench_booklet build`) so that
its peak memory is its own: the maximum resident set size (ru_maxrss, Django included) of
that process and of the worker processes that render the parts of the booklet
(RUSAGE_CHILDREN: the largest of them), and the largest of the two. The processor time
counts the workers too.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from tests.bench import ROOT, fresh_database, median_ms

STRUCTURES, SERVICES = 300, 5


def build_in_subprocess():
    """Build the whole booklet in a child process; returns its measures."""
    output = subprocess.run(
        [sys.executable, "-m", "tests.bench_booklet", "build"],
        cwd=ROOT,
        env=os.environ,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(report, label):
    from django.test import Client

    from liaison.booklet.cache import booklet_current_edition
    from structures.models import User

    measures = build_in_subprocess()
    report(f"  {label} : construction du livret complet", measures["seconds"], "s")
    report(f"  {label} : temps processeur (processus et ouvriers)", measures["cpu_seconds"], "s")
    report(f"  {label} : pages", measures["pages"], "pages")
    report(f"  {label} : mémoire maximale, processus principal", measures["parent_rss_mb"], "Mo")
    report(f"  {label} : mémoire maximale, plus gros ouvrier", measures["worker_rss_mb"], "Mo")
    report(f"  {label} : mémoire maximale par processus", measures["max_rss_mb"], "Mo")
    assert booklet_current_edition() is not None, "the build did not store an edition"
    user, _ = User.objects.get_or_create(username="bench-livret")
    client = Client()
    client.force_login(user)

    def download():
        response = client.get("/imprimer/repertoire.pdf")
        assert response.status_code == 200
        b"".join(response.streaming_content)

    report(f"  {label} : téléchargement depuis le cache (médiane)", median_ms(download))


def run(report):
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings

    from structures.management.commands.seed_synthetic import seed_synthetic

    print("\nLivret papier (chaque construction dans un processus neuf) :")
    media = tempfile.mkdtemp(prefix="bench-livret-")
    os.environ["MEDIA_ROOT"] = media  # for the child processes
    with override_settings(MEDIA_ROOT=media):
        connections.close_all()
        fresh_database()
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        measure(report, "démo")
        connections.close_all()
        fresh_database()
        seed_synthetic(structures=STRUCTURES, services_per_structure=SERVICES)
        measure(report, f"{STRUCTURES} × {SERVICES}")
    shutil.rmtree(media)


def build():
    import resource

    import django

    django.setup()
    from io import BytesIO

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from liaison.booklet.cache import booklet_build

    def cpu_time():
        usages = [
            resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ]
        return sum(usage.ru_utime + usage.ru_stime for usage in usages)

    cpu_before = cpu_time()
    start = time.perf_counter()
    edition = booklet_build()
    seconds = time.perf_counter() - start
    cpu_seconds = cpu_time() - cpu_before
    parent_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with default_storage.open(edition.name) as file:
        pages = len(PdfReader(BytesIO(file.read())).pages)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "pages": pages,
                "parent_rss_mb": parent_rss_kb / 1024,
                "worker_rss_mb": worker_rss_kb / 1024,
                "max_rss_mb": max(parent_rss_kb, worker_rss_kb) / 1024,
            }
        )
    )


if __name__ == "__main__" and sys.argv[1:] == ["build"]:
    sys.path.insert(0, str(ROOT))
    build()
