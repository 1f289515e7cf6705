"""Every field that a printed document shows gives a new edition when it changes.

A change must do two things: change the directory's fingerprint (so that the editions
are rebuilt) and change the HTML of a part of the booklet (so that the rebuild produces
a new edition instead of keeping the previous one). Both are checked here for every
printed field, without rendering any PDF. A new field must be put in PRINTED or
NOT_PRINTED: `test_every_field_is_either_printed_or_not` fails until it is.
"""

import pytest

from liaison.booklet.context import WHOLE_DIRECTORY, booklet_context
from liaison.booklet.editions import directory_fingerprint
from liaison.booklet.parts import BookletRender
from structures.enums import StepFreeAccess, StructureKind
from structures.models import Contact, Service, Structure, Territory, Theme

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory

TEXT = "Valeur modifiée pour l'essai"
PRINTED = {
    "territory": {
        "name": TEXT,
        "coordinating_structure": "other",
        "contact_name": TEXT,
        "phone": "04 65 71 99 99",
        "email": "autre@example.org",
        "address": TEXT,
    },
    "theme": {"name": TEXT, "order": 9, "description": TEXT},
    "structure": {
        "name": TEXT,
        "acronym": "AUTRE",
        "kind": StructureKind.ASSOCIATION,
        "role": TEXT,
        "address": TEXT,
        "postcode": "69001",
        "city": TEXT,
        "phone": "04 65 71 99 99",
        "phone_other": "115",
        "email": "autre@example.org",
        "website": "https://autre.example.org",
        "weekly_hours": "Mo-Fr 09:00-12:00; PH off",
        "opening_hours": TEXT,
        "bus_lines": "C99",
        "bus_stop": TEXT,
        "step_free_access": StepFreeAccess.NON,
        "access_details": TEXT,
        "partner_expectations": TEXT,
        "partnership_limits": TEXT,
        "is_annex": True,
    },
    "service": {
        "structure": "other",
        "title": TEXT,
        "summary": TEXT,
        "objectives": TEXT,
        "audience": TEXT,
        "access_conditions": TEXT,
        "procedure": TEXT,
        "weekly_hours": "Sa 09:00-12:00",
        "place_and_hours": TEXT,
        "documents": TEXT,
        "is_active": False,
        "themes": "other",
    },
    "contact": {
        "structure": "other",
        "service": "its service",
        "name": TEXT,
        "function": TEXT,
        "phone": "04 65 71 99 99",
        "email": "autre@example.org",
        "order": 9,
    },
}
NOT_PRINTED = {
    "territory": {"welcome_text"},
    # person_label words the fiche parcours, which is rendered on demand, not an edition.
    "theme": {"slug", "datainclusion_codes", "person_label"},
    # version: the edit counter that refuses a lost update (structures/conflicts.py).
    "structure": {"slug", "uid", "search_text", "last_reviewed_at", "created_at", "updated_at"}
    | {"version"},
    # The search filters' data: on paper, the fiche's own texts say it in words.
    "service": {"slug", "uid", "search_text", "last_reviewed_at", "created_at", "updated_at"}
    | {"publics", "fee", "reception_modes", "walk_in", "version"},
    "contact": {"uid", "updated_at"},
}
MODELS = {
    "territory": Territory,
    "theme": Theme,
    "structure": Structure,
    "service": Service,
    "contact": Contact,
}


@pytest.fixture
def printed(db):
    """One of each, printed in the booklet, and another of each to move things to."""
    housing = ThemeFactory(name="Logement", slug="logement", order=1, description="Se loger.")
    health = ThemeFactory(name="Santé", slug="sante", order=2, description="Se soigner.")
    structure = StructureFactory(name="Maison des Alouettes", kind=StructureKind.SERVICE_MUNICIPAL)
    other = StructureFactory(name="Maison des Bleuets")
    service = ServiceFactory(structure=structure, title="Accueil logement", themes=[housing])
    ServiceFactory(structure=other, title="Accueil santé", themes=[health])
    contact = ContactFactory(structure=structure, name="Référente", order=1)
    ContactFactory(structure=structure, name="Autre référente", order=2)
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône"
    territory.coordinating_structure = structure
    territory.save()
    return {
        "territory": territory,
        "theme": housing,
        "structure": structure,
        "service": service,
        "contact": contact,
        "other": {"structure": other, "theme": health, "service": service},
    }


def booklet_keys() -> list[str]:
    context = booklet_context(options=WHOLE_DIRECTORY)
    return BookletRender(context=context, pool=None).source_keys()


def _change(printed, model: str, field: str, value):
    instance = printed[model]
    if value == "other":
        target = printed["other"]["theme" if field == "themes" else "structure"]
        if field == "themes":
            instance.themes.add(target)
            return
        value = target
    elif value == "its service":
        value = printed["other"]["service"]
    setattr(instance, field, value)
    instance.save()


@pytest.mark.parametrize(
    ("model", "field"), [(model, field) for model, fields in PRINTED.items() for field in fields]
)
def test_changing_a_printed_field_gives_a_new_edition(printed, model, field):
    fingerprint, keys = directory_fingerprint(), booklet_keys()
    _change(printed, model, field, PRINTED[model][field])
    assert directory_fingerprint() != fingerprint, "the editions would not be rebuilt"
    assert booklet_keys() != keys, "the rebuild would keep the previous edition"


@pytest.mark.parametrize("model", MODELS)
def test_every_field_is_either_printed_or_not(model):
    fields = {
        field.name
        for field in MODELS[model]._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    }
    unclassified = fields - set(PRINTED[model]) - NOT_PRINTED[model]
    assert not unclassified, f"put {sorted(unclassified)} in PRINTED or NOT_PRINTED"
