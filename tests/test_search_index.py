"""The search index follows every write: save() (admin, Mon espace, history restore),
imports, fixtures, restores, deletions; `search_index_rebuild` rebuilds it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from structures.data.backup import backup_restore, backup_write
from structures.management.commands.load_demo import directory_delete
from structures.models import SearchEntry, SearchWord, Service, Structure
from structures.search.engines import SqliteEngine

from .directory_data import directory_build, import_files, titles
from .factories import ServiceFactory, StructureFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_saving_a_fiche_indexes_it_and_its_structures_name(db):
    structure = StructureFactory(name="Épicerie solidaire", acronym="ES")
    ServiceFactory(structure=structure, title="Colis de la semaine")
    assert "Colis de la semaine" in titles("épicerie colis")
    structure.name = "Boutique solidaire"
    structure.save()
    assert "Colis de la semaine" in titles("boutique colis")  # the fiche follows its structure
    assert titles("épicerie") == []


def test_a_deactivated_or_deleted_fiche_leaves_the_index(db):
    service = ServiceFactory(title="Permanence logement")
    service.is_active = False
    service.save(update_fields=["is_active", "updated_at"])
    assert titles("permanence") == []
    service.is_active = True
    service.save()
    assert titles("permanence") == ["Permanence logement"]
    service.structure.delete()
    assert titles("permanence") == []
    assert not SearchEntry.objects.exists()


def test_an_editor_s_change_in_mon_espace_is_found_at_once(db, client_for):
    structure = StructureFactory()
    service = ServiceFactory(structure=structure, themes=[ThemeFactory()])
    client = client_for(UserFactory(structure=structure, editor=True))
    data = {"title": "Permanence numérique", "themes": [service.themes.get().pk]}
    client.post(reverse("structures:espace_service_edit", args=[service.pk]), data)
    assert titles("numérique") == ["Permanence numérique"]


def test_a_history_restore_in_the_admin_is_found_at_once(coordinator_client):
    structure = StructureFactory(name="Ancien nom", acronym="")
    old = structure.history.earliest()
    structure.name = "Nouveau nom"
    structure.save()
    assert titles("ancien") == []
    data = {
        key: "" if value is None else value for key, value in model_to_dict(old.instance).items()
    }
    data["last_reviewed_at_0"], data["last_reviewed_at_1"] = "", ""
    url = reverse("admin:structures_structure_simple_history", args=[structure.pk, old.history_id])
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert titles("ancien") == ["Ancien nom"]


def test_an_import_indexes_what_it_writes(db):
    from structures.data.exports import directory_csv_files

    directory_build()
    files = directory_csv_files()
    directory_delete()
    assert not SearchEntry.objects.exists()
    assert import_files(files, apply=True).ok
    assert "Aide au logement" in titles("logement")


def test_a_restored_backup_is_indexed(tmp_path):
    directory_build()
    dump = backup_write(folder=tmp_path)[0]
    directory_delete()
    backup_restore(path=dump)
    assert "Aide au logement" in titles("logement")


def test_the_rebuild_command_rebuilds_the_index_and_its_vocabulary(db):
    ServiceFactory(title="Atelier numérique")
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    assert titles("atelier") == []
    call_command("search_index_rebuild", stdout=io.StringIO())
    assert titles("atelier") == ["Atelier numérique"]
    assert SearchWord.objects.filter(word="numerique", spelling="numérique").exists()
    assert SearchEntry.objects.count() == Structure.objects.count() + Service.objects.count()


def test_the_backup_does_not_carry_the_index(tmp_path):
    directory_build()
    dump = backup_write(folder=tmp_path)[0].read_text()
    assert '"structures.searchentry"' not in dump
    assert '"structures.searchword"' not in dump


def test_words_stemmed_by_several_threads_at_once_get_their_own_stems():
    """gunicorn's threads stem search words at the same time (a shared stemmer once
    answered a 500, IndexError, or another word's stem)."""
    from concurrent.futures import ThreadPoolExecutor

    from structures.search.analysis import stem

    words = [
        f"{base}{suffix}"
        for base in ["logement", "accompagn", "famill"]
        for suffix in ["", "s", "ements", "ations", "ées", "eraient"]
    ] * 300
    expected = [stem.__wrapped__(word) for word in words]
    with ThreadPoolExecutor(max_workers=8) as pool:
        stemmed = list(pool.map(stem.__wrapped__, words, chunksize=1))
    assert stemmed == expected


ON_SQLITE = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="la table FTS5 : seulement sur SQLite"
)


def fts_rowids():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {SqliteEngine.FTS} ORDER BY rowid")
        return [row for (row,) in cursor.fetchall()]


@ON_SQLITE
def test_the_full_text_table_holds_exactly_the_live_entries_after_edits_and_deletions(db):
    """Its rows of deleted entries go with them (a trigger that a table rebuild by a
    migration once dropped): left behind, they piled up with every edit."""
    structure = StructureFactory(name="Épicerie solidaire")
    service = ServiceFactory(structure=structure, title="Colis de la semaine")
    for name in ["Boutique solidaire", "Épicerie sociale"]:
        structure.name = name
        structure.save()
    service.delete()

    assert fts_rowids() == sorted(SearchEntry.objects.values_list("pk", flat=True))
    assert len(fts_rowids()) == 1  # the structure's own entry
    with connection.cursor() as cursor:  # and the vocabulary's trigram table keeps its three
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        tables = sorted(table for (table,) in cursor.fetchall())
    assert tables == ["structures_searchentry", *["structures_searchword"] * 3]


@ON_SQLITE
def test_the_rebuild_command_also_empties_rows_that_no_entry_holds(db):
    ServiceFactory(title="Atelier numérique")
    with connection.cursor() as cursor:  # as the lost trigger left them
        cursor.execute(f"INSERT INTO {SqliteEngine.FTS} (rowid, name) VALUES (999999, 'x')")
    call_command("search_index_rebuild", stdout=io.StringIO())
    assert fts_rowids() == sorted(SearchEntry.objects.values_list("pk", flat=True))
    assert len(fts_rowids()) == 2
