"""Two people edit the same fiche: the second save is refused, with what changed meanwhile.

A fiche form (Mon espace, the admin) carries, in a hidden field, the version of the fiche
it was opened at. If someone saved the fiche since, and changed one of the form's fields,
the form is not valid: its error says who saved, when, and each change (label :
« before » → « after »), read from the fiche's history; the form comes back with what
the person typed and the current version, so that a second click saves it deliberately.
Inside a transaction (the admin's, Mon espace's), the check locks the fiche's row until the
save, so that a simultaneous save waits and then sees this one's changes; and the check is
repeated in the UPDATE itself (Fiche.save): of two saves checked at the same moment, the
slower is refused (EditConflict), never written over the other.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .text import french_date

SHOWN_CHARACTERS = 120


class EditConflict(Exception):
    """The fiche was saved by someone else after the form was opened."""


class VersionField(forms.IntegerField):
    """The version a form was opened at: hidden, and never a change of the user's."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def has_changed(self, initial, data):
        return False


class FicheVersionForm(forms.ModelForm):
    """A ModelForm of a Structure or Service that refuses to erase another's save."""

    seen_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the database: a revert of the admin's history edits an old copy.
            self.fields["seen_version"].initial = _stored(self.instance).version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        current = _stored(self.instance, lock=True)
        if seen is None:
            seen = current.version  # a form posted without its version: nothing to compare
        changes = fiche_changes(
            fiche=current, since_version=seen, fields=self._compared_fields(), form=self
        )
        if changes:
            data = self.data.copy()
            data[self.add_prefix("seen_version")] = current.version
            self.data = data  # shown again with the new version: the next click saves
            raise ValidationError([conflict_summary(fiche=current), *changes, CONFLICT_ADVICE])
        self.instance.edited_version = current.version
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        if "themes" in self.changed_data:
            # save() indexed the service before its themes were written: again, with them.
            from .search.index import search_index_refresh  # the index reads every model

            search_index_refresh(service_ids=[self.instance.pk])

    def _compared_fields(self) -> dict[str, str]:
        names = [name for name in self.fields if name in _model_fields(self.instance)]
        return {name: str(self.fields[name].label or name) for name in names}


CONFLICT_ADVICE = (
    "Votre saisie n'est pas enregistrée, elle est conservée ci-dessous. Reprenez-y ces "
    "changements si besoin, puis enregistrez de nouveau : votre version remplacera alors "
    "celle qui vient d'être enregistrée."
)


def conflict_summary(*, fiche) -> str:
    """« Cette fiche a été enregistrée par Camille Durand le 3 mars 2026 à 14 h 05 … »."""
    latest = fiche.history.order_by("-history_date", "-history_id").first()
    by, when = "", ""
    if latest is not None:
        user = latest.history_user
        if user is not None:
            by = f" par {user.get_full_name() or user.get_username()}"
        moment = latest.history_date
        when = f" le {french_date(moment)} à {_local(moment):%H} h {_local(moment):%M}"
    return (
        f"Cette fiche a été enregistrée{by}{when}, pendant que vous la modifiiez. "
        "Voici ce qui a changé depuis que vous l'avez ouverte :"
    )


def fiche_changes(*, fiche, since_version: int, fields: dict[str, str], form) -> list[str]:
    """The changes made to `fields` of `fiche` (as stored now) since `since_version`:
    « label : « before » → « after » ». Without history for that version, the fields
    whose stored value differs from what was typed."""
    if since_version == fiche.version:
        return []
    opened = (
        fiche.history.filter(version=since_version).order_by("-history_date", "-history_id").first()
    )
    changes = []
    for name, label in fields.items():
        field = type(fiche)._meta.get_field(name)
        after = _value(fiche, field)
        if opened is not None:
            before = _value(opened, field)
            if before != after:
                changes.append(f"{label} : {_shown(field, before)} → {_shown(field, after)}")
        elif _typed(form, name, field) != after:
            changes.append(f"{label} : maintenant {_shown(field, after)}")
    return changes


def _stored(fiche, *, lock: bool = False):
    """The fiche as stored; locked until the end of the transaction when asked and inside
    one (PostgreSQL: a simultaneous save waits, then sees this one's changes)."""
    rows = type(fiche).objects.all()
    if lock and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.get(pk=fiche.pk)


def _model_fields(instance) -> set[str]:
    return {field.name for field in instance._meta.get_fields()}


def _value(record, field):
    """A field's value, comparable between a fiche and its historical copy."""
    if field.many_to_many:
        if hasattr(record, "history_id"):  # a historical copy keeps its own link rows
            target = field.related_model._meta.model_name
            return frozenset(getattr(record, field.name).values_list(target, flat=True))
        return frozenset(getattr(record, field.name).values_list("pk", flat=True))
    return getattr(record, field.attname)


def _typed(form, name, field):
    value = form.cleaned_data.get(name)
    if field.many_to_many:
        return frozenset(item.pk for item in value or [])
    if isinstance(value, models.Model):
        return value.pk
    return value


def _shown(field, value) -> str:
    """A value as the person knows it: the label of a choice, the names of the themes."""
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value).values_list("name", flat=True)
        text = ", ".join(sorted(names))
    elif isinstance(value, list):
        labels = dict(field.choice_set.choices)
        text = ", ".join(str(labels.get(item, item)) for item in value)
    elif isinstance(value, bool):
        text = "oui" if value else "non"
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif field.is_relation and value is not None:
        text = str(field.related_model.objects.filter(pk=value).first() or value)
    elif hasattr(value, "tzinfo"):
        text = f"{french_date(value)} à {_local(value):%H} h {_local(value):%M}"
    else:
        text = "" if value is None else " ".join(str(value).split())
    if not text:
        return "(vide)"
    if len(text) > SHOWN_CHARACTERS:
        text = text[: SHOWN_CHARACTERS - 1].rstrip() + "…"
    return f"« {text} »"


def _local(moment):
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment
