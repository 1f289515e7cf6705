"""Read the directory's CSV files (see columns.py), or its JSON export, into import records.

Encoding: the coordinator chooses it (Encoding). By default only UTF-8, with or without
the byte order mark, is accepted: any other file is refused, with the line of its first
undecodable byte and how to save it as "CSV UTF-8" from Excel. Chosen explicitly,
Windows-1252 (what Excel for Windows saves as "CSV"; it covers Latin-1 for every French
letter) is read as such, unless the file starts with the UTF-8 byte order mark.
UTF-16 and binary files are refused in both cases.
"""

import csv
import io
import json
from pathlib import PurePath

from django.db import models

from .columns import TABLES, CellError, header_normalize, spreadsheet_unescape
from .records import MODELS, ImportReport, Record
from .workbooks import Sheet, WorkbookError, cell_problem, cell_text, workbook_sheets

REFERENCE_FIELDS = {"structure": "structure", "service": "service", "themes": "themes"}
DELIMITERS = [";", ",", "\t"]
UTF8_BOM = b"\xef\xbb\xbf"
SAVE_AS_UTF8 = "Dans Excel : Fichier › Enregistrer sous › « CSV UTF-8 (délimité par des virgules) »"
NOT_UTF8 = (
    "le fichier n'est pas encodé en UTF-8 (c'est souvent le cas d'un fichier enregistré par "
    f"Excel sous Windows, en Windows-1252). {SAVE_AS_UTF8}, puis importez-le à nouveau ; ou "
    "choisissez l'encodage « Windows-1252 (Excel sous Windows) » pour l'importer tel quel."
)
NOT_UTF8_DESPITE_BOM = (
    "le fichier commence par la marque d'un fichier UTF-8 (BOM) mais n'est pas encodé en "
    f"UTF-8. {SAVE_AS_UTF8}, puis importez-le à nouveau."
)
NOT_WINDOWS_1252 = (
    "le fichier n'est pas encodé en Windows-1252 : un octet ne correspond à aucun caractère. "
    f"{SAVE_AS_UTF8}, puis importez-le à nouveau avec l'encodage UTF-8."
)


class Encoding(models.TextChoices):
    UTF8 = "utf-8", "UTF-8 (recommandé)"
    WINDOWS_1252 = "windows-1252", "Windows-1252 (Excel sous Windows)"


def text_decode(*, data: bytes, where: str, encoding: str, report: ImportReport) -> str | None:
    if not data.removeprefix(UTF8_BOM).strip():
        report.file_refuse(where, "le fichier est vide.")
        return None
    if b"\x00" in data:
        report.file_refuse(
            where,
            "encodage illisible : le fichier contient des octets nuls (fichier UTF-16 "
            "« texte Unicode » ou fichier qui n'est pas un CSV). Dans Excel, enregistrez-le "
            "au format « CSV UTF-8 (délimité par des virgules) ».",
        )
        return None
    has_bom = data.startswith(UTF8_BOM)
    codec = "utf-8-sig" if has_bom or encoding == Encoding.UTF8 else "cp1252"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            NOT_WINDOWS_1252 if codec == "cp1252" else NOT_UTF8_DESPITE_BOM if has_bom else NOT_UTF8
        )
        report.file_refuse(f"{where}, ligne {line}", message)
        return None
    if codec == "cp1252" and not data.isascii() and utf8_valid(data):
        report.notes.append(
            f"{where} semble encodé en UTF-8 alors que l'encodage choisi est Windows-1252 : "
            "vérifiez les accents dans la simulation (« Ã© » au lieu de « é »), ou choisissez "
            "UTF-8."
        )
    return text


