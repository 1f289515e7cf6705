"""Background work: one holder per job across servers, bounded processes, killed workers."""

import math
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from liaison.booklet.context import WHOLE_DIRECTORY, booklet_context
from liaison.booklet.editions import booklet_edition, editions_refresh
from liaison.booklet.parts import MAX_NUMBERING_ROUNDS, BookletLayoutError, BookletRender
from liaison.booklet.tasks import edition_build_task
from liaison.models import BookletPart, Edition
from structures.background.jobs import JobBusy, JobLost, JobRun, job_request
from structures.background.pool import WorkerPool, WorkTimeLimit, workers_count
from structures.models import Job

from .booklet_data import tiny_directory_build
from .pdf_utils import pdf_pages_text
from .processes import manage, process_alive, process_children

ROOT = Path(__file__).resolve().parent.parent


def test_only_one_worker_holds_a_job_until_its_lease_runs_out(db, settings):
    Job.objects.create(key="livret", label="Livret")
    first = JobRun.take(key="livret")
    with pytest.raises(JobBusy):
        JobRun.take(key="livret")
    first.progress(done=1, total=3)
    silent = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    Job.objects.filter(key="livret").update(heartbeat_at=silent)
    second = JobRun.take(key="livret")  # the first is taken for dead
    with pytest.raises(JobLost):
        first.progress(done=2)
    second.progress(done=2, total=3)
    job = Job.objects.get(key="livret")
    assert (job.holder, job.done, job.total) == (second.holder, 2, 3)


def test_requests_within_the_delay_make_one_task(db, task_queue):
    booklet_edition(WHOLE_DIRECTORY)
    for _ in range(5):
        job_request(key="edition-repertoire", label="", task=edition_build_task, args=["x"])
    assert len(task_queue.waiting()) == 1


def test_a_task_that_finds_its_job_busy_comes_back_later_and_builds_nothing(
    db, task_queue, settings
):
    tiny_directory_build()
    edition = booklet_edition(WHOLE_DIRECTORY)
    JobRun.take(key=edition.job.key)  # another server builds it
    editions_refresh()
    assert task_queue.run() == 1
    later = task_queue.waiting()
    assert len(later) == 1
    assert later[0].run_after > timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS - 5)
    assert not Edition.objects.get(pk=edition.pk).file


def test_the_render_processes_are_one_per_core_unless_set():
    assert workers_count() == len(os.sched_getaffinity(0))
    assert workers_count(3) == 3
    assert WorkerPool(time_limit=1).workers == len(os.sched_getaffinity(0))


def test_work_past_its_time_limit_is_stopped_and_leaves_no_process():
    start = time.monotonic()
    with (
        pytest.raises(WorkTimeLimit, match="limite de 1 secondes"),
        WorkerPool(time_limit=1, workers=2) as pool,
    ):
        pool.map(time.sleep, [60, 60])
    assert time.monotonic() - start < 15
    assert not multiprocessing.active_children()


def test_a_failing_render_stops_the_pool_and_its_processes():
    with (
        pytest.raises(ValueError, match="math domain error"),
        WorkerPool(time_limit=30, workers=2) as pool,
    ):
        pool.map(math.log, [0, 60])
    assert not multiprocessing.active_children()


def test_a_build_past_its_time_limit_is_reported_in_the_admin_and_not_retried(
    db, settings, task_queue, coordinator_client, partner_client
):
    tiny_directory_build()
    settings.BOOKLET_TIME_LIMIT_SECONDS = 0.01
    booklet_edition(WHOLE_DIRECTORY)
    editions_refresh()
    task_queue.run()
    assert DBTaskResult.objects.get(status="FAILED").exception_class_path.endswith("WorkTimeLimit")
    job = Job.objects.get(key="edition-repertoire")
    assert "dépassé la limite de 0.01 secondes" in job.error
    assert "WorkTimeLimit" in job.error_details
    assert not multiprocessing.active_children()
    listing = coordinator_client.get(reverse("admin:liaison_edition_changelist"))
    assert "échec : Le travail a dépassé la limite" in listing.content.decode()
    jobs = coordinator_client.get(reverse("admin:structures_job_changelist")).content.decode()
    assert "dépassé la limite" in jobs
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    assert "La préparation de l'édition a échoué" in page
    editions_refresh()
    assert not task_queue.ready(), "a failing build is retried only after the next change"


def test_the_numbering_gives_up_loudly_when_the_contents_never_settle(db):
    tiny_directory_build()
    render = BookletRender(context=booklet_context(options=WHOLE_DIRECTORY), pool=None)
    renders = Counter()

    def render_flipping(chunks, **options):
        """A contents and an index one page long, then two, then one…"""
        for chunk in chunks:
            renders[chunk.template] += 1
            pages = 1 + renders[chunk.template] % 2 if chunk.numbered else 1
            chunk.part = BookletPart(key=chunk.template, pages=pages, anchors=[[]] * pages)

    render._render = render_flipping
    render._render(render.chunks)
    with pytest.raises(BookletLayoutError, match=f"après {MAX_NUMBERING_ROUNDS} essais"):
        render._number_pages()


def _job(database: Path) -> dict:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT * FROM structures_job WHERE key = 'edition-repertoire'"
        ).fetchone()
        edition = connection.execute(
            "SELECT file FROM liaison_edition WHERE key = 'repertoire'"
        ).fetchone()
    return {**dict(row or {}), "file": edition["file"] if edition else ""}


def _wait(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


SETUP = """
from liaison.booklet.context import WHOLE_DIRECTORY
from liaison.booklet.editions import booklet_edition, edition_request
from structures.management.commands.seed_synthetic import seed_synthetic
seed_synthetic(structures=40, services_per_structure=2)
edition_request(booklet_edition(WHOLE_DIRECTORY))
"""


def test_a_killed_task_worker_leaves_no_render_process_and_the_next_one_finishes(
    tmp_path, migrated_sqlite
):
    """A real `manage.py db_worker`, killed with SIGKILL in the middle of a build."""
    database = migrated_sqlite
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "JOB_LEASE_SECONDS": "2",
        "BOOKLET_RENDER_WORKERS": "2",
        "DJANGO_SETTINGS_MODULE": "repertoire.settings",
    }
    manage("shell", "-c", SETUP, env=env)
    worker_command = ["db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", *worker_command], cwd=ROOT, env=env, **_quiet()
    )
    try:
        _wait(lambda: (_job(database).get("done") or 0) >= 2, timeout=240, what="two parts")
        renders = process_children(worker.pid)
        assert len(renders) == 2
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        _wait(lambda: not any(process_alive(pid) for pid in renders), timeout=10, what="no render")
        assert not _job(database)["file"]
    finally:
        worker.kill()
    successor = subprocess.Popen(
        [sys.executable, "manage.py", *worker_command], cwd=ROOT, env=env, **_quiet()
    )
    try:
        file = _wait(lambda: _job(database)["file"], timeout=240, what="the next worker's build")
        renders = process_children(successor.pid)
    finally:
        successor.send_signal(signal.SIGTERM)
        successor.wait(timeout=30)
    assert not any(process_alive(pid) for pid in renders)
    pages = pdf_pages_text((tmp_path / "media" / file).read_bytes())
    assert len(pages) > 20
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]


def _quiet():
    return {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
