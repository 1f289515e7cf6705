"""Imports from the admin, run as background tasks: files and progress kept in storage.

The uploaded files wait in the « imports » storage (settings.STORAGES; private: files
readable by their owner only), shared by every application server like the booklet
editions, so that « Appliquer » works whichever server answers. A job is a folder
`imports/<token>/` with its files and `job.json` (choices, progress, report). The files
are removed once applied; a job is forgotten a day after its last change.
"""

import json
import re
import secrets
import time
from datetime import timedelta
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django_tasks import task

from ..models import User
from .formats import records_read
from .planning import records_import
from .records import ImportReport

FOLDER = "imports"
KEPT = timedelta(days=1)
PROGRESS_EVERY = 1_000  # records between two progress writes
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)
READ_ATTEMPTS = 20


class Status:
    WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"


def storage():
    return storages["imports"]


def job_path(token: str, name: str = "job.json") -> str:
    return f"{FOLDER}/{token}/{name}"


def job_create(*, files: dict[str, bytes], choices: dict[str, str], user) -> str:
    """Keep the files and what they were read with; the token names the job.

    Files are stored by number, their names (which say what they hold) kept in the job:
    a name sent by the browser never becomes a path.
    """
    jobs_purge()
    token = secrets.token_urlsafe(16)
    for number, content in enumerate(files.values()):
        storage().save(job_path(token, f"files/{number}"), ContentFile(content))
    names = [PurePath(name).name for name in files]
    job_write(token, {"choices": choices, "user": user.pk, "apply": False, "files": names})
    return token


def job_write(token: str, job: dict) -> None:
    job["changed_at"] = timezone.now().isoformat()
    name = job_path(token)
    storage().delete(name)
    storage().save(name, ContentFile(json.dumps(job).encode()))


def job_read(token: str) -> dict | None:
    """The job, or None if there is none. A job being rewritten (job_write deletes, then
    saves) is read again a moment later."""
    if not TOKEN.fullmatch(token) or not storage().exists(f"{FOLDER}/{token}"):
        return None
    for _attempt in range(READ_ATTEMPTS):
        try:
            with storage().open(job_path(token)) as file:
                return json.load(file)
        except (FileNotFoundError, json.JSONDecodeError):
            time.sleep(0.05)
    return None


def job_update(token: str, **changes) -> dict:
    job = job_read(token) or {}
    job.update(changes)
    job_write(token, job)
    return job


def job_files(token: str, job: dict) -> dict[str, bytes]:
    files = {}
    for number, name in enumerate(job["files"]):
        with storage().open(job_path(token, f"files/{number}")) as file:
            files[name] = file.read()
    return files


def job_files_delete(token: str) -> None:
    folder = job_path(token, "files")
    if storage().exists(folder):
        for name in storage().listdir(folder)[1]:
            storage().delete(f"{folder}/{name}")
        storage().delete(folder)


def jobs_purge() -> None:
    """Forget the jobs left for more than a day (simulations never applied)."""
    if not storage().exists(FOLDER):
        return
    for token in storage().listdir(FOLDER)[0]:
        name = job_path(token)
        if not storage().exists(name) or storage().get_modified_time(name) < timezone.now() - KEPT:
            job_files_delete(token)
            storage().delete(name)
            storage().delete(f"{FOLDER}/{token}")


def job_start(token: str, *, apply: bool) -> None:
    """Queue the simulation (or the application) of a job; the worker runs it."""
    job_update(token, apply=apply, status=Status.WAITING, done=0, total=0, report=None)
    directory_import_run.enqueue(token=token, apply=apply)


def progress_writer(token: str):
    """A `progress(step, done, total)` for records_import that writes now and then."""
    last = {}

    def progress(step: str, done: int, total: int) -> None:
        if step != last.get("step") or done - last.get("done", 0) >= PROGRESS_EVERY:
            last.update(step=step, done=done)
            job_update(token, status=Status.RUNNING, step=step, done=done, total=total)

    return progress


@task()
def directory_import_run(*, token: str, apply: bool) -> None:
    """Read the job's files and plan them, as a simulation or for good."""
    job = job_update(token, status=Status.RUNNING, step="lecture")
    try:
        choices = job["choices"]
        report = ImportReport()
        records = records_read(**choices, files=job_files(token, job), report=report)
        records_import(
            records=records,
            apply=apply,
            report=report,
            user=User.objects.filter(pk=job["user"]).first(),
            reason=f"Import {choices['format']} depuis l'administration",
            progress=progress_writer(token),
        )
    except Exception:
        job_update(token, status=Status.FAILED)
        raise
    job_update(token, status=Status.DONE, report=report.as_dict())
    if report.applied:
        job_files_delete(token)
