"""Search the directory: ranked fiches, 20 a page, with filters, themes and suggestions.

The structure whose name or acronym is the query comes first; then the fiches whose
name, title or structure matches; then the others by rank (structures/search). Nothing
of the query is kept: only the day's counts of searches and of searches without result.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Q, Value, When, prefetch_related_objects

from ..enums import UsageEvent
from ..hours.state import hours_annotate
from ..models import SearchEntry
from ..search.analysis import stem, words
from ..search.engines import engine
from ..search.facets import ENTRIES
from ..search.query import ParsedQuery, query_read, synonym_groups
from ..usage import usage_counts
from .filters import FILTERS, THEME_FACET, FilterSet

PER_PAGE = 20
SUGGEST_BELOW = 3  # fewer results than this: look for the words the person meant
MAX_SUGGESTIONS = 3


@dataclass
class Suggestion:
    query: str
    count: int


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    filters: FilterSet
    page: Page | None = None
    total: int = 0
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        """A query, or at least a filter: there is something to show."""
        return bool(self.parsed) or self.filters.active


def entries_ranked(parsed: ParsedQuery):
    """The index entries that match, best first (every entry, by name, without a query)."""
    entries = SearchEntry.objects.annotate(
        is_structure=Case(When(service__isnull=True, then=Value(1)), default=Value(0))
    )
    if not parsed:
        return entries.order_by("-is_structure", "name_key", "pk")
    exact = Q(service__isnull=True) & (
        Q(name_key__in=parsed.exact_keys) | Q(acronym_key__in=parsed.exact_keys)
    )
    return (
        engine()
        .matching(entries, parsed)
        .annotate(exact=Case(When(exact, then=Value(1)), default=Value(0)))
        .order_by("-exact", "-title_match", "-score", "-is_structure", "name_key", "pk")
    )


def _count(parsed: ParsedQuery, filters: FilterSet) -> int:
    return filters.apply(entries_ranked(parsed)).count()


def search_directory(*, query: str, params, page_number=1) -> SearchResults:
    groups = synonym_groups()
    parsed = query_read(query, groups=groups)
    filters = FilterSet(params, filters=[THEME_FACET, *FILTERS], on=ENTRIES)
    results = SearchResults(query=query, parsed=parsed, filters=filters)
    if not results.asked:
        return results
    results.total = filters.count(entries_ranked(parsed))
    if not results.total and len(parsed.clauses) > 1:
        parsed.match_any = True  # nothing has every word: those that have some of them
        results.total = filters.count(entries_ranked(parsed))
    # Rank the entries alone, then read the page's own with their structure and fiche:
    # a broad query ranks thousands of entries, and joins and sorts none of their texts.
    ranked = filters.apply(entries_ranked(parsed)).values_list("pk", flat=True)
    paginator = Paginator(ranked, PER_PAGE)
    paginator.count = results.total  # already counted with the filters
    results.page = paginator.get_page(page_number)
    ids = list(results.page.object_list)
    found = SearchEntry.objects.listed().select_related("structure", "service").in_bulk(ids)
    results.page.object_list = [found[pk] for pk in ids if pk in found]  # one may just go
    _themes_prefetch(results.page.object_list)
    if parsed and results.total < SUGGEST_BELOW and parsed.unknown:
        results.suggestions = suggestions_find(parsed, filters, groups=groups)
    if parsed and str(page_number or 1) == "1":  # a search, not a turn of its pages
        empty = [] if results.total else [UsageEvent.SEARCH_EMPTY]
        usage_counts(events=[UsageEvent.SEARCH, *empty])  # one statement
    return results


def _themes_prefetch(entries) -> None:
    """The services' themes, and the state of every result's hours."""
    services, structures = [], []
    for entry in entries:
        if entry.service_id:
            entry.service.structure = entry.structure  # already loaded with the entry
            services.append(entry.service)
        else:
            structures.append(entry.structure)
    prefetch_related_objects(services, "themes")
    hours_annotate([*services, *structures])


def suggestions_find(parsed: ParsedQuery, filters: FilterSet, *, groups) -> list[Suggestion]:
    """« Vouliez-vous dire … ? »: the query with its unknown words replaced by the closest
    words of the directory, when that finds something."""
    candidates = {
        word: engine().similar_words(word, limit=MAX_SUGGESTIONS) for word in parsed.unknown
    }
    queries = []
    for rank in range(MAX_SUGGESTIONS):
        replaced = []
        for word in parsed.words:
            options = candidates.get(word)
            if options is None:
                replaced.append(word)
            elif options:
                replaced.append(options[min(rank, len(options) - 1)].spelling)
        text = " ".join(replaced)
        if replaced != parsed.words and text not in queries:
            queries.append(text)
    suggestions, seen = [], set()
    for text in queries:
        stems = tuple(stem(word) for word in words(text))
        if stems in seen:  # « logements » after « logement » finds the same fiches
            continue
        seen.add(stems)
        count = _count(query_read(text, groups=groups), filters)
        if count:
            suggestions.append(Suggestion(text, count))
    return suggestions
