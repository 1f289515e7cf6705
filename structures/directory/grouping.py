"""Group services for display: by structure, by theme; and the rows that belong to a whole
structure or to one of its services (contacts, temporary changes). Used by the pages and
the booklet."""

from collections.abc import Callable, Iterable
from itertools import groupby

from ..models import Service, Structure, Theme


def group_by_structure(services: Iterable[Service]) -> list[tuple[Structure, list[Service]]]:
    """[(structure, [service, …]), …] for services already ordered by structure."""
    grouped = groupby(services, lambda service: service.structure)
    return [(structure, list(items)) for structure, items in grouped]


def group_by_theme(
    services: Iterable[Service], *, themes: Iterable[Theme] | None = None
) -> list[tuple[Theme, list[Service]]]:
    """[(theme, [service, …]), …]: each service under every theme it belongs to.

    The services' themes must be prefetched. With `themes`, only those themes, in that
    order; otherwise every theme met, in the coordinator's order. Themes without any of
    the services are left out; services keep their order within a theme.
    """
    by_theme: dict[int, tuple[Theme, list[Service]]] = {}
    for service in services:
        for theme in service.themes.all():
            by_theme.setdefault(theme.pk, (theme, []))[1].append(service)
    if themes is None:
        return sorted(by_theme.values(), key=lambda item: (item[0].order, item[0].name))
    return [by_theme[theme.pk] for theme in themes if theme.pk in by_theme]


def group_by_fiche(rows: Iterable, *, value: Callable = lambda row: row) -> tuple[dict, dict]:
    """({structure id: [value, …]}, {service id: [value, …]}): each row (a contact, a
    temporary change) under its structure when it has no service, else under its service."""
    by_structure, by_service = {}, {}
    for row in rows:
        if row.service_id is None:
            by_structure.setdefault(row.structure_id, []).append(value(row))
        else:
            by_service.setdefault(row.service_id, []).append(value(row))
    return by_structure, by_service
