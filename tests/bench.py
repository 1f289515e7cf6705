"""`make bench`: timings on a synthetic territory, reported as medians.

Runs against its own SQLite file (bench.sqlite3, or DATABASE_URL if set), never the
development database. Each section is a module `tests/bench_<topic>.py` with a
`run(report)` function; add yours to SECTIONS. `python tests/bench.py booklet` runs the
sections named on the command line only.
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")

SECTIONS = [
    "tests.bench_pages",
    "tests.bench_search",
    "tests.bench_hours",
    "tests.bench_espace",
    "tests.bench_data",
    "tests.bench_liaison",
    "tests.bench_booklet",
    "tests.bench_stats",
]


def median_ms(function, *, repeat=15, warmup=2):
    """Median wall time of `function()` in milliseconds, after a warm-up."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def report(label, value, unit="ms", *, decimals=1):
    print(f"{label:<60} {value:>10.{decimals}f} {unit}", flush=True)


def fresh_database():
    """Migrate an empty benchmark database."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()  # a previous section may hold the file open
    db_file = ROOT / "bench.sqlite3"
    if db_file.exists() and "bench.sqlite3" in os.environ["DATABASE_URL"]:
        db_file.unlink()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def database_settle():
    """On PostgreSQL, what autovacuum does after a bulk load (statistics, visibility), so
    that it does not run during the measures and the plans are those of a live server."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def synthetic_client(*, structures: int, services: int):
    """A fresh database with a synthetic territory, and a partner's logged-in test client."""
    from django.test import Client

    from structures.management.commands.seed_synthetic import seed_synthetic
    from structures.models import User

    fresh_database()
    seed_synthetic(structures=structures, services_per_structure=services)
    database_settle()
    client = Client()
    client.force_login(User.objects.create_user("bench", password="bench-password-123"))
    return client


def main():
    import django

    django.setup()
    print(f"Machine: {os.cpu_count()} cœurs ; base : {os.environ['DATABASE_URL'].split(':')[0]}")
    # `python tests/bench.py search pages` runs only the sections whose names are given.
    wanted = sys.argv[1:]
    for name in SECTIONS:
        if wanted and name.removeprefix("tests.bench_") not in wanted:
            continue
        importlib.import_module(name).run(report)


if __name__ == "__main__":
    main()
