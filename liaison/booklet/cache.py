"""Editions of the booklet, kept in Django's storage (shared by every application server).

An edition is served as it is for as long as the directory has not changed, which
`directory_fingerprint` tells cheaply; `booklet_get` builds one when none matches.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Sum

from structures.models import Contact, Service, Structure, Territory, Theme

from .context import WHOLE_DIRECTORY, BookletOptions, booklet_context
from .parts import booklet_parts_render

CACHE_DIRECTORY = "livrets"


@dataclass
class Edition:
    """A booklet kept in the storage."""

    name: str
    produced_at: datetime
    size: int = 0


def directory_fingerprint() -> str:
    """Changes whenever anything that a printed document shows changes.

    Themes and the territory are few rows: every one of their fields is hashed, so a new
    field is followed without anyone thinking of it. Structures, services and contacts
    are many: their count catches deletions and their latest `updated_at` every save;
    the theme links, their count and the sum of their ids. Six small queries.
    """
    fiches = [
        model.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        for model in (Structure, Service, Contact)
    ]
    parts = [
        list(Theme.objects.order_by("pk").values_list()),
        list(Territory.objects.values_list()),
        *fiches,
        Service.themes.through.objects.aggregate(count=Count("pk"), total=Sum("pk")),
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return digest[:16]


def booklet_render(*, options: BookletOptions, produced_at: datetime | None = None) -> bytes:
    context = booklet_context(options=options, produced_at=produced_at)
    return booklet_parts_render(context=context)


def _edition_name(options: BookletOptions, fingerprint: str) -> str:
    return f"{CACHE_DIRECTORY}/{options.variant}-{fingerprint}.pdf"


def booklet_current_edition(*, options: BookletOptions = WHOLE_DIRECTORY) -> Edition | None:
    """The cached edition that matches today's directory, if one was produced."""
    name = _edition_name(options, directory_fingerprint())
    if not default_storage.exists(name):
        return None
    return Edition(
        name=name,
        produced_at=default_storage.get_modified_time(name),
        size=default_storage.size(name),
    )


def booklet_build(*, options: BookletOptions = WHOLE_DIRECTORY) -> Edition:
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


def booklet_get(*, options: BookletOptions = WHOLE_DIRECTORY) -> Edition:
    """The current edition of these options: from the cache, or built now."""
    return booklet_current_edition(options=options) or booklet_build(options=options)
