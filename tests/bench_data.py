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
