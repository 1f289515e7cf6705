"""Every text of a fiche has a length limit, enforced by every door, and a fiche at its
limits still prints: the booklet, the structure sheet and the fiche parcours."""

import json

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from liaison.booklet.context import BookletOptions
from liaison.booklet.editions import booklet_render
from liaison.booklet.sheets import sheet_html, sheet_structures
from liaison.pdf import pdf_render_html
from structures.data.exports import directory_json_files
from structures.data.planning import records_import
from structures.data.readers import json_records_read
from structures.data.records import ImportReport
from structures.fields import ChoiceSetField, MultilineTextField
from structures.models import Contact, Service, Structure, Territory, Theme

from .directory_data import import_files, problems_of, table_csv
from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory
from .form_data import identity_data
from .pdf_utils import pdf_pages_text

FICHE_MODELS = [Structure, Service, Contact, Territory, Theme]
MILLION = "x" * 1_000_000
# « 1 000 000 caractères : la limite est de 1 000 (999 000 de trop). »
MILLION_REFUSED = (
    "1\u202f000\u202f000 caractères : la limite est de 1\u202f000 (999\u202f000 de trop)."
)


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, ChoiceSetField)
    ]


@pytest.mark.parametrize("model", FICHE_MODELS, ids=lambda model: model.__name__)
def test_every_text_of_a_fiche_has_a_length_limit(model):
    for field in text_fields(model):
        assert field.max_length, f"{model.__name__}.{field.name} has no max_length"
        assert field.max_length <= 2000, f"{model.__name__}.{field.name}"


def test_opening_hours_of_a_million_characters_are_refused_in_mon_espace_and_kept(
    structure_a, editor_a, client_for
):
    before = structure_a.opening_hours
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, opening_hours=MILLION),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opening_hours"] == [MILLION_REFUSED]
    html = response.content.decode()
    assert MILLION_REFUSED in html
    assert MILLION in html  # what was typed is still in the form, to be cut down
    structure_a.refresh_from_db()
    assert structure_a.opening_hours == before


def test_the_text_areas_do_not_cut_a_pasted_text_silently(structure_a, editor_a, client_for):
    form = client_for(editor_a).get(reverse("structures:espace_structure_edit")).context["form"]
    assert "maxlength" not in form["opening_hours"].as_widget()
    assert 'maxlength="200"' in form["name"].as_widget()


def test_the_admin_refuses_the_same_text(coordinator_client, structure_a):
    url = reverse("admin:structures_structure_change", args=[structure_a.pk])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"opening_hours": MILLION, "kind": structure_a.kind}
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert MILLION_REFUSED in response.content.decode()
    structure_a.refresh_from_db()
    assert structure_a.opening_hours != MILLION


def test_a_json_import_names_the_line_and_the_field_of_a_text_too_long(db):
    structure = StructureFactory(slug="ccas")
    document = json.loads(directory_json_files()["repertoire.json"])
    document["structures"][0]["horaires"] = MILLION
    report = ImportReport()
    records = json_records_read(
        files={"repertoire.json": json.dumps(document).encode()}, report=report
    )
    records_import(records=records, apply=True, report=report)
    assert not report.applied
    [problem] = problems_of(report)
    assert problem.startswith(
        "repertoire.json, structures, enregistrement n° 1, colonne « horaires »"
    ), problem
    assert problem.endswith(MILLION_REFUSED), problem[-200:]
    structure.refresh_from_db()
    assert structure.opening_hours != MILLION


def test_a_csv_import_says_how_far_over_a_cell_is(db):
    content = table_csv(
        "structures",
        {"identifiant": "ccas", "nom": "CCAS", "code_postal": "69300", "horaires": "h" * 1500},
        {"identifiant": "cidff", "nom": "N" * 201, "code_postal": "69300"},
    )
    report = import_files({"structures.csv": content}, apply=True)
    assert not report.applied
    assert problems_of(report) == [
        "structures.csv, ligne 2, colonne « horaires » : 1\u202f500 caractères : la limite "
        "est de 1\u202f000 (500 de trop).",
        "structures.csv, ligne 3, colonne « nom » : 201 caractères : la limite est de 200 "
        "(1 de trop).",
    ]