def utf8_valid(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def delimiter_guess(first_line: str) -> str:
    return max(DELIMITERS, key=first_line.count) if any(map(first_line.count, DELIMITERS)) else ","


def table_of(file_name: str) -> str | None:
    stem = PurePath(file_name).stem.lower()
    return stem if stem in TABLES else None


def csv_records_read(
    *, files: dict[str, bytes], report: ImportReport, encoding: str = Encoding.UTF8
) -> list[Record]:
    """Records of every file, keyed by file name (thematiques.csv, structures.csv…)."""
    records = []
    for name, data in files.items():
        table = table_of(name)
        if table is None:
            expected = ", ".join(f"{table}.csv" for table in TABLES)
            report.file_refuse(name, f"fichier non reconnu : son nom doit être l'un de {expected}.")
            continue
        text = text_decode(data=data, where=name, encoding=encoding, report=report)
        if text is not None:
            records += table_read(table=table, name=name, text=text, report=report)
    return records


def table_read(*, table: str, name: str, text: str, report: ImportReport) -> list[Record]:
    columns = TABLES[table]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter_guess(text.split("\n")[0])
    )
    try:
        header = [header_normalize(cell) for cell in next(reader)]
        if not header_check(
            header=header, columns=columns, where=f"{name}, ligne 1", report=report
        ):
            return []
        by_name = {column.name: column for column in columns}
        records = []
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                where = f"{name}, ligne {start}"
                if len(cells) > len(header):
                    report.problem_add(
                        where,
                        f"{len(cells)} valeurs pour {len(header)} colonnes : un séparateur de "
                        "trop ? Mettez entre guillemets les textes qui en contiennent.",
                    )
                    continue
                padded = [spreadsheet_unescape(cell) for cell in cells]
                padded += [""] * (len(header) - len(cells))
                cells_by_name = dict(zip(header, padded, strict=True))
                records.append(record_build(table, where, cells_by_name, by_name, report))
    except csv.Error as error:
        report.file_refuse(f"{name}, ligne {reader.line_num}", csv_error_explain(error))
        return []
    return records


def csv_error_explain(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"une cellule dépasse {csv.field_size_limit():_} caractères, bien plus qu'une fiche "
            "n'en compte : le plus souvent, un guillemet ouvert n'a pas été fermé, et tout ce "
            "qui le suit est lu comme une seule cellule. Vérifiez les guillemets à partir de "
            "cette ligne."
        ).replace("_", "\u202f")
    return f"fichier CSV illisible (détail : {error})."


def header_check(*, header: list[str], columns, where: str, report: ImportReport) -> bool:
    """True if the header names each column once (a column added after the first version
    may be missing); otherwise the file is refused."""
    expected = [column.name for column in columns]
    missing = [
        column.name for column in columns if column.name not in header and not column.optional
    ]
    unknown = [column or "(sans nom)" for column in header if column not in expected]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    listing = ", ".join(expected)
    for problem, found in [
        ("colonnes manquantes", missing),
        ("colonnes inconnues (retirez-les ou corrigez leur nom)", unknown),
        ("colonnes en double", duplicated),
    ]:
        if found:
            names = ", ".join(f"« {column} »" for column in found)
            report.file_refuse(where, f"{problem} : {names}. Colonnes attendues : {listing}.")
    return not (missing or unknown or duplicated)


def record_build(table, where, cells, columns, report) -> Record:
    """The record of one line; a cell that cannot be read is reported and left out, so that
    the other cells, and the lines that refer to this one, are still checked."""
    model = MODELS[table]
    record = Record(table=table, where=where, values={})
    for column_name, cell in cells.items():
        column = columns[column_name]
        record.columns[column.field] = column_name
        try:
            value = column.from_cell(cell)
        except CellError as error:
            report.problem_add(where, str(error), column_name)
            record.invalid.add(column.field)
            continue
        if column.field in REFERENCE_FIELDS:
            record.refs[REFERENCE_FIELDS[column.field]] = value
        elif value is None and column.kind == "bool":
            record.values[column.field] = model._meta.get_field(column.field).default
        elif (value is not None or column.kind == "datetime") and not (
            column.field == "slug" and not value
        ):
            record.values[column.field] = value
    return record


def xlsx_records_read(*, files: dict[str, bytes], report: ImportReport) -> list[Record]:
    """Records of workbooks with a sheet per table (thematiques, structures, services,
    contacts: any of them), the columns of the CSV files; other sheets are left aside."""
    records = []
    known = {column.name for columns in TABLES.values() for column in columns}
    for name, data in files.items():
        tables = []
        try:
            for sheet in workbook_sheets(data, known=known):
                if sheet.key not in TABLES:
                    report.notes.append(f"{name} : feuille « {sheet.title} » ignorée.")
                    continue
                tables.append(sheet.key)
                records += sheet_records_read(name=name, sheet=sheet, report=report)
        except WorkbookError as error:
            report.file_refuse(name, str(error))
            continue
        if not tables:
            expected = ", ".join(TABLES)
            report.file_refuse(
                name, f"aucune feuille du répertoire : leur nom doit être {expected}."
            )
    return records


