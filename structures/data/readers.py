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
import re
from pathlib import PurePath

from django.db import models

from ..text import normalize_for_search
from .columns import TABLES, CellError
from .records import MODELS, ImportReport, Record

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")
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
        report.problem_add(where, "le fichier est vide.")
        return None
    if b"\x00" in data:
        report.problem_add(
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
        report.problem_add(f"{where}, ligne {line}", message)
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


def header_normalize(name: str) -> str:
    return "_".join(normalize_for_search(name).replace("-", " ").split())


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
            report.problem_add(name, f"fichier non reconnu : son nom doit être l'un de {expected}.")
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
                report.problem_add(
                    f"{name}, ligne 1", f"{problem} : {names}. Colonnes attendues : {listing}."
                )
        if missing or unknown or duplicated:
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
                padded = cells + [""] * (len(header) - len(cells))
                cells_by_name = dict(zip(header, padded, strict=True))
                record = record_build(table, where, cells_by_name, by_name, report)
                if record is not None:
                    records.append(record)
    except csv.Error as error:
        report.problem_add(f"{name}, ligne {reader.line_num}", f"fichier CSV illisible ({error}).")
        return []
    return records


def record_build(table, where, cells, columns, report) -> Record | None:
    model = MODELS[table]
    record = Record(table=table, where=where, values={})
    ok = True
    for column_name, cell in cells.items():
        column = columns[column_name]
        record.columns[column.field] = column_name
        try:
            value = column.from_cell(cell)
            if column.kind == "text" and (tag := HTML_TAG.search(value)):
                raise CellError(
                    f"contient du code HTML (« {tag.group(0)} ») : le répertoire n'accepte que "
                    "du texte simple. Retirez les balises."
                )
        except CellError as error:
            report.problem_add(where, str(error), column_name)
            ok = False
            continue
        if column.field in REFERENCE_FIELDS:
            record.refs[REFERENCE_FIELDS[column.field]] = value
        elif value is None and column.kind == "bool":
            record.values[column.field] = model._meta.get_field(column.field).default
        elif (value is not None or column.kind == "datetime") and not (
            column.field == "slug" and not value
        ):
            record.values[column.field] = value
    return record if ok else None


JSON_FORMAT = "repertoire-competences-sociales"


def json_cell(value) -> str:
    """A JSON value written as the CSV cell that means the same."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def json_records_read(*, files: dict[str, bytes], report: ImportReport) -> list[Record]:
    """Records of the directory's own JSON export (repertoire.json)."""
    records = []
    for name, data in files.items():
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            report.problem_add(name, f"JSON illisible ({error}).")
            continue
        if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
            report.problem_add(
                name, "ce n'est pas un export JSON du répertoire (clé « format » absente)."
            )
            continue
        for table, columns in TABLES.items():
            by_name = {column.name: column for column in columns}
            for number, item in enumerate(document.get(table, []), start=1):
                where = f"{name}, {table}, enregistrement n° {number}"
                required = {column.name for column in columns if not column.optional}
                found = set(item) if isinstance(item, dict) else set()
                if not isinstance(item, dict) or not required <= found <= set(by_name):
                    missing = ", ".join(sorted(required - found)) or "aucune"
                    unknown = ", ".join(sorted(found - set(by_name))) or "aucune"
                    report.problem_add(
                        where, f"clés manquantes : {missing} ; clés inconnues : {unknown}."
                    )
                    continue
                cells = {key: json_cell(value) for key, value in item.items()}
                record = record_build(table, where, cells, by_name, report)
                if record is not None:
                    records.append(record)
    return records