def full_text(field, *, multiline):
    """A text of exactly max_length characters that ends with a marker naming the field."""
    marker = " fin" + field.name.replace("_", "")
    line = "Du lundi au vendredi de neuf heures à midi sur rendez-vous"
    body = ("\n" if multiline else " ").join([line] * (field.max_length // len(line) + 1))
    return body[: field.max_length - len(marker)] + marker


def fill_to_the_limit(instance):
    for field in text_fields(type(instance)):
        if field.name in {"slug", "phone", "phone_other", "postcode", "email", "website"}:
            continue
        if field.name == "weekly_hours":  # a week, not a text: tests/test_hours.py, its limit
            instance.weekly_hours = "Mo-Sa 08:00-12:00,13:00-17:00,18:00-20:00; PH off"
            continue
        text = full_text(field, multiline=isinstance(field, models.TextField))
        setattr(instance, field.name, text)
    instance.full_clean(exclude=["slug", "structure", "service", "coordinating_structure"])
    instance.save()
    return instance


@pytest.fixture
def fiche_at_the_limit(db):
    theme = fill_to_the_limit(ThemeFactory(slug="logement"))
    structure = fill_to_the_limit(StructureFactory(slug="au-maximum"))
    service = fill_to_the_limit(ServiceFactory(structure=structure, themes=[theme]))
    fill_to_the_limit(ContactFactory(structure=structure, service=service))
    fill_to_the_limit(ContactFactory(structure=structure))
    fill_to_the_limit(Territory(pk=1))
    return service


def squash(text: str) -> str:
    return "".join(text.split()).replace("-", "")


def markers(fields):
    return {f"fin{name.replace('_', '')}" for name in fields}


def test_a_fiche_at_every_limit_prints_whole_in_the_structure_sheet(fiche_at_the_limit):
    [structure] = sheet_structures([fiche_at_the_limit.structure.pk])
    html = sheet_html(structure, territory=Territory.load(), produced_at=timezone.now())
    pages = pdf_pages_text(pdf_render_html(html).pdf)
    text = squash(" ".join(pages))
    printed = {  # every long text of the structure and its service
        field.name
        for model in (Structure, Service)
        for field in model._meta.get_fields()
        if isinstance(field, MultilineTextField)
    }
    missing = {marker for marker in markers(printed) if marker not in text}
    assert not missing
    assert len(pages) <= 10  # 17 000 characters of one structure and one service


def test_a_fiche_at_every_limit_prints_in_the_booklet(fiche_at_the_limit):
    pages = pdf_pages_text(booklet_render(options=BookletOptions()))
    text = squash(" ".join(pages))
    printed = {"opening_hours", "procedure", "documents", "partnership_limits", "welcome_text"}
    missing = {marker for marker in markers(printed) if marker not in text}
    assert missing <= {"finwelcometext"}  # the welcome text is the home page's only
    assert len(pages) < 40


def test_a_fiche_at_every_limit_prints_in_the_fiche_parcours(fiche_at_the_limit, partner_client):
    partner_client.post(reverse("liaison:parcours_add", args=[fiche_at_the_limit.pk]))
    response = partner_client.post(
        reverse("liaison:parcours"),
        {"first_name": "Amina", "rdv-TOTAL_FORMS": "0", "rdv-INITIAL_FORMS": "0"},
    )
    assert response["Content-Type"] == "application/pdf", response.content[:2000]
    pages = pdf_pages_text(response.content)
    text = squash(" ".join(pages))
    # The service's own place and hours replace the structure's opening hours.
    printed = {"title", "summary", "place_and_hours", "documents", "bus_lines", "bus_stop"}
    assert not {marker for marker in markers(printed) if marker not in text}
    assert len(pages) <= 4


@pytest.mark.parametrize(
    ("url_name", "prefix"),
    [
        ("structures:espace_contacts_edit", "contacts"),
        ("structures:espace_changes_edit", "changes"),
    ],
)
def test_a_post_announcing_thousands_of_rows_builds_a_bounded_number_of_forms(
    url_name, prefix, editor_a, client_for
):
    """Django builds up to 2,000 forms of a formset by default, as many as a POST
    announces, and shows them all again when they are refused: seconds of work."""
    response = client_for(editor_a).post(
        reverse(url_name),
        {f"{prefix}-TOTAL_FORMS": "2000", f"{prefix}-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) <= formset.absolute_max <= 100
    assert "au plus" in " ".join(formset.non_form_errors())


def test_a_parcours_announcing_thousands_of_appointments_builds_six_forms(partner_client):
    service = ServiceFactory()
    partner_client.post(reverse("liaison:parcours_add", args=[service.pk]))
    response = partner_client.post(
        reverse("liaison:parcours"),
        {"language": "fr", "rdv-TOTAL_FORMS": "2000", "rdv-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 6


def test_an_admin_page_announcing_thousands_of_inline_rows_builds_a_bounded_number(
    structure_a, coordinator_client
):
    response = coordinator_client.post(
        reverse("admin:structures_structure_change", args=[structure_a.pk]),
        {"contacts-TOTAL_FORMS": "2000", "contacts-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    for inline in response.context["inline_admin_formsets"]:
        assert len(inline.formset.forms) <= 500
