"""Keep the search index in step with the directory: one function for every write path.

search_index_refresh() rewrites the entries of the given structures (with all their
services, which carry the structure's name and facets) and services: Fiche.save() calls
it, the fiche forms once the themes are written (conflicts.FicheVersionForm), and so do
the imports, `seed_synthetic`; search_index_rebuild() rewrites everything (`load_demo`,
restores, `manage.py search_index_rebuild`). An inactive service has no entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ..models import Public, SearchEntry, SearchWord, Service, Structure
from ..text import normalize_for_search
from .analysis import spellings
from .engines import engine
from .facets import service_facets, structure_facets

BATCH = 500


@dataclass(frozen=True)
class Texts:
    """What an entry's engine indexes, by weight: name, acronym and title first; the
    summary next; the rest last. The entry keeps none of it (the engines do): a broad
    search reads thousands of entries, and their rows stay short."""

    name: str
    summary: str
    body: str


def entry_with_texts(texts: Texts, **fields) -> SearchEntry:
    entry = SearchEntry(**fields)
    entry.texts = texts
    return entry


def structure_entry(structure: Structure) -> SearchEntry:
    return entry_with_texts(
        Texts(
            name=f"{structure.name} {structure.acronym}".strip(),
            summary="",
            body="\n".join([structure.role, structure.partner_expectations, structure.city]),
        ),
        structure=structure,
        name_key=normalize_for_search(structure.name)[:200],
        acronym_key=normalize_for_search(structure.acronym)[:30],
        **structure_facets(structure),
    )


def service_entry(service: Service) -> SearchEntry:
    structure = service.structure
    publics = [Public(value).label for value in service.publics if value in Public.values]
    return entry_with_texts(
        Texts(
            name=" ".join(filter(None, [service.title, structure.name, structure.acronym])),
            summary=service.summary,
            body="\n".join(
                [
                    service.objectives,
                    service.audience,
                    service.access_conditions,
                    service.procedure,
                    service.documents,
                    *publics,
                ]
            ),
        ),
        structure=structure,
        service=service,
        name_key=normalize_for_search(service.title)[:200],
        acronym_key=normalize_for_search(structure.acronym)[:30],
        **service_facets(service),
    )


@transaction.atomic
def search_index_refresh(
    *, structure_ids: Iterable[int] = (), service_ids: Iterable[int] = ()
) -> None:
    """Rewrite the index entries of these structures (and all their services) and services."""
    structure_ids = set(structure_ids)
    service_ids = set(service_ids)
    if structure_ids:
        service_ids |= set(
            Service.objects.filter(structure_id__in=structure_ids).values_list("pk", flat=True)
        )
    for batch in _batches(sorted(structure_ids)):
        SearchEntry.objects.structures().filter(structure_id__in=batch).delete()
        _entries_write([structure_entry(item) for item in Structure.objects.filter(pk__in=batch)])
    for batch in _batches(sorted(service_ids)):
        SearchEntry.objects.filter(service_id__in=batch).delete()
        services = Service.objects.active().filter(pk__in=batch)
        services = services.select_related("structure").prefetch_related("themes")
        _entries_write([service_entry(item) for item in services])


@transaction.atomic
def search_index_rebuild() -> int:
    """Rewrite the whole index and its vocabulary; the number of entries written."""
    SearchEntry.objects.all().delete()
    engine().entries_clear()
    SearchWord.objects.all().delete()
    count = 0
    structures = Structure.objects.order_by("pk")
    for start in range(0, structures.count(), BATCH):
        batch = list(structures[start : start + BATCH])
        count += _entries_write([structure_entry(item) for item in batch])
    services = Service.objects.active().select_related("structure").prefetch_related("themes")
    services = services.order_by("pk")
    for start in range(0, services.count(), BATCH):
        batch = list(services[start : start + BATCH])
        count += _entries_write([service_entry(item) for item in batch])
    return count


def _batches(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _entries_write(entries: list[SearchEntry]) -> int:
    engine().entries_prepare(entries)
    entries = SearchEntry.objects.bulk_create(entries, batch_size=BATCH)  # same objects
    engine().entries_index(entries)
    words = {}
    for entry in entries:
        for text in (entry.texts.name, entry.texts.summary, entry.texts.body):
            for word, spelling in spellings(text).items():
                words.setdefault(word, spelling)
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=word, spelling=spelling)
            for word, spelling in words.items()
            if len(word) <= 100 and len(spelling) <= 100
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    return len(entries)
