"""Processes for heavy work inside a task: one per core, bounded in time, never left behind.

    with WorkerPool(time_limit=600, beat=run.progress) as pool:
        pdfs = pool.map(pdf_render_html, documents)
        for index, pdf in pool.completed(pdf_render_html, documents): …

The processes are forked from the task worker that runs the task (only tasks create a
pool: a web process never forks), one per core unless `workers` says otherwise
(`workers_count`). None of them outlives the pool:

- past `time_limit` seconds, `map` stops them all and raises WorkTimeLimit, a JobFailure
  whose French message the job records for the admin;
- when the task fails or is interrupted, leaving the `with` block terminates them;
- when the task worker itself dies, even by SIGKILL, the kernel kills them
  (PR_SET_PDEATHSIG on Linux; elsewhere each process watches its parent every second);
- Ctrl-C, which reaches the whole process group, is left to the task worker to handle.

While waiting for results, `beat()` is called every `beat_every` seconds: the job's
heartbeat, so that a long render is not taken for a dead worker.
"""

import ctypes
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from .jobs import JobFailure

PR_SET_PDEATHSIG = 1


class WorkTimeLimit(JobFailure):
    def __init__(self, seconds: float):
        super().__init__(
            f"Le travail a dépassé la limite de {seconds:g} secondes : il a été arrêté. "
            "Augmentez BOOKLET_TIME_LIMIT_SECONDS si le répertoire a beaucoup grandi."
        )


def workers_count(wanted: int = 0) -> int:
    """`wanted` processes, or one per core that this process may use."""
    if wanted > 0:
        return wanted
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _worker_start(parent: int) -> None:
    """In each process: die with the task worker, and leave the signals to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not db_worker's graceful handler
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class WorkerPool:
    def __init__(
        self,
        *,
        time_limit: float,
        workers: int = 0,
        beat: Callable[[], Any] = lambda: None,
        beat_every: float = 10.0,
    ):
        self.workers = workers_count(workers)
        self.time_limit = time_limit
        self.beat = beat
        self.beat_every = beat_every
        self.deadline = time.monotonic() + time_limit
        self._pool = None

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """The processes of the pool (for tests and benchmarks)."""
        return [process.pid for process in self._pool._pool] if self._pool else []

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map(self, function: Callable, items: Sequence) -> list:
        """[function(item) for item in items], computed in the pool's processes."""
        results = dict(self.completed(function, items))
        return [results[index] for index in range(len(items))]

    def completed(self, function: Callable, items: Sequence) -> Iterator[tuple[int, Any]]:
        """(index, function(items[index])) for every item, as soon as each is computed."""
        if not items:
            return
        if self._pool is None:  # forked on first use: nothing to compute, nothing forked
            self._pool = multiprocessing.get_context("fork").Pool(
                self.workers, initializer=_worker_start, initargs=(os.getpid(),)
            )
        finished = queue.SimpleQueue()
        for index, item in enumerate(items):
            self._pool.apply_async(
                function,
                (item,),
                callback=partial(_put, finished, index, True),
                error_callback=partial(_put, finished, index, False),
            )
        for _ in items:
            index, value = self._next(finished)
            yield index, value

    def _next(self, finished: queue.SimpleQueue) -> tuple[int, Any]:
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise WorkTimeLimit(self.time_limit)
            try:
                index, succeeded, value = finished.get(timeout=min(self.beat_every, remaining))
            except queue.Empty:
                self.beat()
                continue
            if not succeeded:
                raise value
            return index, value


def _put(finished: queue.SimpleQueue, index: int, succeeded: bool, value) -> None:
    finished.put((index, succeeded, value))
