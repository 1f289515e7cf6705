"""data·inclusion schema v1: export structures.json and services.json, import them back.

Every record is validated with the official `data-inclusion-schema` models. A field is
filled only from a field of the directory that means the same thing; the others are
left out. The weekly hours are `horaires_accueil`, in the OpenStreetMap syntax that the
schema asks for (a fiche's only when they differ from its structure's). Left out on
purpose: the free-text notes on the hours and the place, the temporary changes (the
schema has no field for them), the contact persons (shared between partners, not
published). Publics, fees and modes d'accueil are the fiche's own (the search filters);
« sans rendez-vous » is the mode de mobilisation « se présenter ».
"""

import json
import uuid
from datetime import date

import pydantic
from data_inclusion.schema import v1
from django.utils import timezone
from django.utils.text import slugify

from ..models import Service, Structure, Territory, Theme
from ..text import normalize_phone, phone_e164
from .columns import date_as_datetime
from .readers import json_load
from .records import ImportReport, Record

THEMATIQUES = {thematique.value for thematique in v1.Thematique}
WALK_IN = v1.ModeMobilisation.SE_PRESENTER.value
ID_NAMESPACE = uuid.UUID("6f1c7a52-2a7e-4f55-9a37-1b0c5a0c3e11")


def datainclusion_source() -> str:
    return "repertoire-" + (slugify(Territory.load().name) or "territoire")


def fiche_date(fiche) -> date:
    """The last time the fiche was modified or confirmed, never after today."""
    latest = max(filter(None, [fiche.updated_at, fiche.last_reviewed_at]))
    return min(timezone.localdate(latest), timezone.localdate())


def text_or_none(text: str, *, min_length: int = 1) -> str | None:
    return text if len(text.strip()) >= min_length else None


def structure_record(structure, *, source) -> dict:
    record = {
        "source": source,
        "id": f"{source}--{structure.uid}",
        "nom": structure.name,
        "date_maj": fiche_date(structure).isoformat(),
        "description": text_or_none(structure.role, min_length=5),
        "adresse": structure.address,
        "code_postal": structure.postcode,
        "commune": structure.city,
        "telephone": phone_e164(structure.phone),
        "courriel": structure.email,
        "site_web": structure.website,
        "horaires_accueil": structure.weekly_hours,
    }
    return {key: value for key, value in record.items() if value}


def service_conditions(service) -> str:
    documents = f"Documents à apporter :\n{service.documents}" if service.documents else ""
    return "\n\n".join(filter(None, [service.access_conditions, documents]))


def service_record(service, *, source, codes) -> dict:
    record = {
        "source": source,
        "id": f"{source}--{service.uid}",
        "structure_id": f"{source}--{service.structure.uid}",
        "nom": service.title,
        "description": text_or_none(service.objectives, min_length=5) or service.summary,
        "date_maj": fiche_date(service).isoformat(),
        "thematiques": sorted(codes),
        "publics": service.publics,
        "publics_precisions": service.audience,
        "frais": service.fee,
        "conditions_acces": service_conditions(service),
        "modes_accueil": service.reception_modes,
        "modes_mobilisation": [WALK_IN] if service.walk_in else [],
        "mobilisation_precisions": service.procedure,
        "horaires_accueil": service.weekly_hours,
    }
    return {key: value for key, value in record.items() if value}


def service_codes(service) -> set[str]:
    return {
        code
        for theme in service.themes.all()
        for code in theme.datainclusion_codes
        if code in THEMATIQUES
    }


def error_explain(error: dict) -> str:
    """A French sentence for one pydantic error."""
    kind, context, field = error["type"], error.get("ctx", {}), str(error["loc"][0])
    if kind == "missing":
        return "champ obligatoire manquant."
    if kind.startswith("string_") and field == "code_postal":
        return f"« {error['input']} » n'est pas un code postal : il faut 5 chiffres."
    if kind == "string_too_short":
        return f"trop court : au moins {context['min_length']} caractères."
    if kind == "string_too_long":
        return f"trop long : au plus {context['max_length']} caractères."
    if kind == "enum":
        return f"« {error['input']} » n'existe pas dans le référentiel data·inclusion v1."
    if kind.startswith("url"):
        return f"« {error['input']} » n'est pas une adresse web valide."
    if kind.startswith(("date", "datetime")):
        return f"« {error['input']} » n'est pas une date (format attendu : AAAA-MM-JJ)."
    if kind == "value_error" and field == "courriel":
        return f"« {error['input']} » n'est pas une adresse courriel valide."
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    return f"valeur refusée ({error['msg']})."


