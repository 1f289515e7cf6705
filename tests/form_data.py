"""The POST data of the Mon espace forms, as a browser sends them."""

from structures.hours.forms import week_post_data
from structures.hours.week import Week

from .factories import ThemeFactory


def identity_data(structure, **changes):
    data = {
        "name": structure.name,
        "acronym": structure.acronym,
        "kind": structure.kind,
        "role": structure.role,
        "address": structure.address,
        "postcode": structure.postcode,
        "city": structure.city,
        "phone": structure.phone,
        "phone_other": "",
        "email": structure.email,
        "website": "",
        "opening_hours": structure.opening_hours,
        "bus_lines": structure.bus_lines,
        "bus_stop": structure.bus_stop,
        "step_free_access": "",
        "access_details": "",
        "partner_expectations": "",
        "partnership_limits": "",
        **week_post_data("weekly_hours", Week.from_osm(structure.weekly_hours)),
    }
    return {**data, **changes}


def service_data(**changes):
    data = {
        "title": "Permanence logement",
        "themes": [ThemeFactory().pk],
        "summary": "Des conseils pour se loger.",
        "objectives": "",
        "audience": "",
        "access_conditions": "",
        "procedure": "",
        "place_and_hours": "",
        "documents": "",
    }
    return {**data, **changes}


def contacts_data(contacts, new=None):
    """The POST of the contacts formset: the existing contacts, then one new form."""
    data = {
        "contacts-TOTAL_FORMS": str(len(contacts) + 1),
        "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for index, contact in enumerate(contacts):
        data.update(
            {
                f"contacts-{index}-id": str(contact.pk),
                f"contacts-{index}-structure": str(contact.structure_id),
                f"contacts-{index}-name": contact.name,
                f"contacts-{index}-function": contact.function,
                f"contacts-{index}-phone": contact.phone,
                f"contacts-{index}-email": contact.email,
                f"contacts-{index}-service": "",
                f"contacts-{index}-order": "0",
            }
        )
    last = len(contacts)
    for field, value in (new or {}).items():
        data[f"contacts-{last}-{field}"] = value
    return data
