"""Two people edit the same fiche: the second save never silently erases the first."""

import pytest
from django.urls import reverse

from structures.conflicts import EditConflict
from structures.espace.forms import StructureForm
from structures.models import Service, Structure

from .factories import ServiceFactory, ThemeFactory, UserFactory
from .html_utils import form_values


@pytest.fixture
def second_editor(structure_a):
    return UserFactory(username="editeur-a-bis", structure=structure_a, editor=True)


@pytest.fixture
def service_a(structure_a):
    return ServiceFactory(
        structure=structure_a, title="Accueil des familles", themes=[ThemeFactory(name="Santé")]
    )


def _open(client, url):
    """GET the page and read its form as the browser would post it."""
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode())


def _second_save(url, first, second, *, first_changes, second_changes):
    """Both open the form; `first` saves its changes, then `second` its own: the page that
    answers `second` (the form again, with what changed meanwhile)."""
    first_form, second_form = _open(first, url), _open(second, url)
    assert first.post(url, first_form | first_changes).status_code == 302
    response = second.post(url, second_form | second_changes)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_identity_save_is_refused_with_what_changed_and_keeps_its_input(
    editor_a, second_editor, structure_a, client_for
):
    url = reverse("structures:espace_structure_edit")
    second = client_for(second_editor)
    html = _second_save(
        url,
        client_for(editor_a),
        second,
        first_changes={"phone": "04 65 71 20 20"},
        second_changes={"opening_hours": "Le mardi, 14 h – 17 h"},
    )

    assert "pendant que vous la modifiiez" in html
    assert "Téléphone : « 04 65 71 00 00 » → « 04 65 71 20 20 »" in html
    assert "Dominique Partenaire" in html  # who saved meanwhile
    structure_a.refresh_from_db()
    assert structure_a.phone == "04 65 71 20 20"  # the first save is kept
    assert structure_a.opening_hours == "Du lundi au vendredi, 9 h – 12 h"
    again = form_values(html)
    assert again["opening_hours"] == "Le mardi, 14 h – 17 h"  # what was typed is still there
    assert again["phone"] == "04 65 71 00 00"

    # Saved again, deliberately: the re-displayed form carries the new version.
    assert second.post(url, again).status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.opening_hours == "Le mardi, 14 h – 17 h"


def test_a_save_without_anyone_else_passes_and_raises_the_version(
    editor_a, structure_a, client_for
):
    url = reverse("structures:espace_structure_edit")
    client = client_for(editor_a)
    before = structure_a.version
    for hours in ["Lundi", "Mardi"]:
        form = _open(client, url)
        form["opening_hours"] = hours
        assert client.post(url, form).status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.opening_hours == "Mardi"
    assert structure_a.version == before + 2


def test_a_review_mark_meanwhile_is_not_a_conflict(editor_a, structure_a, client_for):
    """Marking the fiche as reviewed changes no field of the form: the save goes through."""
    url = reverse("structures:espace_structure_edit")
    client = client_for(editor_a)
    form = _open(client, url)
    client.post(reverse("structures:espace_structure_confirm"))
    form["bus_stop"] = "Gare"
    assert client.post(url, form).status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.bus_stop == "Gare"


def test_the_second_service_save_shows_the_themes_changed_meanwhile(
    editor_a, second_editor, service_a, client_for
):
    url = reverse("structures:espace_service_edit", args=[service_a.pk])
    themes = [str(service_a.themes.get().pk), str(ThemeFactory(name="Emploi").pk)]
    html = _second_save(
        url,
        client_for(editor_a),
        client_for(second_editor),
        first_changes={"themes": themes, "summary": "Pour toutes les familles."},
        second_changes={"procedure": "Écrire à l'accueil."},
    )

    assert "Thématiques : « Santé » → « Emploi, Santé »" in html
    assert "Résumé en une ligne : « Un accompagnement pour les habitants. »" in html
    service_a.refresh_from_db()
    assert service_a.summary == "Pour toutes les familles."
    assert service_a.procedure == "Appeler l'accueil pour prendre rendez-vous."
    assert set(service_a.themes.values_list("name", flat=True)) == {"Santé", "Emploi"}
    assert form_values(html)["procedure"] == "Écrire à l'accueil."


def test_two_forms_validated_together_cannot_both_save(structure_a):
    """The version is compared in the UPDATE itself: the slower of two saves that were
    both checked before either wrote is refused."""
    data = form_values_of(structure_a)
    first = StructureForm({**data, "phone": "04 65 71 20 20"}, instance=_fresh(structure_a))
    second = StructureForm({**data, "city": "Lyon"}, instance=_fresh(structure_a))
    assert first.is_valid()
    assert second.is_valid()
    first.save()
    with pytest.raises(EditConflict):
        second.save()
    structure_a.refresh_from_db()
    assert (structure_a.phone, structure_a.city) == ("04 65 71 20 20", "Bellecombe-sur-Saône")


def _fresh(structure):
    return Structure.objects.get(pk=structure.pk)


def form_values_of(structure):
    form = StructureForm(instance=structure)
    data = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.mark.parametrize("model", ["structure", "service"])
def test_the_admin_refuses_the_second_save_with_what_changed(
    model, coordinator, service_a, client_for
):
    fiche = service_a if model == "service" else service_a.structure
    url = reverse(f"admin:structures_{model}_change", args=[fiche.pk])
    other = UserFactory(username="coordination-2", coordinator=True, is_staff=True)
    second = client_for(other)
    field = "summary" if model == "service" else "bus_stop"
    label, before = (
        ("Résumé en une ligne", "Un accompagnement pour les habitants.")
        if model == "service"
        else ("Arrêt", "Mairie")
    )

    html = _second_save(
        url,
        client_for(coordinator),
        second,
        first_changes={field: "Changé par la première"},
        second_changes={"audience" if model == "service" else "city": "Changé par la seconde"},
    )

    assert f"{label} : « {before} » → « Changé par la première »" in html
    assert form_values(html, index=_admin_form(html))[field] != "Changé par la première"
    fiche.refresh_from_db()
    assert getattr(fiche, field) == "Changé par la première"
    again = form_values(html, index=_admin_form(html))
    assert second.post(url, again).status_code == 302
    fiche.refresh_from_db()
    assert getattr(fiche, "audience" if model == "service" else "city") == "Changé par la seconde"


def _admin_form(html):
    """The index of the admin's change form among the page's forms (the logout form is
    one of them)."""
    reader_forms = html.split("<form")
    for index, chunk in enumerate(reader_forms[1:]):
        if 'id="structure_form"' in chunk[:200] or 'id="service_form"' in chunk[:200]:
            return index
    raise AssertionError("no change form")


def test_reverting_to_an_old_version_in_the_admin_is_not_a_conflict(coordinator_client):
    service = ServiceFactory(summary="Première version", themes=[ThemeFactory()])
    service.summary = "Deuxième version"
    service.save()
    oldest = service.history.order_by("history_date").first()
    url = reverse("admin:structures_service_simple_history", args=[service.pk, oldest.history_id])
    form = form_values(coordinator_client.get(url).content.decode(), index=-1)
    assert form["summary"] == "Première version"
    assert coordinator_client.post(url, form).status_code == 302
    service = Service.objects.get(pk=service.pk)
    assert service.summary == "Première version"
    assert service.version == 3
