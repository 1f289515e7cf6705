"""Pages of structures with their fiches (theme tabs, annexes) and the A–Z, never all at once.

The structures come in their index order (accent-free name, structures.search), local
ones first, PER_PAGE a page; each brings the fiches given to the page.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.db.models.functions import Substr, Upper

from ..hours.state import hours_annotate
from ..models import SearchEntry, Service, Structure

PER_PAGE = 20
AZ_PER_PAGE = 50


@dataclass
class StructureGroups:
    page: Page
    groups: list[tuple[Structure, list[Service]]]


def structure_groups_page(services, *, page_number, structures=None) -> StructureGroups:
    """A page of (structure, its fiches among `services`); `structures`, a queryset of
    Structure, lists structures even without fiches (by default, those of the fiches)."""
    entries = SearchEntry.objects.structures().listed().select_related("structure")
    if structures is None:
        entries = entries.filter(structure__in=services.values("structure_id"))
    else:
        entries = entries.filter(structure__in=structures)
    entries = entries.order_by("structure__is_annex", "name_key", "structure_id")
    page = Paginator(entries, PER_PAGE).get_page(page_number)
    page_structures = {entry.structure_id: entry.structure for entry in page.object_list}
    by_structure = {pk: [] for pk in page_structures}
    for service in services.filter(structure__in=page_structures).order_by("title", "pk"):
        service.structure = page_structures[service.structure_id]
        by_structure[service.structure_id].append(service)
    groups = [(item, by_structure[pk]) for pk, item in page_structures.items()]
    hours_annotate(
        [*page_structures.values(), *(s for group in by_structure.values() for s in group)]
    )
    return StructureGroups(page, groups)


def letters_count() -> list[tuple[str, int]]:
    """[(initial, number of structures), …]: accents and case ignored."""
    rows = (
        SearchEntry.objects.structures()
        .annotate(letter=Upper(Substr("name_key", 1, 1)))
        .values("letter")
        .annotate(n=Count("pk"))
        .order_by("letter")
    )
    return [(row["letter"], row["n"]) for row in rows]


def structures_page(*, letter: str, page_number) -> Page:
    entries = SearchEntry.objects.structures().listed().select_related("structure")
    if letter:
        entries = entries.filter(name_key__startswith=letter.lower())
    page = Paginator(entries.order_by("name_key", "structure_id"), AZ_PER_PAGE).get_page(
        page_number
    )
    page.object_list = list(page.object_list)
    # The page's fiches counted for its structures only, not for the whole directory.
    counts = dict(
        Service.objects.filter(
            is_active=True, structure__in=[entry.structure_id for entry in page.object_list]
        )
        .values("structure")
        .annotate(n=Count("pk"))
        .values_list("structure", "n")
    )
    for entry in page.object_list:
        entry.service_count = counts.get(entry.structure_id, 0)
    return page
