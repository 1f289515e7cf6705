"""A year of invented anonymous counts, so that the demo's statistics have something to show
(load_demo) and the bench measures a full year (tests/bench_stats.py)."""

import random
from datetime import timedelta
from functools import partial

from django.utils import timezone

from liaison.models import DocumentKind, DocumentUse

from ..enums import UsageEvent
from ..models import FreshnessSnapshot, Service, Structure, Theme, UsageCount


def _structure_day_counts(rng, day, structure_ids, services_by_structure):
    for structure_id in structure_ids:
        usage = partial(UsageCount, day=day, structure_ref=structure_id)
        if rng.random() < 0.5:
            yield usage(event=UsageEvent.STRUCTURE_VIEW, count=rng.randint(1, 6))
        for service_id in services_by_structure.get(structure_id, []):
            if rng.random() < 0.4:
                yield usage(
                    event=UsageEvent.SERVICE_VIEW, subject_ref=service_id, count=rng.randint(1, 5)
                )
        if rng.random() < 0.03:
            yield usage(event=UsageEvent.PARTNER_EDIT, count=1)
        if rng.random() < 0.02:
            yield usage(event=UsageEvent.REVIEW_CONFIRMED, count=rng.randint(1, 3))
        if rng.random() < 0.02:
            yield usage(event=UsageEvent.COORDINATION_EDIT, count=1)
        if day.day == 1:
            yield usage(event=UsageEvent.PARTNER_ACTIVE, count=rng.randint(0, 4))


def usage_demo_seed(*, days: int = 365, seed: int = 2026) -> int:
    """Invent `days` days of counts up to today (never on a real directory: the demo only).
    Returns the number of rows written."""
    rng = random.Random(seed)
    today = timezone.localdate()
    structure_ids = list(Structure.objects.values_list("pk", flat=True))
    services_by_structure = {}
    for service_id, structure_id in Service.objects.values_list("pk", "structure_id"):
        services_by_structure.setdefault(structure_id, []).append(service_id)
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    counts, documents, snapshots = [], [], []
    fresh_share = 0.55
    fiches = len(structure_ids) + sum(len(ids) for ids in services_by_structure.values())
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:  # partners work on weekdays
            continue
        counts.extend(
            UsageCount(
                day=day, event=UsageEvent.THEME_VIEW, subject_ref=theme_id, count=rng.randint(1, 12)
            )
            for theme_id in theme_ids
        )
        searches = rng.randint(5, 30)
        counts.append(UsageCount(day=day, event=UsageEvent.SEARCH, count=searches))
        counts.append(
            UsageCount(day=day, event=UsageEvent.SEARCH_EMPTY, count=rng.randint(0, searches // 5))
        )
        if rng.random() < 0.2:
            counts.append(UsageCount(day=day, event=UsageEvent.BOOKLET_DOWNLOAD, count=1))
        counts.extend(_structure_day_counts(rng, day, structure_ids, services_by_structure))
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(list(DocumentKind))
            documents.append(
                DocumentUse(
                    kind=kind,
                    created_on=day,
                    sender_structure_id=rng.choice(structure_ids) if structure_ids else None,
                )
            )
        fresh_share = min(0.95, max(0.3, fresh_share + rng.uniform(-0.01, 0.012)))
        snapshots.append(
            FreshnessSnapshot(day=day, fiches=fiches, fresh=round(fiches * fresh_share))
        )
    UsageCount.objects.bulk_create(counts, batch_size=2000)
    DocumentUse.objects.bulk_create(documents, batch_size=2000)
    FreshnessSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    return len(counts) + len(documents) + len(snapshots)


def usage_delete() -> None:
    """Forget every count (the demo is reloaded from scratch)."""
    for model in (UsageCount, FreshnessSnapshot, DocumentUse):
        model.objects.all().delete()
