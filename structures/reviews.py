"""Mark a fiche reviewed (« à jour »): from Mon espace, the admin's action or the dashboard."""

from datetime import datetime

from django.utils import timezone

from .enums import UsageEvent
from .models import Fiche
from .usage import fiche_structure_id, usage_count


def fiche_mark_reviewed(*, fiche: Fiche, now: datetime | None = None) -> None:
    """Set last_reviewed_at and nothing else (the change is still recorded in the history);
    count the fiche confirmed « à jour »."""
    fiche.last_reviewed_at = now or timezone.now()
    fiche.save(update_fields=["last_reviewed_at"])
    usage_count(event=UsageEvent.REVIEW_CONFIRMED, structure_id=fiche_structure_id(fiche))
