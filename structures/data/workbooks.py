"""Excel workbooks (.xlsx): written for people, read with care for what Excel does to cells.

Reading is bounded and safe against malicious files: the archive is checked before
openpyxl opens it (size, number of parts, unpacked size: a zip bomb is refused before
anything is inflated, and Python's zipfile never inflates a part beyond its declared
size), XML is parsed by defusedxml (no entity expansion), rows and columns are capped.
Workbooks are opened in read-only mode, so that a sheet is read row by row.
"""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .columns import FORMULA_STARTS, header_normalize

WORKBOOK_MAX_BYTES = 20 * 1024 * 1024  # what is uploaded
UNPACKED_MAX_BYTES = 200 * 1024 * 1024  # all the parts of the archive, inflated
PART_MAX_BYTES = 100 * 1024 * 1024  # one sheet, or the shared strings
PARTS_MAX = 1_000
ROWS_MAX = 100_000  # filled rows of one sheet
COLUMNS_MAX = 100
HEADER_ROWS_SEARCHED = 10  # title rows above the header are skipped
CELL_MAX_CHARS = 32_767  # Excel's own limit
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and password-protected workbooks
SAVE_AS_XLSX = "Dans Excel : Fichier › Enregistrer sous › « Classeur Excel (.xlsx) »."


class WorkbookError(ValueError):
    """A workbook that cannot be read at all; the message says why, in French."""


def size_readable(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}\u202fMo"