def record_problems(model, record) -> list[tuple[str, str]]:
    """(field, French message) for each way the record breaks the schema; [] if valid."""
    try:
        model.model_validate(record)
    except pydantic.ValidationError as errors:
        return [(str(error["loc"][0]), error_explain(error)) for error in errors.errors()]
    return []


def datainclusion_files() -> tuple[dict[str, bytes], list[str]]:
    """structures.json and services.json, and what had to be left out and why."""
    source = datainclusion_source()
    problems = [
        f"thématique « {theme.name} » : code « {code} » inconnu du référentiel v1, ignoré."
        for theme in Theme.objects.all()
        for code in theme.datainclusion_codes
        if code not in THEMATIQUES
    ]
    tables = {"structures.json": [], "services.json": []}
    candidates = [
        ("structures.json", v1.Structure, structure, structure_record(structure, source=source))
        for structure in Structure.objects.order_by("slug")
    ]
    services = Service.objects.active().select_related("structure").prefetch_related("themes")
    candidates += [
        (
            "services.json",
            v1.Service,
            service,
            service_record(service, source=source, codes=service_codes(service)),
        )
        for service in services.order_by("structure__slug", "slug")
    ]
    for file_name, model, instance, record in candidates:
        if errors := record_problems(model, record):
            explained = " ; ".join(f"{field} : {message}" for field, message in errors)
            problems.append(f"« {instance} » : {explained}")
        else:
            tables[file_name].append(record)
    files = {
        name: (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for name, records in tables.items()
    }
    return files, problems


def uid_from_id(identifier: str) -> uuid.UUID:
    """Our own ids end with the record's uid; other producers' ids get a stable uuid5."""
    try:
        return uuid.UUID(identifier.rpartition("--")[2])
    except ValueError:
        return uuid.uuid5(ID_NAMESPACE, identifier)


def json_list_read(*, name: str, data: bytes, report: ImportReport) -> list | None:
    items = json_load(name=name, data=data, report=report)
    if items is None:
        return None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        report.file_refuse(name, "le fichier doit contenir une liste d'enregistrements ([{…}, …]).")
        return None
    return items


def datainclusion_records_read(*, files: dict[str, bytes], report: ImportReport) -> list[Record]:
    """Records from structures.json and services.json (either may be missing)."""
    tables = {"structures": [], "services": []}
    for name in files:
        table = name.removesuffix(".json")
        if table not in tables:
            report.file_refuse(
                name, "fichier non reconnu : attendu structures.json ou services.json."
            )
            continue
        items = json_list_read(name=name, data=files[name], report=report) or []
        tables[table] += [
            (f"{name}, enregistrement n° {number} (id « {item.get('id', '?')} »)", item)
            for number, item in enumerate(items, start=1)
        ]
    return datainclusion_items_read(tables=tables, report=report)


def datainclusion_items_read(*, tables: dict[str, list], report: ImportReport) -> list[Record]:
    """Records from data·inclusion items, {"structures": [(where, item)…], "services": …},
    whether they come from JSON files or from the data·inclusion spreadsheet."""
    records = []
    source = datainclusion_source()
    known = {"structures": (v1.Structure, structure_read), "services": (v1.Service, service_read)}
    themes_by_code = {}
    for theme in Theme.objects.all():
        for code in theme.datainclusion_codes:
            themes_by_code.setdefault(code, []).append(theme.slug)
    existing = {item.uid: item for item in Structure.objects.all()}
    services = Service.objects.select_related("structure").prefetch_related("themes")
    existing |= {item.uid: item for item in services}
    for table, (model, read) in known.items():  # structures before services
        for where, item in tables.get(table, []):
            errors = record_problems(model, item)
            for field, message in errors:
                report.problem_add(where, message, field)
            if not errors:
                uid = uid_from_id(item["id"])
                context = {"source": source, "existing": existing.get(uid), "codes": themes_by_code}
                records.append(read(item, uid=uid, where=where, report=report, **context))
    return [record for record in records if record is not None]


def changed_items(item, *, current: dict | None) -> dict:
    """The item's fields that differ from what the matched record exports today."""
    if current is None:
        return item
    return {key: value for key, value in item.items() if current.get(key) != value}


def mapped_values(changes: dict, *, uid, mapping: dict) -> dict:
    """The record's uid and its changed fields that map one to one (mapping: key → field)."""
    return {"uid": uid} | {
        field: changes[key] for key, field in mapping.items() if changes.get(key)
    }


def review_values(item, *, changes: dict) -> dict:
    """The date of the last review, from date_maj when it changed."""
    if "date_maj" not in changes:
        return {}
    return {"last_reviewed_at": date_as_datetime(date.fromisoformat(item["date_maj"]))}


def structure_read(item, *, uid, where, report, source, existing, codes) -> Record:
    current = structure_record(existing, source=source) if existing else None
    changes = changed_items(item, current=current)
    mapping = {
        "nom": "name",
        "description": "role",
        "code_postal": "postcode",
        "commune": "city",
        "courriel": "email",
        "site_web": "website",
        "horaires_accueil": "weekly_hours",
    }
    values = mapped_values(changes, uid=uid, mapping=mapping)
    if changes.get("adresse") or changes.get("complement_adresse"):
        parts = [item.get("adresse"), item.get("complement_adresse")]
        values["address"] = ", ".join(filter(None, parts))
    if changes.get("telephone"):
        values["phone"] = normalize_phone(changes["telephone"])
    values |= review_values(item, changes=changes)
    columns = {field: key for key, field in mapping.items()} | {"phone": "telephone"}
    return Record("structures", where, values, columns=columns | {"address": "adresse"})


def filter_values(changes: dict) -> dict:
    """The search filters' fields from publics, frais, modes_accueil and modes_mobilisation."""
    values = {}
    for key, field in [("publics", "publics"), ("modes_accueil", "reception_modes")]:
        if key in changes:
            values[field] = Service._meta.get_field(field).to_python(changes[key] or [])
    if "frais" in changes:
        values["fee"] = changes["frais"] or ""
    if "modes_mobilisation" in changes:
        values["walk_in"] = WALK_IN in (changes["modes_mobilisation"] or [])
    return values


def service_read(item, *, uid, where, report, source, existing, codes) -> Record | None:
    current = None
    if existing is not None:
        current = service_record(existing, source=source, codes=service_codes(existing))
    changes = changed_items(item, current=current)
    mapping = {
        "nom": "title",
        "description": "objectives",
        "publics_precisions": "audience",
        "conditions_acces": "access_conditions",
        "mobilisation_precisions": "procedure",
        "horaires_accueil": "weekly_hours",
    }
    values = mapped_values(changes, uid=uid, mapping=mapping)
    values |= filter_values(changes)
    values |= review_values(item, changes=changes)
    if existing is not None and "thematiques" not in changes:
        themes = [theme.slug for theme in existing.themes.all()]
    else:
        themes = sorted(
            {slug for code in item.get("thematiques") or [] for slug in codes.get(code, [])}
        )
        if not themes:
            listed = ", ".join(item.get("thematiques") or []) or "aucun"
            report.problem_add(
                where,
                f"aucune thématique du répertoire ne correspond à ces codes ({listed}) : "
                "ajoutez le code à une thématique dans l'administration, puis recommencez.",
                "thematiques",
            )
            return None
    refs = {
        "structure_uid": uid_from_id(item["structure_id"]),
        "structure_id": item["structure_id"],
        "themes": themes,
    }
    columns = {field: key for key, field in mapping.items()} | {"structure": "structure_id"}
    return Record("services", where, values, refs=refs, columns=columns | {"themes": "thematiques"})
