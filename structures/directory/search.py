"""Accent- and case-insensitive search over the directory, the same on SQLite and PostgreSQL.

Structures and services keep a normalised copy of their texts (`search_text`); the query is
normalised the same way, so "creche" finds "Crèche" and "caf" finds "CAF" on any database.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import Service, Structure, Theme
from ..text import normalize_for_search
from .grouping import group_by_theme

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8


@dataclass
class SearchResults:
    words: list[str] = field(default_factory=list)
    structures: list[Structure] = field(default_factory=list)
    themes: list[tuple[Theme, list[Service]]] = field(default_factory=list)
    truncated: bool = False

    @property
    def count(self):
        return len(self.structures) + sum(len(services) for _, services in self.themes)


def search_directory(*, query: str) -> SearchResults:
    normalized = normalize_for_search(query[:MAX_QUERY_LENGTH])
    words = [word for word in normalized.split() if len(word) > 1] or normalized.split()
    truncated = len(query) > MAX_QUERY_LENGTH or len(words) > MAX_WORDS
    words = words[:MAX_WORDS]
    if not words:
        return SearchResults(truncated=truncated)

    structures = Structure.objects.all()
    for word in words:
        structures = structures.filter(search_text__contains=word)
    services = (
        Service.objects.active()
        .matching(words)
        .select_related("structure")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
        .order_by("structure__name", "title")
    )
    return SearchResults(
        words=words,
        structures=list(structures),
        themes=group_by_theme(services),
        truncated=truncated,
    )
