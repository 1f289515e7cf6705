"""The directory's file format: the columns of each CSV file and how a cell becomes a value.

The same columns are used by the CSV export, the JSON export and the CSV import, so that
an exported file can always be imported back. The README documents them for coordinators.
"""

import re
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from ..enums import ChangeKind
from ..models import Fee, Public, ReceptionMode, StepFreeAccess, StructureKind
from ..text import normalize_for_search

# A cell starting with one of these is run as a formula by Excel and LibreOffice
# (« CSV injection »: =HYPERLINK(…) leaking the next cell, +cmd|… launching a program).
# Texts are stored with "\n" line endings (a "\r" becomes "\n"): a leading line break
# is marked too, for a spreadsheet that would trim it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
TEXT_MARK = "'"  # what a spreadsheet puts before a cell that it must show as text


def spreadsheet_escape(text: str) -> str:
    """The cell that a spreadsheet shows as text: "=SOMME(A1)" -> "'=SOMME(A1)".

    Also marks a text that starts with the mark itself, so that spreadsheet_unescape
    gives back exactly what was written: "- Bail" -> "'- Bail" -> "- Bail".
    """
    if text.startswith(FORMULA_STARTS) or spreadsheet_unescape(text) != text:
        return TEXT_MARK + text
    return text


def spreadsheet_unescape(cell: str) -> str:
    """The text of a cell written by spreadsheet_escape."""
    if cell.startswith(TEXT_MARK) and cell[1:].startswith((*FORMULA_STARTS, TEXT_MARK)):
        return cell[1:]
    return cell


def header_normalize(name: str) -> str:
    """A column or sheet name as typed by someone: "Code postal" -> "code_postal"."""
    return "_".join(normalize_for_search(name).replace("-", " ").split())


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the coordinator as is."""


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    # text, postcode, phone, url, int, bool, datetime, date, list, uuid, ref; or a choice:
    # kind, access, fee, change; or several choices: publics, modes
    kind: str = "text"
    # A column added after the first version: files without it still import, and the
    # fiches keep their value (exports always write it).
    optional: bool = False

    def to_cell(self, value) -> str:
        """The value as written in a CSV cell."""
        if value is None:
            return ""
        if self.kind == "bool":
            return "oui" if value else "non"
        if isinstance(value, list):
            return ", ".join(value)
        if self.kind == "datetime":
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        if self.kind == "date":
            return value.isoformat()
        return str(value)

    def to_excel(self, value):
        """The value as written in an Excel cell: numbers and dates as such, else text."""
        if self.kind == "int":
            return value
        if self.kind == "datetime":
            return timezone.localtime(value) if value else None
        return self.to_cell(value) or None

    def to_json(self, value):
        if self.kind == "date":
            return value.isoformat() if value else None
        if self.kind == "datetime":
            return timezone.localtime(value).isoformat() if value else None
        if self.kind == "uuid":
            return str(value)
        return value

    def from_cell(self, cell: str):
        """The value that a cell holds, or CellError with a French explanation."""
        cell = cell.replace("\r\n", "\n").strip()
        return READERS.get(self.kind, _read_text)(cell)


def _read_text(cell):
    return cell


def _read_url(cell):
    """A website typed without its scheme, as coordinators often do: example.org."""
    return f"https://{cell}" if cell and "://" not in cell else cell


def _read_int(cell):
    if not cell:
        return 0
    if not re.fullmatch(r"\d+", cell):
        raise CellError(f"« {cell} » n'est pas un nombre entier positif.")
    return int(cell)


TRUE_WORDS = {"oui", "o", "vrai", "x", "1", "true", "yes"}
FALSE_WORDS = {"non", "n", "faux", "0", "false", "no"}


def _read_bool(cell):
    word = cell.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if not word:
        return None  # the importer applies the field's default
    raise CellError(f"« {cell} » : écrivez « oui » ou « non ».")


DATETIME_FORMATS = [
    day + hour for day in ("%Y-%m-%d", "%d/%m/%Y") for hour in ("", " %H:%M", " %H:%M:%S")
]


def _parse_datetime(cell: str) -> datetime | None:
    with suppress(ValueError):
        return datetime.fromisoformat(cell)
    for pattern in DATETIME_FORMATS:
        with suppress(ValueError):
            return datetime.strptime(cell, pattern)  # noqa: DTZ007 (made aware by the caller)
    return None


def _read_datetime(cell):
    if not cell:
        return None
    value = _parse_datetime(cell)
    if value is None:
        raise CellError(
            f"« {cell} » n'est pas une date : écrivez-la 2025-03-31 ou 31/03/2025 "
            "(l'heure est facultative : 31/03/2025 14:30)."
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise CellError(f"« {cell} » : la date de relecture ne peut pas être dans le futur.")
    return value


def _read_date(cell):
    """A day, 2026-08-15 or 15/08/2026 (in the future too: a coming closure)."""
    if not cell:
        return None
    value = _parse_datetime(cell)
    if value is None or value.time() != time.min:
        raise CellError(f"« {cell} » n'est pas une date : écrivez-la 2026-08-15 ou 15/08/2026.")
    return value.date()


def date_as_datetime(day: date) -> datetime:
    """Midnight, local time, of a day: how a date without time is stored."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _read_list(cell):
    return [item.strip() for item in cell.split(",") if item.strip()]


