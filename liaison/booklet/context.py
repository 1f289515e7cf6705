"""What a booklet holds: its options and everything its templates need.

`booklet_context` gathers everything in a fixed number of queries; parts.py renders it
and editions.py keeps the editions.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from itertools import groupby

from django.utils import timezone

from structures.directory.grouping import group_by_fiche, group_by_structure, group_by_theme
from structures.hours.banners import current_banners_attach
from structures.models import Contact, Service, Structure, TemporaryChange, Territory, Theme
from structures.text import normalize_for_search


@dataclass(frozen=True)
class BookletOptions:
    """What goes into a booklet. No theme slug means the whole répertoire.

    `two_sided`: each part opens on a right-hand page, with blank backs where needed, and
    the inner margin alternates (parts.py); one-sided, no blank page and the inner margin
    always on the left.
    """

    theme_slugs: tuple[str, ...] = ()
    with_annexes: bool = True
    with_contacts: bool = True
    two_sided: bool = True

    @property
    def is_whole(self) -> bool:
        return not self.theme_slugs

    @property
    def single_theme(self) -> str | None:
        """The slug of the one theme of a theme booklet with the usual choices."""
        if len(self.theme_slugs) == 1 and replace(self, theme_slugs=()) == WHOLE_DIRECTORY:
            return self.theme_slugs[0]
        return None

    @property
    def variant(self) -> str:
        """A short, stable, file-name-safe name of these options."""
        key = json.dumps(self.as_json(), sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()[:12]

    def as_json(self) -> dict:
        return {**asdict(self), "theme_slugs": sorted(self.theme_slugs)}

    @classmethod
    def from_json(cls, data: dict) -> "BookletOptions":
        return cls(**{**data, "theme_slugs": tuple(data.get("theme_slugs", ()))})


WHOLE_DIRECTORY = BookletOptions()


@dataclass
class IndexEntry:
    label: str
    target: str
    see: str = ""
    page: int = 0  # written in when the booklet is rendered in parts
    sort_key: str = field(init=False)

    def __post_init__(self):
        self.sort_key = normalize_for_search(self.label)


def _alphabetical(structure):
    """Dictionary order, whatever the database collation: "Églantines" sorts with the Es."""
    return (normalize_for_search(structure.name), structure.pk)


def _sections(themes, services):
    """[(theme, [(structure, [service, …]), …]), …] keeping only themes with services."""
    return [
        (theme, group_by_structure(items))
        for theme, items in group_by_theme(services, themes=themes)
    ]


def booklet_context(*, options: BookletOptions, produced_at: datetime | None = None) -> dict:
    """Everything the booklet template needs, in seven queries whatever the size."""
    themes = list(Theme.objects.order_by("order", "name"))
    if not options.is_whole:
        themes = [theme for theme in themes if theme.slug in options.theme_slugs]
    chosen = {theme.pk for theme in themes}

    services = Service.objects.active().select_related("structure").prefetch_related("themes")
    if not options.with_annexes:
        services = services.local()
    services = [s for s in services if any(t.pk in chosen for t in s.themes.all())]
    services.sort(key=lambda s: (*_alphabetical(s.structure), normalize_for_search(s.title)))

    if options.is_whole:
        structures = Structure.objects.all()
        if not options.with_annexes:
            structures = structures.local()
        structures = sorted(structures, key=_alphabetical)
    else:
        unique = {service.structure.pk: service.structure for service in services}
        structures = sorted(unique.values(), key=_alphabetical)

    _attach_contacts(structures, services, with_contacts=options.with_contacts)
    today = timezone.localdate(produced_at) if produced_at else timezone.localdate()
    current_banners_attach(
        structures, services, TemporaryChange.objects.current_on(today), today=today
    )
    local_services = [s for s in services if not s.structure.is_annex]
    annex_services = [s for s in services if s.structure.is_annex]
    local_structures = [s for s in structures if not s.is_annex]
    annex_structures = [s for s in structures if s.is_annex]

    return {
        "territory": Territory.load(),
        "options": options,
        "produced_at": produced_at or timezone.now(),
        "themes": themes,
        "sections": _sections(themes, local_services),
        "structures": local_structures,
        "annex_sections": _sections(themes, annex_services),
        "annex_structures": annex_structures,
        "index": _index(structures),
    }


def _attach_contacts(structures, services, *, with_contacts):
    contacts = []
    if with_contacts:
        structure_ids = {s.pk for s in structures} | {s.structure_id for s in services}
        contacts = Contact.objects.filter(structure__in=structure_ids).order_by("order", "name")
    contacts_attach(structures, services, contacts)


def contacts_attach(structures, services, contacts) -> None:
    """Give each structure its `general_contacts` and each service its `own_contacts`,
    from `contacts` in the order they are to be printed."""
    by_structure, by_service = group_by_fiche(contacts)
    for structure in structures:
        structure.general_contacts = by_structure.get(structure.pk, [])
    for service in services:
        service.own_contacts = by_service.get(service.pk, [])
        service.structure.general_contacts = by_structure.get(service.structure_id, [])


def _index(structures):
    """Structures by name and by acronym, in alphabetical order, grouped by initial."""
    entries = []
    for structure in structures:
        target = f"structure-{structure.pk}"
        entries.append(IndexEntry(structure.name, target))
        if structure.acronym and structure.acronym != structure.name:
            entries.append(IndexEntry(structure.acronym, target, see=structure.name))
    entries.sort(key=lambda entry: (entry.sort_key, entry.label))
    by_letter = groupby(entries, lambda entry: (entry.sort_key[:1] or "#").upper())
    return [(letter, list(items)) for letter, items in by_letter]
