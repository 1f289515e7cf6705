"""SQLite: the trigger that takes a deleted entry's row out of the FTS5 table, again.

0018 removed columns of structures_searchentry, which SQLite does by rebuilding the table,
and the rebuild dropped the table's trigger (0008): the rows of deleted entries stayed in
the FTS5 table, one more at every edit. Those rows are deleted, and the trigger is back.
"""

from django.db import migrations

TRIGGER = "structures_searchentry_fts_delete"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "DELETE FROM structures_searchentry_fts "
        "WHERE rowid NOT IN (SELECT id FROM structures_searchentry)"
    )
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} AFTER DELETE ON structures_searchentry "
        "BEGIN DELETE FROM structures_searchentry_fts WHERE rowid = old.id; END"
    )


class Migration(migrations.Migration):
    dependencies = [("structures", "0018_search_entry_without_texts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
