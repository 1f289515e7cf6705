"""What a query asks for: clauses of terms, with synonyms, acronyms and a prefix.

A query is an AND of clauses (an OR when nothing has every word); a clause is an OR of
alternatives (the query's own words, or one of their synonyms); an alternative is an AND
of terms. A term is matched on its French stem ("logements" finds "logement"), except:
- an acronym (a structure's sigle, or a synonym written in capitals) is matched as
  written: « caf » finds the CAF and not « café »;
- the last word, when it is not a word of the directory, is a prefix: « loge » finds
  « logement » (the word being typed).
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Value

from ..models import SearchEntry, SearchWord, Synonym
from ..text import normalize_for_search
from .analysis import STOP_WORDS, stem, words

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MIN_PREFIX = 3

STEM, EXACT, PREFIX = "stem", "exact", "prefix"


@dataclass(frozen=True)
class Term:
    word: str  # lower-case, accent-free
    mode: str = STEM


@dataclass
class ParsedQuery:
    # Each clause: the query's own words first, then their synonyms.
    clauses: list[tuple[tuple[Term, ...], ...]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # not words of the directory
    synonyms: list[tuple[str, list[str]]] = field(default_factory=list)  # (query words, added)
    exact_keys: set[str] = field(default_factory=set)  # a structure's name or acronym
    truncated: bool = False
    match_any: bool = False

    def __bool__(self):
        return bool(self.clauses)


@dataclass(frozen=True)
class SynonymTerm:
    text: str
    words: tuple[str, ...]  # without stop words
    exact: tuple[bool, ...]  # written in capitals: matched as written

    @classmethod
    def read(cls, text: str) -> "SynonymTerm":
        found, exact = [], []
        for token in text.split():
            for word in words(token):
                if word not in STOP_WORDS:
                    found.append(word)
                    exact.append(token.isupper() and len(word) > 1)
        return cls(text, tuple(found), tuple(exact))

    def matches(self, query_words: list[str]) -> bool:
        if len(query_words) != len(self.words):
            return False
        return all(
            word == own if exact else stem(word) == stem(own)
            for word, own, exact in zip(query_words, self.words, self.exact, strict=True)
        )

    def terms(self, acronyms: set[str]) -> tuple[Term, ...]:
        return tuple(
            Term(word, EXACT if exact or word in acronyms else STEM)
            for word, exact in zip(self.words, self.exact, strict=True)
        )


def query_words(text: str) -> tuple[list[str], bool]:
    """The query's words without stop words (at most MAX_WORDS), and whether it was cut."""
    found = [word for word in words(text[:MAX_QUERY_LENGTH]) if word not in STOP_WORDS]
    truncated = len(text) > MAX_QUERY_LENGTH or len(found) > MAX_WORDS
    return found[:MAX_WORDS], truncated


def query_parse(
    text: str,
    *,
    groups: list[list[SynonymTerm]],
    acronyms: set[str],
    vocabulary: set[str],
) -> ParsedQuery:
    """Read a query; pure (the directory's synonyms, acronyms and words are given)."""
    found, truncated = query_words(text)
    parsed = ParsedQuery(words=found, truncated=truncated)
    position = 0
    while position < len(found):
        span, group = _synonym_at(found, position, groups)
        if group:
            own = [term for term in group if term.matches(span)]
            added = [term for term in group if term not in own]
            # The query's own words first: title matches are judged on them alone.
            parsed.clauses.append(tuple(term.terms(acronyms) for term in own + added))
            parsed.synonyms.append((own[0].text, [term.text for term in added]))
            position += len(span)
            continue
        word = found[position]
        position += 1
        if word in acronyms:
            mode = EXACT
        elif word not in vocabulary and position == len(found) and len(word) >= MIN_PREFIX:
            mode = PREFIX
        else:
            mode = STEM
        if word not in vocabulary and word not in acronyms:
            parsed.unknown.append(word)
        parsed.clauses.append(((Term(word, mode),),))
    parsed.exact_keys = {normalize_for_search(text[:MAX_QUERY_LENGTH])}
    if len(parsed.clauses) == 1 and parsed.synonyms:  # the whole query is a synonym
        parsed.exact_keys |= {normalize_for_search(term) for term in parsed.synonyms[0][1]}
    return parsed


def _synonym_at(found, position, groups):
    """The longest run of query words from `position` that is a synonym, and its group."""
    best, best_group = [], None
    for group in groups:
        for term in group:
            span = found[position : position + len(term.words)]
            if term.words and len(span) > len(best) and term.matches(span):
                best, best_group = span, group
    return best, best_group


def synonym_groups() -> list[list[SynonymTerm]]:
    return [
        [SynonymTerm.read(term) for term in synonym.term_list()]
        for synonym in Synonym.objects.all()
    ]


def query_read(text: str, *, groups: list[list[SynonymTerm]] | None = None) -> ParsedQuery:
    """Read a query against the directory: one small query (its words and acronyms), and
    one for the synonyms unless they are given."""
    found, _ = query_words(text)
    if not found:
        return ParsedQuery(truncated=len(text) > MAX_QUERY_LENGTH)
    if groups is None:
        groups = synonym_groups()
    known = (
        SearchWord.objects.filter(word__in=found)
        .values_list("word", Value(False, output_field=BooleanField()))
        .union(
            SearchEntry.objects.structures()
            .filter(acronym_key__in=found)
            .values_list("acronym_key", Value(True, output_field=BooleanField()))
        )
    )
    vocabulary, acronyms = set(), set()
    for word, is_acronym in known:
        (acronyms if is_acronym else vocabulary).add(word)
    return query_parse(text, groups=groups, acronyms=acronyms, vocabulary=vocabulary)
