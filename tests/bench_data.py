"""Import and export of a 300 × 5 synthetic territory (CSV, JSON, data·inclusion)."""

import statistics
import time

from tests.bench import fresh_database, median_ms

STRUCTURES, SERVICES, REPEAT = 300, 5, 5


def run(report):
    from structures.data.datainclusion import datainclusion_files
    from structures.data.exports import directory_csv_files, directory_json_files
    from structures.data.planning import records_import
    from structures.data.readers import csv_records_read
    from structures.data.records import ImportReport
    from structures.management.commands.load_demo import directory_delete
    from structures.management.commands.seed_synthetic import seed_synthetic

    fresh_database()
    seed_synthetic(structures=STRUCTURES, services_per_structure=SERVICES)
    files = directory_csv_files(delimiter=";")

    def csv_import(*, apply):
        report = ImportReport()
        records = csv_records_read(files=files, report=report)
        records_import(records=records, apply=apply, report=report)
        assert report.ok, report.problems[:3]
        return report

    print(f"\nDonnées ({STRUCTURES} structures × {SERVICES} fiches), médiane de {REPEAT} essais :")
    report("  export CSV (4 fichiers)", median_ms(directory_csv_files, repeat=REPEAT, warmup=1))
    report("  export JSON", median_ms(directory_json_files, repeat=REPEAT, warmup=1))
    report(
        "  export data·inclusion v1 (validé)",
        median_ms(datainclusion_files, repeat=REPEAT, warmup=1),
    )
    report(
        "  import CSV, simulation (tout inchangé)",
        median_ms(lambda: csv_import(apply=False), repeat=REPEAT, warmup=1),
    )
    timings = []
    for _ in range(REPEAT):
        directory_delete()
        start = time.perf_counter()
        result = csv_import(apply=True)
        timings.append((time.perf_counter() - start) * 1000)
        assert result.counts["services"]["created"] == STRUCTURES * SERVICES
    report("  import CSV appliqué dans une base vide", statistics.median(timings))
    run_excel_and_background(report)


BIG_IMPORT_LINES = 50_000


def run_excel_and_background(report):
    """The workbook beside the CSV files; and what a big admin import costs the request."""
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from structures.data.exports import directory_csv_files
    from structures.data.formats import directory_write, records_read
    from structures.data.jobs import directory_import_run
    from structures.data.planning import records_import
    from structures.data.records import ImportReport
    from structures.models import User
    from tests.directory_data import table_csv

    workbook = directory_write(format="xlsx")[0]

    def xlsx_import():
        report = ImportReport()
        records = records_read(format="xlsx", files=workbook, report=report)
        records_import(records=records, apply=False, report=report)
        assert report.ok, report.problems[:3]

    csv_ms = median_ms(directory_csv_files, repeat=REPEAT, warmup=1)
    xlsx_ms = median_ms(lambda: directory_write(format="xlsx"), repeat=REPEAT, warmup=1)
    report(f"  export classeur Excel (× {xlsx_ms / csv_ms:.1f} l'export CSV)", xlsx_ms)
    report("  import classeur Excel, simulation (tout inchangé)", median_ms(xlsx_import, repeat=3))

    rows = [{"identifiant": f"g-{n}", "nom": f"Structure {n}"} for n in range(BIG_IMPORT_LINES)]
    content = table_csv("structures", *rows)
    coordinator = User.objects.create_user("bench-coordination", role="coordination")
    client = Client()
    client.force_login(coordinator)
    assert client.get(reverse("admin:structures_directory_data")).status_code == 200  # warm
    start = time.perf_counter()
    response = client.post(
        reverse("admin:structures_directory_data"),
        {
            "format": "csv",
            "encoding": "utf-8",
            "files": [SimpleUploadedFile("structures.csv", content)],
        },
    )
    request_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    token = response["Location"].rstrip("/").rpartition("/")[2]
    start = time.perf_counter()
    directory_import_run.call(token=token, apply=False)
    task_ms = (time.perf_counter() - start) * 1000
    print(f"\nImport de {BIG_IMPORT_LINES:_} lignes depuis l'administration :".replace("_", " "))
    report("  simulation, dans la tâche de fond (ce que faisait la requête)", task_ms)
    report(
        f"  réponse au dépôt des fichiers ({request_ms / task_ms:.1%} de la simulation)", request_ms
    )
