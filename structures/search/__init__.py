"""Full-text search with the database's own engine, the same behaviour on SQLite and PostgreSQL.

- index.py: one SearchEntry per structure and per active service, refreshed by
  search_index_refresh() on every write (Fiche.save(), imports, fixtures, restores) and
  rebuilt by `manage.py search_index_rebuild`.
- facets.py: what an entry carries for the filters (publics, fees, hours, commune,
  themes…), so that the filters count a broad search's results on the index alone.
- analysis.py: words, French stop words and stems, as PostgreSQL's configuration makes them.
- query.py: a query becomes clauses of terms: synonyms, acronyms matched as written
  (« caf » is not « café »), a prefix for the word being typed (« loge » → logement).
- engines.py: PostgreSQL (django.contrib.postgres.search: a French configuration with
  unaccent, two weighted search vectors with GIN indexes, pg_trgm for typos) and SQLite
  (an FTS5 table ranked by bm25, and FTS5 trigrams of the vocabulary for typos).
"""
