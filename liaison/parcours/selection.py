"""The parcours being prepared: an ordered list of service ids in the session, nothing else.

The session never holds anything about the person: the first name, difficulties and
appointments typed on /parcours/ live only for the request that renders the PDF.
"""

from itertools import zip_longest

from django.db.models import Prefetch

from structures.models import Contact, Service
from structures.text import text_lines

from .wording import with_article

SESSION_KEY = "parcours"
MAX_SERVICES = 12


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
        )
    )
    by_id = {service.pk: service for service in services.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


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
        "hours": service.place_and_hours or structure.opening_hours,
        "phone": structure.phone,
        "person": people[0] if people else None,
        "documents": documents,
        # Two papers a line: the list takes half the height.
        "document_pairs": list(batched(documents, 2)),
    }
