"""Background jobs: one holder across every server, progress, and tasks that come back.

django-tasks runs a task function in a worker (`manage.py db_worker`, as many as wanted,
on any number of machines sharing the database). A Job row (structures/models/jobs.py)
adds what the queue does not know:

- `job_request` enqueues a job's task unless one already waits for it: every request
  made within the delay is served by that one run.
- `job_perform`, called by that task, does the work as the job's only holder on every
  server. The lease is taken by one conditional UPDATE, so the database decides, and
  kept by heartbeats (`JobRun.progress`); a holder silent for JOB_LEASE_SECONDS is taken
  for dead and any worker may take the job over. While the work runs, a guard task waits
  in the queue: if the worker dies, even by SIGKILL, the guard finishes the work on the
  next worker; if another worker holds the job, the task comes back later rather than
  waiting. A task therefore never trusts its arguments to be new: its work starts by
  checking what remains to be done (a booklet already up to date returns at once).
- a failure is recorded on the job, in French with the traceback, for the admin.

A new kind of background work (an import, say) needs a task and a request:

    @task()
    def import_apply_task(key: str):
        return job_perform(key=key, task=import_apply_task, args=[key],
                           work=lambda run: import_apply(key=key, run=run))

    job_request(key=key, label="Import du 1er décembre", task=import_apply_task, args=[key])

and `run.progress(done=…, total=…)` in the work at least every JOB_LEASE_SECONDS / 4
(structures/background/pool.py does it while it waits for its processes).
"""

import logging
import os
import secrets
import socket
import traceback
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Job

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A task that should have started this long ago is taken as lost, and enqueued again.
LOST_AFTER = timedelta(hours=1)


class JobBusy(Exception):
    """Another worker holds the job."""


class JobLost(Exception):
    """This worker was silent too long and another one took the job over."""


class JobFailure(Exception):
    """A failure whose message, in French, tells the coordinator what happened."""


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_request(
    *,
    key: str,
    label: str,
    task,
    args: Sequence = (),
    delay: float = 0,
    priority: int = 0,
    retry: bool = False,
) -> bool:
    """Enqueue `task(*args)` to run in `delay` seconds, unless a task already waits for the job.

    Returns whether a task was enqueued. A backend that runs tasks at once (the tests')
    runs it now, and there a `retry` (a task coming back later) is skipped.
    """
    job, _ = Job.objects.get_or_create(key=key, defaults={"label": label})
    task = task.using(priority=priority)
    if not task.get_backend().supports_defer:
        if not retry:
            task.enqueue(*args)
        return not retry
    now = timezone.now()
    run_after = now + timedelta(seconds=delay)
    free = Q(queued_until__isnull=True) | Q(queued_until__lt=now - LOST_AFTER)
    if not Job.objects.filter(pk=job.pk).filter(free).update(queued_until=run_after):
        return False
    task.using(run_after=run_after).enqueue(*args)
    return True


def job_perform(
    *,
    key: str,
    task,
    work: Callable[["JobRun"], T],
    args: Sequence = (),
    priority: int = 0,
) -> T | None:
    """Do `work(run)` as the job's only holder; None if another worker holds it.

    To be called by the job's task: the task stops waiting as it starts, so a request
    made from now on enqueues a new run.
    """
    Job.objects.filter(key=key).update(queued_until=None)
    come_back = {
        "key": key,
        "label": key,
        "task": task,
        "args": args,
        "priority": priority,
        "delay": settings.JOB_LEASE_SECONDS,
        "retry": True,
    }
    try:
        run = JobRun.take(key=key)
    except JobBusy:
        job_request(**come_back)
        return None
    job_request(**come_back)  # the guard, should this worker die
    try:
        with run:
            return work(run)
    finally:  # the guard may stay in the queue: a request from now on enqueues anew
        Job.objects.filter(key=key).update(queued_until=None)


class JobRun:
    """The lease of one worker on one job, from `take` to the end of the `with` block."""

    def __init__(self, *, key: str, holder: str):
        self.key = key
        self.holder = holder

    @classmethod
    def take(cls, *, key: str) -> "JobRun":
        holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[-120:]
        now = timezone.now()
        free = Q(holder="") | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lease())
        taken = (
            Job.objects.filter(key=key)
            .filter(free)
            .update(holder=holder, heartbeat_at=now, started_at=now, done=0, total=0)
        )
        if not taken:
            raise JobBusy(key)
        return cls(key=key, holder=holder)

    def _mine(self):
        return Job.objects.filter(key=self.key, holder=self.holder)

    def progress(self, *, done: int | None = None, total: int | None = None) -> None:
        """Record how far the work has got, and that this worker is alive.

        Raises JobLost if another worker took the job over meanwhile: stop at once.
        """
        fields = {"heartbeat_at": timezone.now()}
        if done is not None:
            fields["done"] = done
        if total is not None:
            fields["total"] = total
        if not self._mine().update(**fields):
            raise JobLost(self.key)

    def __enter__(self) -> "JobRun":
        return self

    def __exit__(self, kind, error, trace) -> None:
        now = timezone.now()
        if error is None:
            self._mine().update(holder="", heartbeat_at=None, finished_at=now, error="")
            return
        if not isinstance(error, JobFailure | KeyboardInterrupt | SystemExit):
            logger.error("Job %s failed", self.key, exc_info=(kind, error, trace))
        self._mine().update(
            holder="",
            heartbeat_at=None,
            finished_at=now,
            failed_at=now,
            error=_describe(error),
            error_details="".join(traceback.format_exception(kind, error, trace))[-20_000:],
        )


def _describe(error: BaseException) -> str:
    if isinstance(error, JobFailure):
        return str(error)
    if isinstance(error, KeyboardInterrupt | SystemExit):
        return "Interrompu : l'ouvrier des tâches a été arrêté pendant le travail, qui sera repris."
    return f"Erreur inattendue ({type(error).__name__}) : voir les détails techniques."
