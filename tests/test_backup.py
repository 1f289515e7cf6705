"""make backup / make restore: a complete dump that restores into an empty database."""

import json
import os
import stat
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from structures.data.backup import RestoreError, backup_restore, backup_write
from structures.management.commands.load_demo import directory_delete
from structures.models import Structure, User

from .directory_data import directory_build, directory_snapshot
from .factories import UserFactory
from .processes import manage as run_manage

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


# Every row of every table, by model (auto-created links and history included), as the ORM
# reads it, so that SQLite and PostgreSQL compare. Sessions are left out of backups. The
# search index is derived data that a restore rebuilds: its entries and words by
# content, without the ids that a rebuild numbers anew nor PostgreSQL's search vectors,
# which the engine computes from those texts (NULL on SQLite; SQLite's full-text table,
# which only mirrors the entries, is not a table the ORM reads).
EVERY_TABLE = """
import json
from django.apps import apps
from structures.models import SearchEntry, SearchEntryText, SearchWord

rows = {}
for model in apps.get_models(include_auto_created=True):
    if model is SearchEntryText or model._meta.db_table == "django_session":
        continue
    found = model._base_manager.order_by("pk").values_list()
    if model in (SearchEntry, SearchWord):
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in ("vector", "vector_exact")
        ]
        found = model._base_manager.values_list(*names)
    rows[model._meta.db_table] = sorted(map(str, found))
print(json.dumps(rows))
"""


def every_table(database_url):
    result = manage("shell", "-c", EVERY_TABLE, database_url=database_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def directory_fill(database_url, tmp_path):
    """In a migrated database, the demo territory, an import and its history, then a
    backup: the backup's path."""
    commands = [
        ["load_demo"],
        ["import_directory", "fixtures/import-exemple", "--apply"],
        ["backup_directory", "--output", str(tmp_path / "sauvegardes")],
    ]
    for command in commands:
        result = manage(*command, database_url=database_url)
        assert result.returncode == 0, (command, result.stderr)
    # The search index is not in the backup: the restore rebuilds it from the data. Rebuilt
    # here too, the source's index is what the restored one must equal (an index kept up
    # to date edit by edit may also hold words that no fiche uses any more).
    result = manage("search_index_rebuild", database_url=database_url)
    assert result.returncode == 0, result.stderr
    return next((tmp_path / "sauvegardes").glob("repertoire-*.json"))


def manage(*args, database_url):
    return run_manage(*args, env=os.environ | {"DATABASE_URL": database_url}, check=False)


@pytest.mark.django_db
def test_backup_then_restore_into_an_empty_database_reproduces_the_directory(tmp_path):
    ccas = directory_build()
    UserFactory(username="partenaire-ccas", structure=ccas)
    before = directory_snapshot()
    accounts = set(User.objects.values_list("username", "structure__uid", "password"))

    written = backup_write(folder=tmp_path)

    assert written[0].name.startswith("repertoire-")
    assert written[0].suffix == ".json"
    assert [path.suffix for path in written] == ([".json", ".dump"] if ON_POSTGRES else [".json"])
    User.objects.all().delete()
    directory_delete()
    backup_restore(path=written[0])
    assert directory_snapshot() == before
    assert set(User.objects.values_list("username", "structure__uid", "password")) == accounts


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_has_a_directory(tmp_path):
    directory_build()
    dump = backup_write(folder=tmp_path)[0]
    with pytest.raises(RestoreError, match="La base n'est pas vide"):
        backup_restore(path=dump)
    with pytest.raises(RestoreError, match="Fichier introuvable"):
        backup_restore(path=tmp_path / "absent.json")


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump et pg_restore : seulement sur PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_archive_restores_into_a_new_postgresql_database(tmp_path):
    directory_build()
    expected = sorted(Structure.objects.values_list("slug", "uid"))
    archive = next(path for path in backup_write(folder=tmp_path) if path.suffix == ".dump")
    with postgres_database("restauration") as url:
        restored = manage("restore_directory", str(archive), database_url=url)
        assert restored.returncode == 0, restored.stderr
        copy = psycopg2.connect(url.replace("postgres://", "postgresql://"))
        with copy.cursor() as cursor:
            cursor.execute("SELECT slug, uid FROM structures_structure ORDER BY slug")
            restored_rows = [(slug, str(uid)) for slug, uid in cursor.fetchall()]
        copy.close()
        assert restored_rows == [(slug, str(uid)) for slug, uid in expected]
        again = manage("restore_directory", str(archive), database_url=url)
        assert "La base n'est pas vide" in again.stderr


def test_the_commands_restore_a_sqlite_backup_with_exactly_the_same_rows_in_every_table(
    tmp_path, migrated_sqlite
):
    source = f"sqlite:///{migrated_sqlite}"
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    dump = directory_fill(source, tmp_path)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # it holds password hashes
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700

    restored = manage("restore_directory", str(dump), database_url=target)

    assert restored.returncode == 0, restored.stderr
    before, after = every_table(source), every_table(target)
    assert len(before["structures_historicalservice_themes"]) > 100
    assert len(before["structures_service_themes"]) > 100
    assert {table: len(rows) for table, rows in after.items()} == {
        table: len(rows) for table, rows in before.items()
    }
    assert after == before
    again = manage("restore_directory", str(dump), database_url=target)
    assert again.returncode != 0
    assert "La base n'est pas vide" in again.stderr


@contextmanager
def postgres_database(suffix):
    """A new, empty PostgreSQL database beside the test database; its URL."""
    database = dict(connection.settings_dict)
    name = f"{database['NAME']}_{suffix}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{database['HOST']}:{database['PORT'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="seulement quand les tests tournent sur PostgreSQL")
def test_a_postgresql_backup_restored_into_an_empty_database_has_exactly_the_same_rows(tmp_path):
    """Into PostgreSQL, and into SQLite (a move to the embedded database): one source,
    filled once (a migrated, demo-filled database takes a dozen seconds)."""
    with postgres_database("source") as source, postgres_database("cible") as copy:
        assert manage("migrate", database_url=source).returncode == 0
        dump = directory_fill(source, tmp_path)
        expected = every_table(source)
        for target_url in [copy, f"sqlite:///{tmp_path / 'cible.sqlite3'}"]:
            restored = manage("restore_directory", str(dump), database_url=target_url)

            assert restored.returncode == 0, (target_url, restored.stderr)
            assert every_table(target_url) == expected, target_url
