"""Remind each éditeur, by e-mail, of its structure's stale fiches (manage.py remind_stale)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import StaleReminder, Structure, User

REMINDER_INTERVAL = timedelta(days=7)


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def stale_fiches_of(structure: Structure) -> list[tuple[str, str]]:
    """[(label, edit link), …] for the structure's stale identity sheet and active services."""
    fiches = []
    if Structure.objects.stale().filter(pk=structure.pk).exists():
        fiches.append(
            (
                f"Fiche d'identité — {structure.name}",
                _absolute(reverse("structures:espace_structure_edit")),
            )
        )
    fiches.extend(
        (
            f"Fiche service — {service.title}",
            _absolute(reverse("structures:espace_service_edit", args=[service.pk])),
        )
        for service in structure.services.active().stale().order_by("title")
    )
    return fiches


def reminders_send(*, now: datetime | None = None, structure: Structure | None = None) -> int:
    """E-mail every active éditeur its stale fiches, at most once a week per structure.

    With `structure`, only that structure's éditeurs, whenever the coordinator asks (the
    button of the dashboard): the weekly limit is for the automatic reminder.
    Only the date of the last reminder is kept, per account and structure.
    Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    editors = (
        User.objects.filter(is_editor=True, is_active=True, structure__isnull=False)
        .exclude(email="")
        .select_related("structure")
        .order_by("username")
    )
    if structure is not None:
        editors = editors.filter(structure=structure)
        recently_reminded = set()
    else:
        recently_reminded = set(
            StaleReminder.objects.filter(sent_at__gt=now - REMINDER_INTERVAL).values_list(
                "user_id", "structure_id"
            )
        )
    sent = 0
    for editor in editors:
        if (editor.pk, editor.structure_id) in recently_reminded:
            continue
        fiches = stale_fiches_of(editor.structure)
        if not fiches:
            continue
        context = {
            "editor": editor,
            "structure": editor.structure,
            "fiches": fiches,
            "espace_url": _absolute(reverse("structures:espace")),
            "stale_months": settings.STALE_AFTER_MONTHS,
        }
        send_mail(
            subject=f"Répertoire : {len(fiches)} fiche(s) de {editor.structure.name} à relire",
            message=render_to_string("structures/coordination/remind_stale_email.txt", context),
            from_email=None,
            recipient_list=[editor.email],
        )
        StaleReminder.objects.update_or_create(
            user=editor, structure=editor.structure, defaults={"sent_at": now}
        )
        sent += 1
    return sent
