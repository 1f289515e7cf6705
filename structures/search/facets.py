"""What a search entry carries of its fiche for the filters (SearchEntry's facets).

A broad search in a département has thousands of results, and its filters count every
option on them: the entries carry a copy of the fields the filters read (written by
index.py with the texts), so that the counts read the index alone, without joining the
services, their structures and their themes.

The filters are written once, from Service ("fee", "structure__city", "pk__in");
lookup() turns such a path into the entry's ("structure_city", "service_id__in").
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Service, Structure

SERVICES, ENTRIES = "services", "entries"  # the rows a filter narrows


def lookup(path: str, on: str) -> str:
    """A lookup written from Service for the rows at hand: the services, or the entries."""
    if on == SERVICES:
        return path
    if path == "pk" or path.startswith("pk__"):
        return "service_id" + path.removeprefix("pk")
    return path.replace("structure__", "structure_", 1) if path.startswith("structure__") else path


def structure_facets(structure: "Structure") -> dict:
    return {
        "structure_city": structure.city,
        "structure_step_free_access": structure.step_free_access,
        "structure_weekly_hours": structure.weekly_hours,
    }


def service_facets(service: "Service") -> dict:
    """A service's facets; its themes must be prefetched."""
    return {
        "publics": service.publics,
        "reception_modes": service.reception_modes,
        "fee": service.fee,
        "walk_in": service.walk_in,
        "weekly_hours": service.weekly_hours,
        "themes": sorted(theme.pk for theme in service.themes.all()),
        **structure_facets(service.structure),
    }