def _read_uuid(cell):
    if not cell:
        return None
    try:
        return uuid.UUID(cell)
    except ValueError:
        raise CellError(
            f"« {cell} » n'est pas un identifiant stable valide "
            "(laissez la case vide pour une nouvelle ligne)."
        ) from None


def _choice_reader(choices, what, *, default):
    by_word = {}
    for value, label in choices.choices:
        by_word[value.casefold()] = value
        by_word[label.casefold()] = value

    def read(cell):
        if not cell:
            return default
        try:
            return by_word[cell.casefold()]
        except KeyError:
            allowed = ", ".join(f"« {value} »" for value in choices.values if value)
            raise CellError(f"« {cell} » n'est pas {what} connu ({allowed}).") from None

    return read


def _choices_reader(choices, what):
    """Several values, separated by commas, each written as its value or its label."""
    read_one = _choice_reader(choices, what, default=None)

    def read(cell):
        values = [read_one(item) for item in _read_list(cell)]
        return [value for value in choices.values if value in values]

    return read


READERS = {
    "url": _read_url,
    "int": _read_int,
    "bool": _read_bool,
    "datetime": _read_datetime,
    "date": _read_date,
    "change": _choice_reader(ChangeKind, "un type de changement", default=ChangeKind.FERMETURE),
    "list": _read_list,
    "uuid": _read_uuid,
    "kind": _choice_reader(StructureKind, "un type de structure", default=StructureKind.AUTRE),
    "access": _choice_reader(
        StepFreeAccess, "une valeur d'accessibilité", default=StepFreeAccess.INCONNU
    ),
    "fee": _choice_reader(Fee, "une valeur de frais", default=Fee.INCONNU),
    "publics": _choices_reader(Public, "un public du référentiel data·inclusion"),
    "modes": _choices_reader(ReceptionMode, "un mode d'accueil"),
}

THEME_COLUMNS = [
    Column("identifiant", "slug"),
    Column("nom", "name"),
    Column("pour_la_personne", "person_label", optional=True),
    Column("ordre", "order", "int"),
    Column("description", "description"),
    Column("codes_data_inclusion", "datainclusion_codes", "list"),
]

STRUCTURE_COLUMNS = [
    Column("uid", "uid", "uuid"),
    Column("identifiant", "slug"),
    Column("nom", "name"),
    Column("sigle", "acronym"),
    Column("type", "kind", "kind"),
    Column("presentation", "role"),
    Column("adresse", "address"),
    Column("code_postal", "postcode", "postcode"),
    Column("commune", "city"),
    Column("telephone", "phone", "phone"),
    Column("autre_telephone", "phone_other", "phone"),
    Column("courriel", "email"),
    Column("site_internet", "website", "url"),
    Column("horaires_semaine", "weekly_hours", optional=True),
    Column("horaires", "opening_hours"),
    Column("lignes_bus", "bus_lines"),
    Column("arret", "bus_stop"),
    Column("acces_plain_pied", "step_free_access", "access"),
    Column("precisions_acces", "access_details"),
    Column("attentes_partenaires", "partner_expectations"),
    Column("limites_partenariat", "partnership_limits"),
    Column("annexe", "is_annex", "bool"),
    Column("relue_le", "last_reviewed_at", "datetime"),
]

SERVICE_COLUMNS = [
    Column("uid", "uid", "uuid"),
    Column("structure", "structure", "ref"),
    Column("identifiant", "slug"),
    Column("intitule", "title"),
    Column("thematiques", "themes", "list"),
    Column("resume", "summary"),
    Column("objectifs", "objectives"),
    Column("public", "audience"),
    Column("conditions_acces", "access_conditions"),
    Column("deroulement", "procedure"),
    Column("horaires_semaine", "weekly_hours", optional=True),
    Column("lieu_horaires", "place_and_hours"),
    Column("documents", "documents"),
    Column("publics", "publics", "publics", optional=True),
    Column("frais", "fee", "fee", optional=True),
    Column("modes_accueil", "reception_modes", "modes", optional=True),
    Column("sans_rendez_vous", "walk_in", "bool", optional=True),
    Column("active", "is_active", "bool"),
    Column("relue_le", "last_reviewed_at", "datetime"),
]

CONTACT_COLUMNS = [
    Column("uid", "uid", "uuid"),
    Column("structure", "structure", "ref"),
    Column("service", "service", "ref"),
    Column("nom", "name"),
    Column("fonction", "function"),
    Column("telephone", "phone", "phone"),
    Column("courriel", "email"),
    Column("ordre", "order", "int"),
]

CHANGE_COLUMNS = [
    Column("uid", "uid", "uuid"),
    Column("structure", "structure", "ref"),
    Column("service", "service", "ref"),
    Column("type", "kind", "change"),
    Column("debut", "starts_on", "date"),
    Column("fin", "ends_on", "date"),
    Column("motif", "reason"),
    Column("horaires_semaine", "weekly_hours"),
]

# File name (without extension) -> its columns, in the order the import reads them.
TABLES = {
    "thematiques": THEME_COLUMNS,
    "structures": STRUCTURE_COLUMNS,
    "services": SERVICE_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "changements": CHANGE_COLUMNS,
}
