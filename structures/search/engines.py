"""The two engines behind one interface: index entries, match and rank a query, find
words like a mistyped one. Chosen by the database in use (`engine()`)."""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.expressions import RawSQL

from ..models import SearchEntry, SearchWord
from .analysis import exact_text, stem, stems_text
from .query import EXACT, PREFIX, STEM, ParsedQuery, Term

SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of a word: "  w" + … + "d "."""
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b)


class PostgresEngine:
    STEMS = "repertoire_fr"  # french, with unaccent before french_stem (migration)
    WORDS = "repertoire_simple"  # simple, with unaccent: the words as written

    def entries_prepare(self, entries: list[SearchEntry]) -> None:
        """The vectors, computed by the INSERT that writes the entries: no second write of
        each row (the table stays as compact as its live rows, which every search reads)."""

        def vector(entry, config):
            return (
                SearchVector(Value(entry.texts.name), config=config, weight="A")
                + SearchVector(Value(entry.texts.summary), config=config, weight="B")
                + SearchVector(Value(entry.texts.body), config=config, weight="C")
            )

        for entry in entries:
            entry.vector, entry.vector_exact = vector(entry, self.STEMS), vector(entry, self.WORDS)

    def entries_index(self, entries: list[SearchEntry]) -> None:
        pass  # written with the entries (entries_prepare)

    def entries_clear(self) -> None:
        pass  # the vectors are columns of the entries: gone with them

    def _term(self, term: Term, weight: str) -> SearchQuery:
        text = f"{term.word}:*{weight}" if term.mode == PREFIX else f"{term.word}:{weight}"
        config = self.STEMS if term.mode == STEM else self.WORDS
        return SearchQuery(text.rstrip(":"), config=config, search_type="raw")

    def _all(self, terms, weight):
        query = None
        for term in terms:
            query = self._term(term, weight) if query is None else query & self._term(term, weight)
        return query

    def _q(self, parsed: ParsedQuery, weight="") -> Q:
        """The query as a Q; with `weight`, in those texts and the query's own words only."""
        clauses = []
        for clause in parsed.clauses:
            alternatives = Q()
            for alternative in clause[:1] if weight else clause:
                stems = [term for term in alternative if term.mode == STEM]
                others = [term for term in alternative if term.mode != STEM]
                condition = Q()
                if stems:
                    condition &= Q(vector=self._all(stems, weight))
                if others:
                    condition &= Q(vector_exact=self._all(others, weight))
                alternatives |= condition
            clauses.append(alternatives)
        return _combine(clauses, any_=parsed.match_any)

    def matching(self, queryset, parsed: ParsedQuery):
        terms = {term for clause in parsed.clauses for alt in clause for term in alt}
        score = Value(0.0, output_field=FloatField())
        for column, kind in [("vector", [STEM]), ("vector_exact", [EXACT, PREFIX])]:
            own = [term for term in terms if term.mode in kind]
            if own:
                query = self._term(own[0], "")
                for term in own[1:]:
                    query |= self._term(term, "")
                score = score + SearchRank(F(column), query)
        return queryset.filter(self._q(parsed)).annotate(
            score=score, title_match=Case(When(self._q(parsed, "A"), then=1), default=0)
        )

    def similar_words(self, word: str, *, limit: int) -> list[SearchWord]:
        return list(
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")[:limit]
        )


class SqliteEngine:
    FTS = "structures_searchentry_fts"
    TRIGRAMS = "structures_searchword_trigram"
    WEIGHTS = (10.0, 4.0, 1.0, 10.0, 4.0, 1.0)  # name, summary, body; then the same, exact
    COLUMNS = {
        (True, ""): "{name summary body}",
        (False, ""): "{name_exact summary_exact body_exact}",
        (True, "A"): "{name}",
        (False, "A"): "{name_exact}",
    }

    def entries_prepare(self, entries: list[SearchEntry]) -> None:
        pass  # the FTS5 rows need the entries' ids: entries_index

    def entries_index(self, entries: list[SearchEntry]) -> None:
        rows = [
            (
                entry.pk,
                stems_text(entry.texts.name),
                stems_text(entry.texts.summary),
                stems_text(entry.texts.body),
                exact_text(entry.texts.name),
                exact_text(entry.texts.summary),
                exact_text(entry.texts.body),
            )
            for entry in entries
        ]
        with connection.cursor() as cursor:
            # Deleted entries leave the FTS table by a trigger (see the migration).
            cursor.executemany(
                f"INSERT INTO {self.FTS} (rowid, name, summary, body, name_exact, "
                "summary_exact, body_exact) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows,
            )

    def entries_clear(self) -> None:
        """Empty the FTS5 table whole (the index is rebuilt): rows that a lost trigger once
        left behind go too."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.FTS}")

    def _term(self, term: Term, weight: str) -> str:
        columns = self.COLUMNS[(term.mode == STEM, weight)]
        word = stem(term.word) if term.mode == STEM else term.word
        return f'{columns} : "{word}"' + ("*" if term.mode == PREFIX else "")

    def _match(self, parsed: ParsedQuery, weight="") -> str:
        """The FTS5 query; with `weight`, in the names and the query's own words only."""
        clauses = [
            "("
            + " OR ".join(
                "(" + " AND ".join(self._term(term, weight) for term in alternative) + ")"
                for alternative in (clause[:1] if weight else clause)
            )
            + ")"
            for clause in parsed.clauses
        ]
        return (" OR " if parsed.match_any else " AND ").join(clauses)

    def matching(self, queryset, parsed: ParsedQuery):
        bm25 = Func(F("text__document"), *map(Value, self.WEIGHTS), function="bm25")
        titles = RawSQL(
            f"SELECT rowid FROM {self.FTS} WHERE {self.FTS} MATCH %s", [self._match(parsed, "A")]
        )
        return queryset.filter(text__document__match=self._match(parsed)).annotate(
            score=Func(bm25, function="-", output_field=FloatField()),
            title_match=Case(When(pk__in=titles, then=1), default=0),
        )

    def similar_words(self, word: str, *, limit: int) -> list[SearchWord]:
        parts = sorted({word[index : index + 3] for index in range(len(word) - 2)})
        if not parts:
            return []
        candidates = RawSQL(
            f"SELECT rowid FROM {self.TRIGRAMS} WHERE {self.TRIGRAMS} MATCH %s "
            "ORDER BY rank LIMIT 200",
            [" OR ".join(f'"{part}"' for part in parts)],
        )
        found = []
        for candidate in SearchWord.objects.filter(pk__in=candidates):
            candidate.similarity = similarity(word, candidate.word)
            if candidate.similarity >= SIMILARITY_THRESHOLD:
                found.append(candidate)
        found.sort(key=lambda item: (-item.similarity, item.word))
        return found[:limit]


def _combine(conditions: list[Q], *, any_: bool) -> Q:
    combined = Q()
    for condition in conditions:
        combined = (combined | condition) if any_ else (combined & condition)
    return combined


def engine() -> PostgresEngine | SqliteEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
