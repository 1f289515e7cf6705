"""The paper directory: the whole répertoire (or chosen themes) as a printable booklet.

`booklet_context` gathers everything in a fixed number of queries, `booklet_render`
turns it into a PDF, and `booklet_get` serves a cached edition from Django's storage
(shared by every application server) for as long as the directory has not changed,
which `directory_fingerprint` tells cheaply.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Sum
from django.utils import timezone

from structures.models import Contact, Service, Structure, Territory, Theme
from structures.text import normalize_for_search

from .pdf import pdf_render

CACHE_DIRECTORY = "livrets"
TEMPLATE_NAME = "liaison/booklet/booklet.html"


@dataclass(frozen=True)
class BookletOptions:
    """What goes into a booklet. No theme slug means the whole répertoire."""

    theme_slugs: tuple[str, ...] = ()
    with_annexes: bool = True
    with_contacts: bool = True

    @property
    def is_whole(self) -> bool:
        return not self.theme_slugs

    @property
    def variant(self) -> str:
        """A short, file-name-safe name of these options."""
        if self == BookletOptions():
            return "repertoire-complet"
        key = json.dumps([sorted(self.theme_slugs), self.with_annexes, self.with_contacts])
        return "repertoire-" + hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass
class Edition:
    """A booklet kept in the storage."""

    name: str
    produced_at: datetime
    size: int = 0


@dataclass
class IndexEntry:
    label: str
    target: str
    see: str = ""
    sort_key: str = field(init=False)

    def __post_init__(self):
        self.sort_key = normalize_for_search(self.label)


def directory_fingerprint() -> str:
    """Changes whenever a theme, structure, service, contact or the territory changes.

    Counts catch deletions, the latest `updated_at` catches edits and additions; themes
    and the territory are few rows, hashed whole. Six small aggregate queries.
    """
    parts = [
        list(Theme.objects.order_by("pk").values_list("pk", "name", "slug", "order")),
        list(Territory.objects.values_list("name", "coordinating_structure", "phone", "email")),
    ]
    for model in (Structure, Service, Contact):
        parts.append(model.objects.aggregate(count=Count("pk"), latest=Max("updated_at")))
    links = Service.themes.through.objects.aggregate(count=Count("pk"), total=Sum("pk"))
    parts.append(links)
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return digest[:16]


def _alphabetical(structure):
    """Dictionary order, whatever the database collation: "Églantines" sorts with the Es."""
    return (normalize_for_search(structure.name), structure.pk)


def _group_by_structure(services):
    grouped = groupby(services, lambda service: service.structure)
    return [(structure, list(items)) for structure, items in grouped]


def _sections(themes, services):
    """[(theme, [(structure, [service, …]), …]), …] keeping only themes with services."""
    by_theme = {theme.pk: [] for theme in themes}
    for service in services:
        for theme in service.themes.all():
            if theme.pk in by_theme:
                by_theme[theme.pk].append(service)
    return [
        (theme, _group_by_structure(by_theme[theme.pk])) for theme in themes if by_theme[theme.pk]
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
    local_services = [s for s in services if not s.structure.is_annex]
    annex_services = [s for s in services if s.structure.is_annex]
    local_structures = [s for s in structures if not s.is_annex]
    annex_structures = [s for s in structures if s.is_annex]

    territory = Territory.objects.select_related("coordinating_structure").first()
    return {
        "territory": territory or Territory(),
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
    """Give each structure its `general_contacts` and each service its `own_contacts`."""
    by_structure, by_service = {}, {}
    if with_contacts:
        structure_ids = {s.pk for s in structures} | {s.structure_id for s in services}
        for contact in Contact.objects.filter(structure__in=structure_ids).order_by(
            "order", "name"
        ):
            if contact.service_id is None:
                by_structure.setdefault(contact.structure_id, []).append(contact)
            else:
                by_service.setdefault(contact.service_id, []).append(contact)
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


def booklet_render(*, options: BookletOptions, produced_at: datetime | None = None) -> bytes:
    context = booklet_context(options=options, produced_at=produced_at)
    return pdf_render(template_name=TEMPLATE_NAME, context=context)


def _edition_name(options: BookletOptions, fingerprint: str) -> str:
    return f"{CACHE_DIRECTORY}/{options.variant}-{fingerprint}.pdf"


def booklet_current_edition(*, options: BookletOptions = BookletOptions()) -> Edition | None:
    """The cached edition that matches today's directory, if one was produced."""
    name = _edition_name(options, directory_fingerprint())
    if not default_storage.exists(name):
        return None
    return Edition(
        name=name,
        produced_at=default_storage.get_modified_time(name),
        size=default_storage.size(name),
    )


def booklet_build(*, options: BookletOptions = BookletOptions()) -> Edition:
    """Produce a new edition, store it, and remove the outdated ones."""
    fingerprint = directory_fingerprint()
    name = _edition_name(options, fingerprint)
    pdf = booklet_render(options=options)
    if default_storage.exists(name):  # another server finished first: same content
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(pdf))
    _delete_outdated(fingerprint=fingerprint)
    return Edition(name=saved, produced_at=default_storage.get_modified_time(saved), size=len(pdf))


def _delete_outdated(*, fingerprint: str):
    """Remove the editions of every option made from an older state of the directory."""
    try:
        _, files = default_storage.listdir(CACHE_DIRECTORY)
    except FileNotFoundError:
        return
    for file_name in files:
        if not file_name.endswith(f"-{fingerprint}.pdf"):
            default_storage.delete(f"{CACHE_DIRECTORY}/{file_name}")


def booklet_get(*, options: BookletOptions = BookletOptions()) -> Edition:
    """The current edition of these options: from the cache, or built now."""
    return booklet_current_edition(options=options) or booklet_build(options=options)
