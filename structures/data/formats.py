"""The file formats of imports and exports, by the name the admin page and commands use."""

from collections.abc import Callable
from dataclasses import dataclass

from .datainclusion import datainclusion_files, datainclusion_records_read
from .datainclusion_workbook import datainclusion_xlsx_records_read
from .exports import directory_csv_files, directory_json_files, directory_xlsx_files
from .readers import Encoding, csv_records_read, json_records_read, xlsx_records_read
from .records import ImportReport, Record

Files = dict[str, bytes]


@dataclass(frozen=True)
class Format:
    label: str
    suffix: str  # of the files an import reads
    read: Callable[..., list[Record]]
    write: Callable[..., tuple[Files, list[str]]] | None  # the files, what was left out
    has_encoding: bool = False


def _csv_write(*, delimiter: str = ",") -> tuple[Files, list[str]]:
    return directory_csv_files(delimiter=delimiter), []


def _json_write(**_options) -> tuple[Files, list[str]]:
    return directory_json_files(), []


def _xlsx_write(**_options) -> tuple[Files, list[str]]:
    return directory_xlsx_files()


def _datainclusion_write(**_options) -> tuple[Files, list[str]]:
    return datainclusion_files()


FORMATS = {
    "csv": Format("CSV du répertoire", ".csv", csv_records_read, _csv_write, has_encoding=True),
    "xlsx": Format("Classeur Excel du répertoire (.xlsx)", ".xlsx", xlsx_records_read, _xlsx_write),
    "json": Format("JSON du répertoire", ".json", json_records_read, _json_write),
    "data-inclusion": Format(
        "data·inclusion v1 (JSON)", ".json", datainclusion_records_read, _datainclusion_write
    ),
    "data-inclusion-xlsx": Format(
        "data·inclusion v1 (tableur .xlsx, import seulement)",
        ".xlsx",
        datainclusion_xlsx_records_read,
        None,
    ),
}
EXPORT_FORMATS = [name for name, format in FORMATS.items() if format.write]


def records_read(
    *, format: str, files: Files, report: ImportReport, encoding: str = Encoding.UTF8
) -> list[Record]:
    """The records of the files, read as `format`; problems go into the report."""
    chosen = FORMATS[format]
    options = {"encoding": encoding} if chosen.has_encoding else {}
    return chosen.read(files=files, report=report, **options)


def directory_write(*, format: str, delimiter: str = ",") -> tuple[Files, list[str]]:
    """The whole directory as the files of `format`, and what had to be left out."""
    return FORMATS[format].write(delimiter=delimiter)
