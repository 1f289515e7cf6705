"""Processes of the tests: manage.py in a subprocess, and a look at processes through /proc
(what a test of the task workers needs, Linux)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env=None, check=True, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    """`python manage.py <args>` in the project, its output captured as text."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=os.environ if env is None else env,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def process_alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def process_children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
