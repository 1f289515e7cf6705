"""A fiche's history, version by version, with what changed (simple_history's diff_against)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone

from ..models import Service, Structure, Theme

HISTORY_VERSIONS = 30  # the newest versions shown; the admin's history keeps them all
# Kept by the application on every save: never a change of the fiche itself.
NOT_COMPARED = ["updated_at", "created_at"]
EMPTY = "(vide)"

FICHE_MODELS = {"structure": Structure, "service": Service}


def fiche_get(*, kind: str, pk: int):
    """The structure or service `pk` (404 for an unknown kind or id)."""
    model = FICHE_MODELS.get(kind)
    if model is None:
        raise Http404("Ce type de fiche n'existe pas.")
    return get_object_or_404(model, pk=pk)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Version:
    when: datetime
    who: object
    action: str
    changes: list[FieldChange]


ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


def _readable(field, value, themes: dict) -> str:
    """A value as the coordinator reads it: labels of choices, names of themes, French dates."""
    if value in (None, "", [], ()):
        return EMPTY
    if field is None:  # the themes (many-to-many): rows of the through table
        return ", ".join(sorted(themes.get(row["theme"], "?") for row in value))
    if field.choices:
        labels = dict(field.flatchoices)
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(labels.get(item, item)) for item in values)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(field, models.ForeignKey):  # rarely changed: one query when it is
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"n° {value} (supprimée)"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _field_changes(record, previous, themes: dict) -> list[FieldChange]:
    opts = record.instance_type._meta
    delta = record.diff_against(previous, excluded_fields=NOT_COMPARED)
    changes = []
    for change in delta.changes:
        field = None if change.field == "themes" else opts.get_field(change.field)
        label = opts.get_field(change.field).verbose_name
        changes.append(
            FieldChange(
                label=str(label).capitalize(),
                old=_readable(field, change.old, themes),
                new=_readable(field, change.new, themes),
            )
        )
    return changes


def fiche_versions(*, fiche, limit: int = HISTORY_VERSIONS) -> tuple[list[Version], int]:
    """The newest `limit` versions of a fiche, newest first, each with what it changed from
    the one before; and how many versions there are in all."""
    history = fiche.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(history[: limit + 1])  # one more: the version before the oldest shown
    themes = dict(Theme.objects.values_list("pk", "name")) if isinstance(fiche, Service) else {}
    versions = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = _field_changes(record, previous, themes) if previous else []
        versions.append(
            Version(
                when=record.history_date,
                who=record.history_user,
                action=ACTIONS.get(record.history_type, "Modification"),
                changes=changes,
            )
        )
    return versions, history.count()