def archive_check(data: bytes) -> None:
    """Refuse what is not an .xlsx archive, or would take too much memory to read."""
    if len(data) > WORKBOOK_MAX_BYTES:
        raise WorkbookError(
            f"le classeur pèse {size_readable(len(data))} ; au plus "
            f"{size_readable(WORKBOOK_MAX_BYTES)} sont acceptés : découpez-le, ou importez "
            "les feuilles en CSV."
        )
    if data.startswith(OLE_MAGIC):
        raise WorkbookError(
            "ce classeur est au format Excel 97-2003 (.xls), ou protégé par un mot de passe. "
            f"{SAVE_AS_XLSX} sans mot de passe, puis importez-le à nouveau."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise WorkbookError(f"ce n'est pas un classeur Excel (.xlsx). {SAVE_AS_XLSX}") from error
    if "xl/workbook.xml" not in names:
        raise WorkbookError(f"ce fichier .zip n'est pas un classeur Excel. {SAVE_AS_XLSX}")
    too_big = [part for part in parts if part.file_size > PART_MAX_BYTES]
    if len(parts) > PARTS_MAX or too_big or sum(p.file_size for p in parts) > UNPACKED_MAX_BYTES:
        raise WorkbookError(
            f"ce classeur décompressé dépasserait {size_readable(UNPACKED_MAX_BYTES)} (ou "
            f"une feuille {size_readable(PART_MAX_BYTES)}) : "
            "il est refusé pour ne pas épuiser la mémoire du serveur. Un répertoire n'en a "
            "jamais besoin : vérifiez le fichier, ou importez les feuilles en CSV."
        )


@dataclass
class Sheet:
    """One sheet of a workbook: its title and header, and its filled rows."""

    title: str
    key: str  # the title, lower-case and without accents
    hidden: bool
    header: list[str]  # normalised column names; "" for a column without a title
    header_row: int
    rows: Iterator[tuple[int, tuple]]  # (row number, values), filled rows only


def workbook_sheets(data: bytes, *, known: set[str]) -> Iterator[Sheet]:
    """Every sheet, read row by row. The header is the first row, among the first ten, that
    names one of the `known` columns; rows above it (a title, merged cells) are skipped."""
    archive_check(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises anything on a damaged file
        raise WorkbookError(f"classeur endommagé ou illisible. {SAVE_AS_XLSX}") from error
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(max_col=COLUMNS_MAX + 1, values_only=True)
            header, header_row = [], 0
            for number, values in enumerate(rows, start=1):
                names = [header_normalize(str(value or "")) for value in values]
                if known & set(names):
                    header, header_row = names, number
                    break
                if number == HEADER_ROWS_SEARCHED:
                    break
            while header and not header[-1]:
                header.pop()
            yield Sheet(
                title=worksheet.title,
                key=header_normalize(worksheet.title),
                hidden=worksheet.sheet_state != "visible",
                header=header,
                header_row=header_row,
                rows=filled_rows(rows, start=header_row + 1, width=len(header)),
            )
    except WorkbookError:
        raise
    except Exception as error:
        raise WorkbookError(f"classeur endommagé ou illisible. {SAVE_AS_XLSX}") from error
    finally:
        workbook.close()


def filled_rows(rows, *, start: int, width: int) -> Iterator[tuple[int, tuple]]:
    """The rows that hold something (Excel keeps empty formatted rows), at most ROWS_MAX."""
    try:
        yield from _filled_rows(rows, start=start, width=width)
    except WorkbookError:
        raise
    except Exception as error:  # a damaged sheet, found while reading it
        raise WorkbookError(f"classeur endommagé ou illisible. {SAVE_AS_XLSX}") from error


def _filled_rows(rows, *, start, width):
    filled = 0
    for number, row in enumerate(rows, start=start):
        values = row[:width]
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        filled += 1
        if filled > ROWS_MAX:
            raise WorkbookError(
                f"plus de {ROWS_MAX:_} lignes remplies dans une feuille : découpez le "
                "classeur.".replace("_", "\u202f")
            )
        yield number, values + (None,) * (width - len(values))


def cell_text(value, *, kind: str = "text") -> str:
    """What a cell holds, written as the CSV cell that means the same.

    Excel turns what looks like a number into one: a postcode 01000 becomes 1000 and a
    phone number 04 72 00 00 00 becomes 472000000; their digits are given back here.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime) and value.time() != datetime.min.time():
        return value.isoformat(sep=" ")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if kind == "postcode" and 1_000 <= value < 10_000:  # 01000 to 09999: the Ain…
            return f"0{value}"
        if kind == "phone" and 100_000_000 <= value < 1_000_000_000:
            return f"0{value}"
        return str(value)
    return str(value)


def cell_problem(value) -> str | None:
    if isinstance(value, str) and value in ERROR_CODES:
        return (
            f"la cellule affiche une erreur Excel ({value}) : corrigez la formule, ou "
            "remplacez-la par sa valeur."
        )
    return None


# Writing

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_BORDER = Border(bottom=Side(style="medium", color="000000"))
WIDTH_MIN, WIDTH_MAX = 8, 60
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def column_width(header: str, values: list) -> int:
    longest = max((len(str(value).split("\n", 1)[0]) for value in values), default=0)
    return max(WIDTH_MIN, min(WIDTH_MAX, max(longest, len(header)) + 2))


def sheet_write(workbook, *, title: str, header: list[str], rows: list[list]) -> list[str]:
    """Add a sheet: styled and frozen header, fitting widths, dates as dates, and text
    cells that Excel never runs as formulas. Returns what had to be shortened."""
    sheet = workbook.create_sheet(title)
    for index, name in enumerate(header, start=1):
        values = [row[index - 1] for row in rows]
        sheet.column_dimensions[get_column_letter(index)].width = column_width(name, values)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    sheet.append(cells)
    shortened = []
    for number, row in enumerate(rows, start=2):
        sheet.append([cell_write(sheet, value, shortened, f"{title}!{number}") for value in row])
    return shortened


def cell_write(sheet, value, shortened: list[str], where: str):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None, microsecond=0))
        cell.number_format = DATETIME_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > CELL_MAX_CHARS:
        shortened.append(f"{where} : texte de {len(text)} caractères coupé à {CELL_MAX_CHARS}.")
        text = text[:CELL_MAX_CHARS]
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, even when it starts with « = »
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel's own « ' »: stays text if the cell is edited
    return cell


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_new():
    return openpyxl.Workbook(write_only=True)
