"""Writes a page can do without, on a database that another writer may hold."""

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connection, transaction


def write_unless_busy(write: Callable[[], None]) -> bool:
    """Run `write` (a count, a session's later expiry date) at once, or skip it if another
    writer holds the database; True if it was written.

    SQLite has one writer at a time: during a long import, a page view that waited for
    it to write a count would fail after the busy timeout. On PostgreSQL, or inside a
    transaction (which already waits for its own writes), the write is simply made.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        write()
        return True
    timeout_ms = int(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
        try:
            # BEGIN IMMEDIATE (settings.py) takes the write lock or fails, before `write`
            # runs: the lock is held for the whole of it.
            with transaction.atomic():
                write()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            return False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    return True
