"""Complete, dated backups of the database, and their restoration into an empty database.

Every backup has a Django `dumpdata` file (portable: SQLite or PostgreSQL, any version);
on PostgreSQL it also has a `pg_dump` custom archive, restored with `pg_restore`.
"""

import os
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ..models import Structure, Theme, User
from ..search.index import search_index_rebuild

# Rebuilt by `migrate` (content types, permissions) or worthless (sessions).
# The search index is rebuilt at restore time (and SQLite's FTS5 table is not a Django table).
DUMP_EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "structures.searchentry",
    "structures.searchentrytext",
    "structures.searchword",
]


class RestoreError(Exception):
    """A restore that cannot be done; the message says why, in French."""


def postgres_environment() -> dict[str, str]:
    """libpq variables for pg_dump and pg_restore, from the Django settings."""
    settings = connection.settings_dict
    variables = {
        "PGDATABASE": settings["NAME"],
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"] or ""),
    }
    return os.environ | {name: value for name, value in variables.items() if value}


def backup_write(*, folder: Path) -> list[Path]:
    """Write the dated dump (and the pg_dump archive on PostgreSQL) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"repertoire-{timezone.localtime():%Y-%m-%d-%H%M%S}"
    dump = stem.with_suffix(".json")
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=DUMP_EXCLUDED,
        indent=1,
        output=str(dump),
        verbosity=0,
    )
    written = [dump]
    if connection.vendor == "postgresql":
        archive = stem.with_suffix(".dump")
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={archive}"],
            env=postgres_environment(),
            check=True,
        )
        written.append(archive)
    return written


def database_is_empty() -> bool:
    return not (User.objects.exists() or Structure.objects.exists() or Theme.objects.exists())


def backup_restore(*, path: Path) -> None:
    """Restore a backup file into an empty database (never over an existing directory)."""
    if not path.is_file():
        raise RestoreError(f"Fichier introuvable : {path}")
    if path.suffix == ".dump":
        archive_restore(path=path)
        return
    call_command("migrate", verbosity=0)
    if not database_is_empty():
        raise RestoreError(
            "La base n'est pas vide : la restauration ne remplace jamais un répertoire existant. "
            "Restaurez dans une base neuve."
        )
    call_command("loaddata", str(path), verbosity=0)
    search_index_rebuild()  # loaddata writes raw rows; the SQLite FTS5 table is not dumped


def archive_restore(*, path: Path) -> None:
    if connection.vendor != "postgresql":
        raise RestoreError("Une archive pg_dump (.dump) ne se restaure que dans PostgreSQL.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        if cursor.fetchone()[0]:
            raise RestoreError(
                "La base n'est pas vide : restaurez une archive pg_dump dans une base neuve "
                "(createdb), sans avoir lancé migrate."
            )
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        env=postgres_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RestoreError(f"pg_restore a échoué : {result.stderr.strip()}")
