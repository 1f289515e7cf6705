"""The coordinator imports an edited Excel workbook from the admin, in a real browser."""

import io

import openpyxl
from axe_playwright_python.sync_playwright import Axe

from structures.data.formats import directory_write
from structures.models import Structure

from .conftest import AXE_OPTIONS, log_in, screenshot, wait_for_path


def test_the_coordinator_imports_a_workbook_edited_in_excel(page, tmp_path):
    workbook = openpyxl.load_workbook(
        io.BytesIO(directory_write(format="xlsx")[0]["repertoire.xlsx"])
    )
    sheet = workbook["structures"]
    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(2) if row[1].value == "ccas")
    row[header.index("horaires")].value = "Du lundi au jeudi, 9 h – 12 h"
    path = tmp_path / "repertoire.xlsx"
    workbook.save(path)
    log_in(page, username="coordination")
    wait_for_path(page, "/")

    page.goto("/admin/structures/structure/donnees/")
    page.get_by_label("Classeur Excel du répertoire (.xlsx)").check()
    page.get_by_label("Fichiers :", exact=True).set_input_files(path)
    page.get_by_role("button", name="Simuler l'import").click()

    report = page.locator("#rapport")
    assert "Structures : 0 à créer, 1 à mettre à jour, 27 inchangées." in report.inner_text()
    # the page's own content (the breadcrumbs above it are Django's admin)
    results = Axe().run(page, context="#content-main", options=AXE_OPTIONS)
    assert results.response["violations"] == []
    screenshot(page, "admin-import-simulation")
    page.get_by_role("button", name="Appliquer cet import").click()
    assert "Import appliqué : le répertoire est à jour." in page.locator("#rapport").inner_text()
    assert Structure.objects.get(slug="ccas").opening_hours == "Du lundi au jeudi, 9 h – 12 h"
    screenshot(page, "admin-import-applique")
