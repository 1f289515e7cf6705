"""The POST data of the forms (Mon espace, the admin, fiche liaison, fiche parcours), as a
browser sends them."""

from django.urls import reverse

from structures.hours.forms import week_post_data
from structures.hours.week import Week

from .factories import PASSWORD, ThemeFactory


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


def admin_service_data(service, *, themes, contacts=(), **changes):
    """The POST of a service's change page in the admin, with new contacts inline."""
    data = {
        "structure": service.structure.pk,
        "title": service.title,
        "slug": service.slug,
        "themes": [theme.pk for theme in themes],
        "is_active": "on",
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": "0",
    }
    for index, contact in enumerate(contacts):
        data.update({f"contacts-{index}-{field}": value for field, value in contact.items()})
    return {**data, **changes}


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


PARCOURS_URL = "/parcours/"
PERSON = {
    "last_name": "Zerbinati",
    "first_name": "Amina",
    "phone": "0699887766",
}


def liaison_url(service):
    return reverse("liaison:liaison_new") + f"?service={service.pk}"


def filled_liaison(**overrides):
    data = {
        "date": "2026-11-25",
        "sender_name": "Dominique Partenaire",
        "sender_structure": "Centre social des Alouettes",
        "sender_phone": "04 65 71 00 00",
        "sender_email": "accueil@example.org",
        "recipient_structure": "Centre communal d'action sociale (CCAS)",
        "recipient_service": "Aide au logement",
        "recipient_contact": "Nadia Exemple, Conseillère",
        "recipient_address": "12 rue des Tilleuls, 69300 Bellecombe-sur-Saône",
        **PERSON,
        "birth_date": "1980-03-14",
        "address": "",
        "languages": "arabe, français (un peu)",
        "interpreter_needed": "on",
        "request_themes": [],
        "request_text": "Demande d'aide pour payer la caution d'un nouveau logement.",
        "situation": "Vient de trouver un logement social, entrée prévue le 1er décembre.",
        "urgency": "rapide",
        "documents": "- Copie de la pièce d'identité\n- Avis d'imposition",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add(client, service, next_url=""):
    return client.post(reverse("liaison:parcours_add", args=[service.pk]), {"next": next_url})


def appointments(*rows, total=3):
    data = {
        "rdv-TOTAL_FORMS": str(total),
        "rdv-INITIAL_FORMS": "0",
        "rdv-MIN_NUM_FORMS": "0",
        "rdv-MAX_NUM_FORMS": "6",
    }
    for index, row in enumerate(rows):
        data.update({f"rdv-{index}-{key}": value for key, value in row.items()})
    return data


def parcours_form(**overrides):
    data = {
        "first_name": "Amina",
        "difficulties_text": "Payer le loyer de décembre.",
        "notes": "Garder cette feuille avec mes papiers.",
        **appointments(
            {
                "date": "2026-12-03",
                "time": "10:30",
                "with_whom": "Mme Roux",
                "place": "Mairie, bureau 4",
            }
        ),
        "action": "pdf",
    }
    data.update(overrides)
    return data
