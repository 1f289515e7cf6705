"""The data·inclusion v1 spreadsheet that partner networks fill in, read as its JSON would be.

Its « Structures » and « Services » sheets have a column per field of the schema (field
names on the header row); « Services - Thématiques » links a service (`service_id`) to a
thématique code (`thematique`), one line each. The reference sheets (lists of codes) are
left aside. The items then take the path of the data·inclusion JSON import, with the same
report; columns that the schema does not know are reported and ignored.
"""

import re
from datetime import date, datetime
from types import NoneType, UnionType
from typing import Union, get_args, get_origin

from data_inclusion.schema import v1

from .datainclusion import datainclusion_items_read
from .records import ImportReport, Record
from .workbooks import Sheet, WorkbookError, cell_problem, cell_text, workbook_sheets

SHEETS = {"structures": "structures", "structure": "structures", "services": "services"}
SHEETS |= {"service": "services", "services_thematiques": "links"}
MODELS = {"structures": v1.Structure, "services": v1.Service}
LINK_SERVICE = {"service_id", "id_service", "service"}
LINK_CODE = {"thematique", "thematiques", "code"}
LIST_SEPARATORS = re.compile(r"[,;\n]")
TEXT_KINDS = {"code_postal": "postcode", "code_insee": "postcode", "telephone": "phone"}


def field_kind(annotation) -> str:
    """list, date, number or text: how a cell of that schema field is read."""
    if get_origin(annotation) in {Union, UnionType}:
        annotation = next(arg for arg in get_args(annotation) if arg is not NoneType)
    if get_origin(annotation) in {list, set}:
        return "list"
    if annotation is date:
        return "date"
    return "number" if annotation in {int, float} else "text"


FIELD_KINDS = {
    table: {name: field_kind(field.annotation) for name, field in model.model_fields.items()}
    for table, model in MODELS.items()
}


def item_value(value, *, kind: str, name: str):
    """A cell as the JSON value of its field; None for an empty cell."""
    if kind == "date" and isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = cell_text(value, kind=TEXT_KINDS.get(name, "text")).strip()
    if kind == "list":
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()] or None
    return text or None


def datainclusion_xlsx_records_read(
    *, files: dict[str, bytes], report: ImportReport
) -> list[Record]:
    tables = {"structures": [], "services": []}
    known = {name for kinds in FIELD_KINDS.values() for name in kinds} | LINK_SERVICE | LINK_CODE
    for name, data in files.items():
        links, found = {}, set()
        try:
            for sheet in workbook_sheets(data, known=known):
                table = SHEETS.get(sheet.key)
                if table == "links":
                    links = links_read(name=name, sheet=sheet, report=report)
                elif table:
                    tables[table] += items_read(name=name, sheet=sheet, table=table, report=report)
                found.add(table)
        except WorkbookError as error:
            report.file_refuse(name, str(error))
            continue
        if not found & {"structures", "services"}:
            report.file_refuse(
                name,
                "ni feuille « Structures » ni feuille « Services » : ce n'est pas le "
                "tableur data·inclusion.",
            )
        codes_add(tables["services"], links=links, report=report)
    return datainclusion_items_read(tables=tables, report=report)


def items_read(*, name: str, sheet: Sheet, table: str, report: ImportReport) -> list:
    kinds = FIELD_KINDS[table]
    where = f"{name}, feuille « {sheet.title} »"
    unknown = [column for column in sheet.header if column and column not in kinds]
    if unknown:
        listed = ", ".join(f"« {column} »" for column in unknown)
        report.notes.append(
            f"{where} : colonnes inconnues du schéma data·inclusion v1, ignorées : {listed}."
        )
    columns = [(index, column) for index, column in enumerate(sheet.header) if column in kinds]
    items = []
    for number, values in sheet.rows:
        item = {}
        for index, column in columns:
            if problem := cell_problem(values[index]):
                report.problem_add(f"{where}, ligne {number}", problem, column)
            value = item_value(values[index], kind=kinds[column], name=column)
            if value is not None:
                item[column] = value
        items.append((f"{where}, ligne {number} (id « {item.get('id', '?')} »)", item))
    return items


def links_read(*, name: str, sheet: Sheet, report: ImportReport) -> dict[str, list]:
    """{service id: [(where, code)…]} from « Services - Thématiques »."""
    where = f"{name}, feuille « {sheet.title} »"
    service = next((i for i, column in enumerate(sheet.header) if column in LINK_SERVICE), None)
    code = next((i for i, column in enumerate(sheet.header) if column in LINK_CODE), None)
    if service is None or code is None:
        report.file_refuse(
            f"{where}, ligne {sheet.header_row or 1}",
            "colonnes « service_id » et « thematique » attendues.",
        )
        return {}
    links = {}
    for number, values in sheet.rows:
        identifier = cell_text(values[service]).strip()
        for thematique in item_value(values[code], kind="list", name="thematique") or []:
            links.setdefault(identifier, []).append((f"{where}, ligne {number}", thematique))
    return links


def codes_add(services: list, *, links: dict[str, list], report: ImportReport):
    """Each service gets the codes its lines of « Services - Thématiques » give."""
    by_id = {item.get("id"): item for _where, item in services}
    for identifier, codes in links.items():
        item = by_id.get(identifier)
        if item is None:
            for where, _code in codes:
                report.problem_add(
                    where,
                    f"service inconnu « {identifier} » : il n'est pas dans la feuille "
                    "« Services » de ce classeur.",
                    "service_id",
                )
            continue
        listed = item.setdefault("thematiques", [])
        listed += [code for _where, code in codes if code not in listed]