def sheet_records_read(*, name: str, sheet: Sheet, report: ImportReport) -> list[Record]:
    table, columns = sheet.key, TABLES[sheet.key]
    where = f"{name}, feuille « {sheet.title} »"
    if sheet.hidden:
        report.notes.append(f"{where} est masquée dans Excel : elle est importée comme les autres.")
    titled = [index for index, column in enumerate(sheet.header) if column]
    header = [sheet.header[index] for index in titled]
    if not header_check(
        header=header,
        columns=columns,
        where=f"{where}, ligne {sheet.header_row or 1}",
        report=report,
    ):
        return []
    by_name = {column.name: column for column in columns}
    records, untitled = [], False
    for number, values in sheet.rows:
        line = f"{where}, ligne {number}"
        untitled = untitled or any(
            values[i] is not None for i in range(len(values)) if i not in titled
        )
        cells = {}
        for index, column_name in zip(titled, header, strict=True):
            if problem := cell_problem(values[index]):
                report.problem_add(line, problem, column_name)
            cells[column_name] = cell_text(values[index], kind=by_name[column_name].kind)
        records.append(record_build(table, line, cells, by_name, report))
    if untitled:
        report.notes.append(f"{where} : les colonnes sans titre sont ignorées.")
    return records


JSON_FORMAT = "repertoire-competences-sociales"
JSON_DEPTH_MAX = 8  # our files need 4: document, table, record, list of themes
JSON_SCALARS = str | int | float | bool | None
JSON_TOO_DEEP = (
    f"listes ou objets imbriqués sur plus de {JSON_DEPTH_MAX} niveaux : ce n'est pas un "
    "fichier du répertoire ni de data·inclusion."
)


def json_too_deep(document) -> bool:
    """True if lists or objects nest deeper than any file of ours (walked level by level,
    so that no recursion limit is ever reached)."""
    level = [document]
    for _ in range(JSON_DEPTH_MAX):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
    return any(isinstance(node, dict | list) for node in level)


def json_load(*, name: str, data: bytes, report: ImportReport):
    """The JSON document of a file, or None and a French explanation of why not."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.file_refuse(name, "encodage illisible : un fichier JSON est en UTF-8.")
        return None
    except json.JSONDecodeError as error:
        report.file_refuse(
            name, f"JSON illisible ligne {error.lineno}, colonne {error.colno} ({error.msg})."
        )
        return None
    except RecursionError:  # nested deeper than Python's own limit
        report.file_refuse(name, JSON_TOO_DEEP)
        return None
    if json_too_deep(document):
        report.file_refuse(name, JSON_TOO_DEEP)
        return None
    return document


def json_cell(value) -> str:
    """A JSON value written as the CSV cell that means the same."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def json_item_problem(item, columns) -> str | None:
    keys = {column.name for column in columns}
    required = {column.name for column in columns if not column.optional}
    found = set(item) if isinstance(item, dict) else set()
    if not isinstance(item, dict) or not required <= found <= keys:
        missing = ", ".join(sorted(required - found)) or "aucune"
        unknown = ", ".join(sorted(found - keys)) or "aucune"
        return f"clés manquantes : {missing} ; clés inconnues : {unknown}."
    for key, value in item.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(each, JSON_SCALARS) for each in values):
            return f"« {key} » : un texte, un nombre ou une liste de textes est attendu."
    return None


def json_records_read(*, files: dict[str, bytes], report: ImportReport) -> list[Record]:
    """Records of the directory's own JSON export (repertoire.json)."""
    records = []
    for name, data in files.items():
        document = json_load(name=name, data=data, report=report)
        if document is None:
            continue
        if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
            report.file_refuse(
                name, "ce n'est pas un export JSON du répertoire (clé « format » absente)."
            )
            continue
        for table, columns in TABLES.items():
            by_name = {column.name: column for column in columns}
            items = document.get(table, [])
            if not isinstance(items, list):
                report.file_refuse(name, f"« {table} » doit être une liste d'enregistrements.")
                continue
            for number, item in enumerate(items, start=1):
                where = f"{name}, {table}, enregistrement n° {number}"
                if problem := json_item_problem(item, columns):
                    report.problem_add(where, problem)
                    continue
                cells = {key: json_cell(value) for key, value in item.items()}
                records.append(record_build(table, where, cells, by_name, report))
    return records
