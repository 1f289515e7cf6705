"""Workbooks built as Excel saves them: typed cells, cached formula results, merges."""

import io
import re
import zipfile

import openpyxl
from openpyxl.styles import PatternFill

from structures.data.columns import TABLES


def workbook_bytes(sheets, *, hidden=(), title_rows=(), formulas=None, styled_tail=True):
    """A workbook with one sheet per {title: [header, *rows]}.

    `title_rows`: sheets that get a merged title row above their header; `formulas`:
    {(sheet, "C3"): ("=A3&B3", "cached result")}, saved with their result as Excel does;
    `styled_tail`: empty but formatted rows and columns after the data, as Excel keeps them.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if title in title_rows:
            sheet.append(["Répertoire des compétences sociales — " + title])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            sheet.append(row)
        if styled_tail:
            grey = PatternFill("solid", fgColor="DDDDDD")
            for column in range(1, len(rows[0]) + 4):
                sheet.cell(row=sheet.max_row + 3, column=column).fill = grey
            sheet.cell(row=2, column=len(rows[0]) + 3).fill = grey
        if title in hidden:
            sheet.sheet_state = "hidden"
    results = {}
    for (title, reference), (formula, result) in (formulas or {}).items():
        workbook[title][reference] = formula
        results[(workbook.sheetnames.index(title) + 1, reference)] = result
    buffer = io.BytesIO()
    workbook.save(buffer)
    return as_excel_saves(buffer.getvalue(), results)


INLINE_STRING = re.compile(
    rb'<c r="([A-Z]+\d+)"([^>]*) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def as_excel_saves(data, results, *, shared_strings=None):
    """What openpyxl wrote, changed as Excel would have saved it: texts in the shared
    strings table, and each formula with its last result (openpyxl writes neither)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    strings = []

    def share(match):
        strings.append(match.group(3))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (
            match.group(1),
            match.group(2),
            len(strings) - 1,
        )

    for name in [name for name in parts if name.startswith("xl/worksheets/sheet")]:
        parts[name] = INLINE_STRING.sub(share, parts[name])
    for (number, reference), result in results.items():
        kind = ' t="str"' if isinstance(result, str) else ""
        name = f"xl/worksheets/sheet{number}.xml"
        parts[name] = re.sub(
            # openpyxl writes an empty <v/>, or <v></v> when lxml is installed
            rf'<c r="{reference}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v>\s*</v>)'.encode(),
            rf'<c r="{reference}"\1{kind}><f>\2</f><v>{result}</v>'.encode(),
            parts[name],
        )
    items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
    parts["xl/sharedStrings.xml"] = shared_strings or (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(strings), len(strings), items)
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


def table_sheet(table, *rows):
    """[header, *rows] of a table; each row gives some cells by column name."""
    names = [column.name for column in TABLES[table]]
    return [names, *([row.get(name) for name in names] for row in rows)]
