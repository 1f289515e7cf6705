"""Export the whole directory as CSV files, one Excel workbook or one JSON document.

Each function returns the files as {file name: bytes}; the management command writes
them to a folder, the admin sends them as a zip archive.
"""

import csv
import io
import json
import zipfile

from django.utils import timezone

from ..models import Contact, Service, Structure, TemporaryChange, Theme
from .columns import TABLES, spreadsheet_escape
from .workbooks import sheet_write, workbook_bytes, workbook_new

CSV_DELIMITERS = {",": "virgule", ";": "point-virgule"}


def directory_rows() -> dict[str, list[dict]]:
    """Every theme, structure, service, contact and temporary change as {column name:
    value}, per table."""
    themes = [
        {
            "identifiant": theme.slug,
            "nom": theme.name,
            "pour_la_personne": theme.person_label,
            "ordre": theme.order,
            "description": theme.description,
            "codes_data_inclusion": list(theme.datainclusion_codes),
        }
        for theme in Theme.objects.all()
    ]
    structures = [
        {column.name: getattr(structure, column.field) for column in TABLES["structures"]}
        | {"identifiant": structure.slug}
        for structure in Structure.objects.order_by("slug")
    ]
    services = []
    for service in (
        Service.objects.select_related("structure")
        .prefetch_related("themes")
        .order_by("structure__slug", "slug")
    ):
        row = {column.name: getattr(service, column.field, None) for column in TABLES["services"]}
        row["structure"] = service.structure.slug
        row["thematiques"] = [theme.slug for theme in service.themes.all()]
        services.append(row)
    contacts = []
    for contact in Contact.objects.select_related("structure", "service").order_by(
        "structure__slug", "order", "name", "pk"
    ):
        row = {column.name: getattr(contact, column.field) for column in TABLES["contacts"]}
        row["structure"] = contact.structure.slug
        row["service"] = contact.service.slug if contact.service else ""
        contacts.append(row)
    changes = []
    for change in TemporaryChange.objects.select_related("structure", "service").order_by(
        "structure__slug", "starts_on", "pk"
    ):
        row = {column.name: getattr(change, column.field) for column in TABLES["changements"]}
        row["structure"] = change.structure.slug
        row["service"] = change.service.slug if change.service else ""
        changes.append(row)
    return {
        "thematiques": themes,
        "structures": structures,
        "services": services,
        "contacts": contacts,
        "changements": changes,
    }


def csv_bytes(*, table: str, rows: list[dict], delimiter: str = ",") -> bytes:
    """One table as CSV, UTF-8 with a byte order mark so that Excel reads the accents.

    Every cell is quoted, and a cell that a spreadsheet would run as a formula starts with
    « ' » (columns.spreadsheet_escape; the import takes it away): both CSV files are opened
    in Excel by a double click, whatever they were meant for, and an unquoted cell split on
    the other delimiter could start a formula too.
    """
    columns = TABLES[table]
    return rows_csv_bytes(
        header=[column.name for column in columns],
        rows=[[column.to_cell(row[column.name]) for column in columns] for row in rows],
        delimiter=delimiter,
    )


def _csv_cell(cell) -> str:
    """Numbers as they are; texts escaped (a formula stays text)."""
    if cell is None:
        return ""
    return spreadsheet_escape(cell) if isinstance(cell, str) else str(cell).replace(".", ",")


def rows_csv_bytes(*, header: list[str], rows: list[list], delimiter: str = ",") -> bytes:
    """A header and rows of cells as CSV, the same way as csv_bytes (quoted, escaped)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([spreadsheet_escape(str(name)) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def directory_csv_files(*, delimiter: str = ",") -> dict[str, bytes]:
    if delimiter not in CSV_DELIMITERS:
        raise ValueError(f"Unsupported CSV delimiter: {delimiter!r}")
    return {
        f"{table}.csv": csv_bytes(table=table, rows=rows, delimiter=delimiter)
        for table, rows in directory_rows().items()
    }


def directory_json_files() -> dict[str, bytes]:
    """The directory as one JSON document with the same keys as the CSV columns."""
    document = {
        "format": "repertoire-competences-sociales",
        "version": 1,
        "exporte_le": timezone.localtime().isoformat(timespec="seconds"),
    }
    for table, rows in directory_rows().items():
        columns = TABLES[table]
        document[table] = [
            {column.name: column.to_json(row[column.name]) for column in columns} for row in rows
        ]
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return {"repertoire.json": text.encode("utf-8")}


def directory_xlsx_files() -> tuple[dict[str, bytes], list[str]]:
    """One workbook with a sheet per table, the columns of the CSV files; and the cells
    that had to be shortened to fit Excel's limit."""
    workbook = workbook_new()
    shortened = []
    for table, rows in directory_rows().items():
        columns = TABLES[table]
        shortened += sheet_write(
            workbook,
            title=table,
            header=[column.name for column in columns],
            rows=[[column.to_excel(row[column.name]) for column in columns] for row in rows],
        )
    return {"repertoire.xlsx": workbook_bytes(workbook)}, shortened


def files_zip(*, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
