"""Mark a fiche reviewed (« à jour »): from Mon espace, the admin's action or the dashboard."""

from datetime import datetime

from django.utils import timezone

from .models import Fiche


def fiche_mark_reviewed(*, fiche: Fiche, now: datetime | None = None) -> None:
    """Set last_reviewed_at and nothing else (the change is still recorded in the history)."""
    fiche.last_reviewed_at = now or timezone.now()
    fiche.save(update_fields=["last_reviewed_at"])
