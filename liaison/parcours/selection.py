"""The parcours being prepared: an ordered list of service ids in the session, nothing else.

The session never holds anything about the person: the first name, difficulties and
appointments typed on /parcours/ live only for the request that renders the PDF.
"""

from datetime import timedelta
from itertools import zip_longest

from django.db.models import Prefetch
from django.utils import timezone

from structures.hours.banners import change_banner
from structures.hours.week import Week
from structures.hours.wording import week_lines
from structures.models import Contact, Service, TemporaryChange
from structures.text import text_lines

from .wording import with_article

SESSION_KEY = "parcours"
MAX_SERVICES = 12
CHANGES_AHEAD_DAYS = 30  # a closure in the next 30 days is printed on the fiche


def parcours_ids(session) -> list[int]:
    """The selected service ids, in the chosen order (bad session content is dropped)."""
    ids = session.get(SESSION_KEY, [])
    if not isinstance(ids, list):
        return []
    return [value for value in ids if isinstance(value, int)]


def _save(session, ids: list[int]) -> None:
    if ids:
        session[SESSION_KEY] = ids
    else:
        session.pop(SESSION_KEY, None)


def parcours_add(session, *, service_id: int) -> bool:
    """Add a service at the end; False when it is already there or the list is full."""
    ids = parcours_ids(session)
    if service_id in ids or len(ids) >= MAX_SERVICES:
        return False
    _save(session, [*ids, service_id])
    return True


def parcours_remove(session, *, service_id: int) -> None:
    _save(session, [value for value in parcours_ids(session) if value != service_id])


def parcours_move(session, *, service_id: int, offset: int) -> None:
    """Move a service up (offset -1) or down (offset +1) in the list."""
    ids = parcours_ids(session)
    if service_id not in ids:
        return
    index = ids.index(service_id)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    _save(session, ids)


def parcours_clear(session) -> None:
    _save(session, [])


def parcours_services(session) -> list[Service]:
    """The selected active services in the chosen order, with what the PDF shows."""
    ids = parcours_ids(session)
    today = timezone.localdate()
    changes = TemporaryChange.objects.overlapping(today, today + timedelta(days=CHANGES_AHEAD_DAYS))
    services = (
        Service.objects.active()
        .select_related("structure")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("order", "name")),
            Prefetch(
                "structure__contacts",
                queryset=Contact.objects.filter(service__isnull=True).order_by("order", "name"),
                to_attr="general_contacts",
            ),
            Prefetch("structure__temporary_changes", queryset=changes, to_attr="coming_changes"),
        )
    )
    by_id = {service.pk: service for service in services.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def parcours_hours(service: Service) -> str:
    """The fiche's hours in words (its own, or its structure's), then the note."""
    structure = service.structure
    weekly = service.weekly_hours or structure.weekly_hours
    note = service.place_and_hours or structure.opening_hours
    return "\n".join([*week_lines(Week.from_osm(weekly)), *([note] if note else [])])


def batched(items: list, size: int) -> list[tuple]:
    return list(zip_longest(*[iter(items)] * size, fillvalue=""))


def parcours_contact(service: Service) -> dict:
    """What the person needs to reach one contact, in plain words."""
    structure = service.structure
    people = list(service.contacts.all()) or structure.general_contacts
    documents = text_lines(service.documents)
    return {
        "structure_name": str(structure),
        "structure_in_sentence": with_article(structure.name),
        "service_title": service.title,
        "summary": service.summary,
        "address": structure.full_address,
        "bus_lines": structure.bus_lines,
        "bus_stop": structure.bus_stop,
        "hours": parcours_hours(service),
        "changes": [
            change_banner(change).full_text
            for change in getattr(structure, "coming_changes", [])
            if change.service_id in (None, service.pk)
        ],
        "phone": structure.phone,
        "person": people[0] if people else None,
        "documents": documents,
        # Two papers a line: the list takes half the height.
        "document_pairs": list(batched(documents, 2)),
    }
