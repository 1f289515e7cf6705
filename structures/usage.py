"""Count a use of the directory, anonymously: one row per day and event (UsageCount)."""

from datetime import date

from django.db import connection
from django.utils import timezone

from .db import write_unless_busy
from .enums import UsageEvent
from .models.usage import UsageCount


def usage_count(*, event: UsageEvent, day: date | None = None, amount: int = 1) -> None:
    """Add `amount` to the day's count of `event`: one atomic upsert, on SQLite and PostgreSQL.

    While another writer holds an SQLite database (a long import), the count is skipped
    rather than making the page wait (structures/db.py)."""
    table = connection.ops.quote_name(UsageCount._meta.db_table)

    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, event, count) VALUES (%s, %s, %s) "
                f"ON CONFLICT (day, event) DO UPDATE SET count = {table}.count + excluded.count",
                [day or timezone.localdate(), event, amount],
            )

    write_unless_busy(write)
