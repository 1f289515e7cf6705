"""Plan an import (CSV files or data·inclusion records): all at once, or not at all.

The sources are first turned into `Record`s (see readers.py and datainclusion.py); this
module matches each record with the directory by its stable identifier, validates it,
and counts what would be created, updated or left unchanged; saving.py writes
everything in one transaction, only when asked to and only when no record has a problem.
"""

import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from ..enums import ChangeKind
from ..models import Contact, Service, Structure, TemporaryChange, Theme
from ..text import slug_unique
from .records import TABLE_LABELS, ImportReport, Record
from .saving import history_save, plan_save

NOT_COMPARED = {"id", "created_at", "updated_at", "version"}


class Step:
    """What a long import is doing, as its progress page and the command say it."""

    CHECK = "vérification"
    SAVE = "enregistrement"


def compared_fields(model):
    return [
        item.attname
        for item in model._meta.concrete_fields
        if item.attname not in NOT_COMPARED and not item.is_relation
    ]


def snapshot(instance, *, relations=()):
    values = [getattr(instance, name) for name in compared_fields(type(instance))]
    values += [getattr(getattr(instance, name, None), "uid", None) for name in relations]
    return values


class Plan:
    """The directory as it is, and what the import will change in it."""

    def __init__(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        structures = list(Structure.objects.all())
        self.structures_by_uid = {item.uid: item for item in structures}
        self.structures_by_slug = {item.slug: item for item in structures}
        services = list(Service.objects.select_related("structure"))
        self.services_by_uid = {item.uid: item for item in services}
        self.services_by_key = {(item.structure.uid, item.slug): item for item in services}
        theme_slugs = {theme.pk: slug for slug, theme in self.themes.items()}
        self.service_themes = {}
        for service_id, theme_id in Service.themes.through.objects.values_list(
            "service_id", "theme_id"
        ):
            self.service_themes.setdefault(service_id, set()).add(theme_slugs[theme_id])
        contacts = list(Contact.objects.select_related("structure", "service"))
        self.contacts_by_uid = {item.uid: item for item in contacts}
        self.contacts_by_key = {contact_key(item): item for item in contacts}
        self.changes_by_uid = {item.uid: item for item in TemporaryChange.objects.all()}
        self.seen = {}
        self.contact_lines = {}  # (structure uid, service uid, name) -> where it was planned
        self.created = {table: [] for table in TABLE_LABELS}
        self.updated = {table: [] for table in TABLE_LABELS}
        self.new_themes = {}  # service uid -> theme slugs, for services whose themes change

    def duplicate(self, key, record, column, report) -> bool:
        """True (and a problem) if another line of the import already gave this identifier."""
        if key in self.seen:
            report.problem_add(
                record.where,
                f"« {key[-1]} » est déjà l'identifiant de {self.seen[key]} : "
                "chaque identifiant ne doit figurer qu'une fois.",
                record.column(column),
            )
            return True
        self.seen[key] = record.where
        return False

    def repeated(self, record, report) -> bool:
        """True (and a problem) for a new line, without uid, identical to an earlier one.

        Contacts have their own check: a line without uid names a person (contact_plan).
        """
        if record.table == "contacts" or record.values.get("uid") or record.invalid:
            return False
        signature = (record.table, repr(sorted(record.values.items())), repr(record.refs))
        if signature in self.seen:
            report.problem_add(
                record.where,
                f"cette ligne est identique à {self.seen[signature]} : supprimez l'une des "
                "deux (sans uid ni identifiant, chaque ligne crée une nouvelle fiche).",
            )
            return True
        self.seen[signature] = record.where
        return False

    def count(self, table, instance, *, is_new, changed, report, record=None):
        if record is not None and record.invalid:
            return  # refused anyway: its other cells were checked, it is not counted
        if is_new:
            self.created[table].append(instance)
            report.counts[table]["created"] += 1
        elif changed:
            self.updated[table].append(instance)
            report.counts[table]["updated"] += 1
        else:
            report.counts[table]["unchanged"] += 1


def contact_key(contact):
    service_uid = contact.service.uid if contact.service else None
    return (contact.structure.uid, service_uid, contact.name)


def values_set(instance, values):
    """Copy the record's values; a review date only replaces an older one."""
    for name, value in values.items():
        if name == "last_reviewed_at":
            current = instance.last_reviewed_at
            if value is None or (current is not None and value <= current):
                continue
        setattr(instance, name, value)


def instance_check(instance, record, report, *, exclude=()) -> bool:
    """Run the model's own validation; every error becomes a problem of the record."""
    try:
        instance.full_clean(
            exclude=["uid", *exclude],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                report.problem_add(record.where, message, record.column(name))
        return False
    return True


def theme_plan(plan, record, report):
    slug = record.values.get("slug", "")
    if not slug:
        report.problem_add(record.where, "l'identifiant est obligatoire.", record.column("slug"))
        return
    if plan.duplicate(("theme", slug), record, "slug", report):
        return
    theme = plan.themes.get(slug)
    is_new = theme is None
    theme = theme or Theme(slug=slug)
    before = snapshot(theme)
    values_set(theme, record.values)
    if instance_check(theme, record, report):
        others = [item for item in plan.themes.values() if item.name == theme.name]
        if any(other is not theme for other in others):
            report.problem_add(
                record.where, f"une autre thématique s'appelle déjà « {theme.name} ».", "nom"
            )
            return
        plan.themes[slug] = theme
        changed = before != snapshot(theme)
        plan.count(
            "thematiques", theme, is_new=is_new, changed=changed, report=report, record=record
        )


def structure_plan(plan, record, report):
    uid, slug = record.values.get("uid"), record.values.get("slug")
    if uid and plan.duplicate(("structure", uid), record, "uid", report):
        return
    if slug and plan.duplicate(("structure-slug", slug), record, "slug", report):
        return
    structure = plan.structures_by_uid.get(uid) if uid else plan.structures_by_slug.get(slug)
    is_new = structure is None
    structure = structure or Structure(uid=uid or uuid.uuid4())
    owner = plan.structures_by_slug.get(slug)
    if owner is not None and owner is not structure:
        report.problem_add(
            record.where,
            f"l'identifiant « {slug} » est déjà celui d'une autre structure, « {owner.name} ».",
            record.column("slug"),
        )
        return
    before = snapshot(structure)
    old_slug = structure.slug
    values_set(structure, record.values)
    if not structure.slug:
        structure.slug = slug_unique(structure.name, taken=plan.structures_by_slug)
    valid = instance_check(structure, record, report)
    # Known even if invalid, so that its services and contacts are checked too.
    plan.structures_by_slug.pop(old_slug, None)
    plan.structures_by_slug[structure.slug] = structure
    plan.structures_by_uid[structure.uid] = structure
    if valid:
        changed = before != snapshot(structure)
        plan.count(
            "structures", structure, is_new=is_new, changed=changed, report=report, record=record
        )


def structure_find(plan, record, report):
    if "structure_uid" in record.refs:
        structure = plan.structures_by_uid.get(record.refs["structure_uid"])
        reference = record.refs.get("structure_id", record.refs["structure_uid"])
    else:
        reference = record.refs.get("structure", "")
        structure = plan.structures_by_slug.get(reference)
    if structure is None:
        message = (
            f"structure inconnue « {reference} » : elle n'est ni dans le fichier des "
            "structures ni dans le répertoire."
            if reference
            else "la structure est obligatoire."
        )
        report.problem_add(record.where, message, record.column("structure"))
    return structure


def service_plan(plan, record, report):
    structure = structure_find(plan, record, report)
    themes = themes_find(plan, record, report)
    uid, slug = record.values.get("uid"), record.values.get("slug")
    if structure is None or themes is None:
        return
    if uid and plan.duplicate(("service", uid), record, "uid", report):
        return
    if slug and plan.duplicate(("service-slug", structure.uid, slug), record, "slug", report):
        return
    service = (
        plan.services_by_uid.get(uid) if uid else plan.services_by_key.get((structure.uid, slug))
    )
    is_new = service is None
    service = service or Service(uid=uid or uuid.uuid4())
    owner = plan.services_by_key.get((structure.uid, slug))
    if owner is not None and owner is not service:
        report.problem_add(
            record.where,
            f"la structure a déjà une autre fiche avec l'identifiant « {slug} » : "
            f"« {owner.title} ».",
            record.column("slug"),
        )
        return
    before = snapshot(service, relations=["structure"])
    old_key = (service.structure.uid, service.slug) if not is_new else None
    service.structure = structure
    values_set(service, record.values)
    if not service.slug:
        taken = {key[1] for key in plan.services_by_key if key[0] == structure.uid}
        service.slug = slug_unique(service.title, taken=taken)
    valid = instance_check(service, record, report, exclude=["structure"])
    plan.services_by_key.pop(old_key, None)
    plan.services_by_key[(structure.uid, service.slug)] = service
    plan.services_by_uid[service.uid] = service
    if valid:
        themes_changed = is_new or plan.service_themes.get(service.pk, set()) != set(themes)
        if themes_changed:
            plan.new_themes[service.uid] = themes
        changed = themes_changed or before != snapshot(service, relations=["structure"])
        plan.count(
            "services", service, is_new=is_new, changed=changed, report=report, record=record
        )


def themes_find(plan, record, report):
    slugs = record.refs.get("themes", [])
    unknown = [slug for slug in slugs if slug not in plan.themes]
    if unknown:
        known = ", ".join(sorted(plan.themes)) or "aucune"
        names = ", ".join(f"« {slug} »" for slug in unknown)
        report.problem_add(
            record.where,
            f"thématique inconnue {names} (thématiques connues : {known}).",
            record.column("themes"),
        )
        return None
    if not slugs:
        report.problem_add(
            record.where, "indiquez au moins une thématique.", record.column("themes")
        )
        return None
    return sorted(set(slugs))


def structure_and_service_find(plan, record, report):
    """The line's structure and, if it names one, that structure's fiche; None (and a
    problem reported) if either is unknown."""
    structure = structure_find(plan, record, report)
    if structure is None:
        return None
    service = None
    if service_slug := record.refs.get("service"):
        service = plan.services_by_key.get((structure.uid, service_slug))
        if service is None:
            report.problem_add(
                record.where,
                f"la structure « {structure.slug} » n'a pas de fiche « {service_slug} ».",
                record.column("service"),
            )
            return None
    return structure, service


def contact_plan(plan, record, report):
    found = structure_and_service_find(plan, record, report)
    if found is None:
        return
    structure, service = found
    uid, name = record.values.get("uid"), record.values.get("name")
    if uid and plan.duplicate(("contact", uid), record, "uid", report):
        return
    key = (structure.uid, service.uid if service else None, name)
    if not uid and key in plan.contact_lines:
        report.problem_add(
            record.where,
            f"« {name} » figure déjà à {plan.contact_lines[key]}, pour la même structure et "
            "la même fiche : supprimez la ligne en double, ou donnez à chaque personne un nom "
            "distinct.",
            record.column("name"),
        )
        return
    contact = plan.contacts_by_uid.get(uid) if uid else plan.contacts_by_key.get(key)
    is_new = contact is None
    contact = contact or Contact(uid=uid or uuid.uuid4())
    old_key = None if is_new else contact_key(contact)
    before = snapshot(contact, relations=["structure", "service"])
    contact.structure, contact.service = structure, service
    values_set(contact, record.values)
    if instance_check(contact, record, report, exclude=["structure", "service"]):
        if plan.contacts_by_key.get(old_key) is contact:
            del plan.contacts_by_key[old_key]  # renamed or moved: its old name is free
        plan.contacts_by_uid[contact.uid] = contact
        plan.contacts_by_key[key] = contact
        plan.contact_lines[key] = record.where
        changed = before != snapshot(contact, relations=["structure", "service"])
        plan.count(
            "contacts", contact, is_new=is_new, changed=changed, report=report, record=record
        )


def change_problem(change) -> tuple[str, str] | None:
    """What the database constraints would refuse (instance_check leaves them out)."""
    if change.ends_on and change.starts_on and change.ends_on < change.starts_on:
        return "ends_on", "La date de fin doit être le jour du début ou après."
    if change.kind == ChangeKind.HORAIRES and not change.weekly_hours:
        return "weekly_hours", "Indiquez les horaires de la période."
    return None


def change_plan(plan, record, report):
    """A temporary change, matched by its uid (a line without uid is a new change)."""
    found = structure_and_service_find(plan, record, report)
    if found is None:
        return
    structure, service = found
    uid = record.values.get("uid")
    if uid and plan.duplicate(("change", uid), record, "uid", report):
        return
    change = plan.changes_by_uid.get(uid) if uid else None
    is_new = change is None
    change = change or TemporaryChange(uid=uid or uuid.uuid4())
    before = snapshot(change, relations=["structure", "service"])
    change.structure, change.service = structure, service
    values_set(change, record.values)
    if instance_check(change, record, report, exclude=["structure", "service"]):
        problem = change_problem(change)
        if problem:
            field, message = problem
            report.problem_add(record.where, message, record.column(field))
            return
        plan.changes_by_uid[change.uid] = change
        changed = before != snapshot(change, relations=["structure", "service"])
        plan.count(
            "changements", change, is_new=is_new, changed=changed, report=report, record=record
        )


PLANNERS = {
    "thematiques": theme_plan,
    "structures": structure_plan,
    "services": service_plan,
    "contacts": contact_plan,
    "changements": change_plan,
}


def plan_make(*, records: list[Record], report: ImportReport, progress) -> Plan:
    """Match and check every record, table after table (a service needs its structure)."""
    plan, done = Plan(), 0
    for table, planner in PLANNERS.items():
        for record in (record for record in records if record.table == table):
            if not plan.repeated(record, report):
                planner(plan, record, report)
            done += 1
            if done % 500 == 0:
                progress(Step.CHECK, done, len(records))
    progress(Step.CHECK, len(records), len(records))
    return plan


def records_import(
    *,
    records: list[Record],
    apply: bool,
    report: ImportReport,
    user=None,
    reason: str = "Import",
    progress: Callable[[str, int, int], None] = lambda step, done, total: None,
) -> ImportReport:
    """Plan every record; write them all in one transaction if `apply` and nothing is wrong.

    `user` and `reason` go into the history of every fiche the import creates or changes;
    `progress(step, done, total)` is told how far the checking and the saving are.
    """
    if not records and not report.problems:
        report.problem_add("Import", "aucune ligne à importer : les fichiers sont vides.")
    if not report.unreadable and records:
        plan = plan_make(records=records, report=report, progress=progress)
    report.problems_sort()
    if apply and report.ok and records:
        progress(Step.SAVE, 0, len(records))
        try:
            with transaction.atomic():
                plan_save(plan)
                history_save(plan, user=user, reason=reason)
        except DatabaseError as error:
            report.problem_add(
                "Base de données",
                "l'enregistrement a échoué, rien n'a été enregistré ; réessayez, et si l'erreur "
                f"revient, transmettez ce message à l'administrateur du serveur ({error}).",
            )
        else:
            report.applied = True
    return report
