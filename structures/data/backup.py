"""Complete, dated backups of the database, and their restoration into an empty database.

Every backup has a Django JSON file, read by `loaddata` (portable: SQLite or PostgreSQL,
any version; exact: times to the microsecond, and the rows of link tables with their ids);
on PostgreSQL it also has a `pg_dump` custom archive, restored with `pg_restore`.
"""

import os
import subprocess
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from ..models import Structure, Theme, User
from ..search.index import search_index_rebuild

# Rebuilt by `migrate` (content types, permissions) or worthless (sessions).
# The search index is rebuilt at restore time (and SQLite's FTS5 table is not a Django table).
DUMP_EXCLUDED = {
    "contenttypes",
    "auth.permission",
    "sessions",
    "structures.searchentry",
    "structures.searchentrytext",
    "structures.searchword",
}


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


class ExactEncoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (Django's own keeps milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Links (a service's themes, an account's groups) are written as rows of their own
    table, ids included, instead of a list in the record: they come back as they were."""

    def handle_m2m_field(self, obj, field):
        pass


def backup_objects():
    """Every row of every table that `migrate` does not rebuild, as `dumpdata` would list
    them, plus the rows of the link tables."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in DUMP_EXCLUDED
        and model._meta.label_lower not in DUMP_EXCLUDED
        and model._meta.managed
        and not model._meta.proxy
    ]
    for model in serializers.sort_dependencies([(None, models)], allow_cycles=True):
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


def backup_write(*, folder: Path) -> list[Path]:
    """Write the dated dump (and the pg_dump archive on PostgreSQL) into `folder`.

    Backups hold password hashes: they are readable by their owner only.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = folder / f"repertoire-{timezone.localtime():%Y-%m-%d-%H%M%S}"
    dump = stem.with_suffix(".json")
    with os.fdopen(os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        BackupSerializer().serialize(
            backup_objects(), stream=file, use_natural_foreign_keys=True, indent=1, cls=ExactEncoder
        )
    written = [dump]
    if connection.vendor == "postgresql":
        archive = stem.with_suffix(".dump")
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={archive}"],
            env=postgres_environment(),
            check=True,
            umask=0o077,
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
    # The dump holds the history as it was: django-simple-history must not add to it (with
    # a dump of `dumpdata`, it would record every service's themes again as loaddata sets
    # them).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
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
