"""The database's own search engine: PostgreSQL full-text search, or SQLite FTS5.

PostgreSQL: the unaccent and pg_trgm extensions, the repertoire_fr configuration (French
stems, accents removed first) and repertoire_simple (the words as written, accents
removed), a GIN index on each search vector and a trigram index on the vocabulary.
SQLite: an FTS5 table of the entries (its rows are written by the index; a trigger removes
those of deleted entries) and an FTS5 trigram table of the vocabulary, kept by triggers.
Each half runs only on its own database.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

POSTGRESQL = [
    (
        "CREATE TEXT SEARCH CONFIGURATION repertoire_fr (COPY = french)",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS repertoire_fr",
    ),
    (
        "ALTER TEXT SEARCH CONFIGURATION repertoire_fr ALTER MAPPING FOR "
        "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, french_stem",
        None,
    ),
    (
        "CREATE TEXT SEARCH CONFIGURATION repertoire_simple (COPY = simple)",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS repertoire_simple",
    ),
    (
        "ALTER TEXT SEARCH CONFIGURATION repertoire_simple ALTER MAPPING FOR "
        "word, hword, hword_part WITH unaccent, simple",
        None,
    ),
    (
        "CREATE INDEX searchentry_vector_gin ON structures_searchentry USING gin (vector)",
        "DROP INDEX IF EXISTS searchentry_vector_gin",
    ),
    (
        "CREATE INDEX searchentry_vector_exact_gin ON structures_searchentry "
        "USING gin (vector_exact)",
        "DROP INDEX IF EXISTS searchentry_vector_exact_gin",
    ),
    (
        "CREATE INDEX searchword_word_trgm ON structures_searchword USING gin (word gin_trgm_ops)",
        "DROP INDEX IF EXISTS searchword_word_trgm",
    ),
]

SQLITE = [
    (
        "CREATE VIRTUAL TABLE structures_searchentry_fts USING fts5(name, summary, body, "
        "name_exact, summary_exact, body_exact, tokenize = 'unicode61 remove_diacritics 2')",
        "DROP TABLE IF EXISTS structures_searchentry_fts",
    ),
    (
        "CREATE TRIGGER structures_searchentry_fts_delete AFTER DELETE ON structures_searchentry "
        "BEGIN DELETE FROM structures_searchentry_fts WHERE rowid = old.id; END",
        "DROP TRIGGER IF EXISTS structures_searchentry_fts_delete",
    ),
    (
        "CREATE VIRTUAL TABLE structures_searchword_trigram USING fts5(word, "
        "content = 'structures_searchword', content_rowid = 'id', tokenize = 'trigram')",
        "DROP TABLE IF EXISTS structures_searchword_trigram",
    ),
    (
        "CREATE TRIGGER structures_searchword_trigram_insert AFTER INSERT ON structures_searchword "
        "BEGIN INSERT INTO structures_searchword_trigram (rowid, word) VALUES (new.id, new.word); "
        "END",
        "DROP TRIGGER IF EXISTS structures_searchword_trigram_insert",
    ),
    (
        "CREATE TRIGGER structures_searchword_trigram_delete AFTER DELETE ON structures_searchword "
        "BEGIN INSERT INTO structures_searchword_trigram (structures_searchword_trigram, rowid, "
        "word) VALUES ('delete', old.id, old.word); END",
        "DROP TRIGGER IF EXISTS structures_searchword_trigram_delete",
    ),
    (
        "CREATE TRIGGER structures_searchword_trigram_update AFTER UPDATE ON structures_searchword "
        "BEGIN INSERT INTO structures_searchword_trigram (structures_searchword_trigram, rowid, "
        "word) VALUES ('delete', old.id, old.word); INSERT INTO structures_searchword_trigram "
        "(rowid, word) VALUES (new.id, new.word); END",
        "DROP TRIGGER IF EXISTS structures_searchword_trigram_update",
    ),
]

STATEMENTS = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def forwards(apps, schema_editor):
    for statement, _ in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for _, statement in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        if statement:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("structures", "0007_search_index_and_filters")]

    operations = [
        UnaccentExtension(),  # both do nothing on SQLite
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
