"""Count a use of the directory, anonymously: one row per day, event and subject (UsageCount).

Never who (no account, no address), never what was typed: a number per day. Each count is
one atomic upsert, on SQLite and PostgreSQL; a request writes at most one, except the
first request of an account in a month, which also counts the account as active.
"""

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from liaison.models import DocumentUse

from .db import write_unless_busy
from .enums import UsageEvent
from .models import Fiche, FreshnessSnapshot, Service, Structure, User
from .models.usage import UsageCount


def usage_counts(
    *,
    events: Iterable[UsageEvent],
    structure_id: int | None = None,
    subject_id: int | None = None,
    day: date | None = None,
    amount: int = 1,
) -> None:
    """Add `amount` to the day's count of each event, in one statement.

    While another writer holds an SQLite database (a long import), the count is skipped
    rather than making the page wait (structures/db.py)."""
    events = list(events)
    if not events:
        return
    table = connection.ops.quote_name(UsageCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(events))
    params = []
    for event in events:
        params += [day or timezone.localdate(), event, structure_id or 0, subject_id or 0, amount]

    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, event, structure_ref, subject_ref, count) "
                f"VALUES {values} ON CONFLICT (day, event, structure_ref, subject_ref) "
                f"DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )

    write_unless_busy(write)


def usage_count(
    *,
    event: UsageEvent,
    structure_id: int | None = None,
    subject_id: int | None = None,
    day: date | None = None,
    amount: int = 1,
) -> None:
    """Add `amount` to the day's count of `event` (for that structure and fiche or theme)."""
    usage_counts(
        events=[event], structure_id=structure_id, subject_id=subject_id, day=day, amount=amount
    )


def fiche_structure_id(fiche: Fiche) -> int:
    return fiche.pk if isinstance(fiche, Structure) else fiche.structure_id


def account_count_active(*, user: User, today: date | None = None) -> bool:
    """Count the account among its structure's active accounts, once a month.

    The account only keeps the month it was last counted (counted_month): the count says
    how many accounts of a structure were active, never which ones. A conditional update
    makes two simultaneous first requests count once. True if it was counted now.
    """
    month = (today or timezone.localdate()).replace(day=1)
    if user.counted_month == month:
        return False
    updated = 0

    def write():
        nonlocal updated
        with transaction.atomic():
            updated = (
                User.objects.filter(pk=user.pk)
                .filter(Q(counted_month__isnull=True) | Q(counted_month__lt=month))
                .update(counted_month=month)
            )
            if updated:
                usage_count(
                    event=UsageEvent.PARTNER_ACTIVE, structure_id=user.structure_id, day=month
                )

    # In one transaction; skipped while an import writes to SQLite, tried on the next page.
    if not write_unless_busy(write):
        return False
    user.counted_month = month
    return bool(updated)


def freshness_now() -> FreshnessSnapshot:
    """The number of fiches now and of those reviewed within STALE_AFTER_MONTHS (identity
    sheets and active services, as the dashboard counts them), not saved."""
    structures = Structure.objects.count()
    services = Service.objects.active().count()
    stale = Structure.objects.stale().count() + Service.objects.active().stale().count()
    fiches = structures + services
    return FreshnessSnapshot(day=timezone.localdate(), fiches=fiches, fresh=fiches - stale)


def freshness_snapshot() -> FreshnessSnapshot:
    """Keep today's freshness (usage_daily), for the statistics' freshness over time."""
    now = freshness_now()
    snapshot, _ = FreshnessSnapshot.objects.update_or_create(
        day=now.day, defaults={"fiches": now.fiches, "fresh": now.fresh}
    )
    return snapshot


def usage_purge(*, today: date | None = None) -> int:
    """Delete the counts older than USAGE_RETENTION_MONTHS; how many rows were deleted."""
    limit = (today or timezone.localdate()) - relativedelta(months=settings.USAGE_RETENTION_MONTHS)
    deleted = UsageCount.objects.filter(day__lt=limit).delete()[0]
    deleted += FreshnessSnapshot.objects.filter(day__lt=limit).delete()[0]
    deleted += DocumentUse.objects.filter(created_on__lt=limit).delete()[0]
    return deleted
