"""Mon espace: an éditeur keeps its own structure's fiches, and nobody else's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from structures.models import Contact, Service, Structure

from .factories import ContactFactory, ServiceFactory, ThemeFactory
from .form_data import contacts_data, identity_data, service_data


@pytest.fixture
def service_a(structure_a):
    return ServiceFactory(
        structure=structure_a, title="Accueil des familles", themes=[ThemeFactory()]
    )


OWN_STRUCTURE_PAGES = [
    "structures:espace",
    "structures:espace_structure_edit",
    "structures:espace_structure_confirm",
    "structures:espace_contacts_edit",
    "structures:espace_service_create",
]
SERVICE_PAGES = ["structures:espace_service_edit"]
SERVICE_ACTIONS = [
    "structures:espace_service_confirm",
    "structures:espace_service_deactivate",
    "structures:espace_service_reactivate",
]

# who -> (status of the pages of one's own structure, of structure A's service pages,
#         of structure A's service actions posted)
EXPECTED = {
    "anonymous": ("login", "login", "login"),
    "reader": (403, 403, 403),
    "editor": (200, 200, 302),
    "other_editor": (200, 404, 404),
    "coordinator": ("dashboard", "dashboard", "dashboard"),
}


def _check(response, expected, url):
    if expected == "login":
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    elif expected == "dashboard":
        assert response.status_code == 302, url
        assert response.url == reverse("structures:coordination"), url
    else:
        assert response.status_code == expected, url


@pytest.mark.parametrize("who", EXPECTED)
def test_access(who, users, service_a, client_for):
    client = client_for(users[who])
    own, service_page, service_action = EXPECTED[who]
    for name in OWN_STRUCTURE_PAGES:
        url = reverse(name)
        _check(client.get(url), own, url)
    for name in SERVICE_PAGES:
        url = reverse(name, args=[service_a.pk])
        _check(client.get(url), service_page, url)
    for name in SERVICE_ACTIONS:
        url = reverse(name, args=[service_a.pk])
        _check(client.post(url), service_action, url)


def test_the_service_actions_refuse_a_get(editor_a, service_a, client_for):
    url = reverse("structures:espace_service_deactivate", args=[service_a.pk])
    assert client_for(editor_a).get(url).status_code == 405
    service_a.refresh_from_db()
    assert service_a.is_active


def test_the_home_lists_only_the_editors_own_services(editor_a, service_a, client_for):
    ServiceFactory(title="Fiche d'une autre structure")
    html = client_for(editor_a).get(reverse("structures:espace")).content.decode()
    assert "Accueil des familles" in html
    assert "autre structure" not in html
    assert "Je confirme que cette fiche est à jour" in html


def test_the_nav_shows_mon_espace_to_editors_and_coordination_to_coordinators(
    partner_a, editor_a, coordinator, client_for
):
    home = reverse("structures:home")
    reader = client_for(partner_a).get(home).content.decode()
    editor = client_for(editor_a).get(home).content.decode()
    coordination = client_for(coordinator).get(home).content.decode()
    assert "Mon espace" not in reader
    assert "Coordination<" not in reader
    assert "Mon espace" in editor
    assert 'href="/coordination/"' not in editor
    assert 'href="/coordination/"' in coordination


def test_an_editor_updates_its_identity_sheet(editor_a, structure_a, client_for):
    client = client_for(editor_a)
    response = client.post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, phone="0465712020", opening_hours="Lundi\nMardi"),
    )
    assert response.status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.phone == "04 65 71 20 20"
    assert structure_a.opening_hours == "Lundi\nMardi"


def test_a_wrong_value_is_explained_in_french_and_nothing_typed_is_lost(
    editor_a, structure_a, client_for
):
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, postcode="693", role="Un texte soigneusement tapé"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est pas un code postal" in html or "n'est pas un code postal" in html
    assert "Un texte soigneusement tapé" in html
    structure_a.refresh_from_db()
    assert structure_a.postcode == "69300"


def test_the_review_button_sets_last_reviewed_at_and_nothing_else(
    editor_a, structure_a, client_for
):
    old = timezone.now() - timezone.timedelta(days=400)
    Structure.objects.filter(pk=structure_a.pk).update(last_reviewed_at=old, updated_at=old)
    response = client_for(editor_a).post(reverse("structures:espace_structure_confirm"))
    assert response.status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.last_reviewed_at > timezone.now() - timezone.timedelta(minutes=1)
    assert structure_a.updated_at == old
    assert not Structure.objects.stale().filter(pk=structure_a.pk).exists()


def test_an_editor_confirms_a_service_is_up_to_date(editor_a, service_a, client_for):
    Service.objects.filter(pk=service_a.pk).update(last_reviewed_at=None)
    client_for(editor_a).post(reverse("structures:espace_service_confirm", args=[service_a.pk]))
    service_a.refresh_from_db()
    assert service_a.last_reviewed_at is not None


def test_an_editor_creates_a_service_in_its_own_structure_whatever_is_posted(
    editor_a, structure_a, structure_b, client_for
):
    response = client_for(editor_a).post(
        reverse("structures:espace_service_create"),
        service_data(structure=structure_b.pk, slug="forge"),
    )
    assert response.status_code == 302
    service = Service.objects.get(title="Permanence logement")
    assert service.structure == structure_a
    assert service.slug == "permanence-logement"
    assert not structure_b.services.exists()


def test_two_services_with_the_same_title_get_distinct_addresses(editor_a, client_for):
    client = client_for(editor_a)
    for _ in range(2):
        client.post(reverse("structures:espace_service_create"), service_data())
    slugs = set(Service.objects.values_list("slug", flat=True))
    assert slugs == {"permanence-logement", "permanence-logement-2"}


def test_an_editor_edits_deactivates_and_reactivates_its_service(editor_a, service_a, client_for):
    client = client_for(editor_a)
    response = client.post(
        reverse("structures:espace_service_edit", args=[service_a.pk]),
        service_data(title="Accueil des familles le mardi"),
    )
    assert response.status_code == 302
    service_a.refresh_from_db()
    assert service_a.title == "Accueil des familles le mardi"
    client.post(reverse("structures:espace_service_deactivate", args=[service_a.pk]))
    service_a.refresh_from_db()
    assert not service_a.is_active
    assert client.get(service_a.get_absolute_url()).status_code == 404
    client.post(reverse("structures:espace_service_reactivate", args=[service_a.pk]))
    service_a.refresh_from_db()
    assert service_a.is_active


def test_another_structures_service_cannot_be_changed_by_a_forged_post(
    editor_b, service_a, client_for
):
    client = client_for(editor_b)
    url = reverse("structures:espace_service_edit", args=[service_a.pk])
    assert client.post(url, service_data(title="Piraté")).status_code == 404
    url = reverse("structures:espace_service_deactivate", args=[service_a.pk])
    assert client.post(url).status_code == 404
    service_a.refresh_from_db()
    assert service_a.title == "Accueil des familles"
    assert service_a.is_active


def test_an_editor_adds_edits_and_removes_its_contacts(
    editor_a, structure_a, service_a, client_for
):
    kept = ContactFactory(structure=structure_a, name="Léa Exemple")
    removed = ContactFactory(structure=structure_a, name="Ancien Collègue")
    data = contacts_data(
        [kept, removed],
        new={"name": "Nouvelle Référente", "phone": "0465713030", "service": service_a.pk},
    )
    data["contacts-0-function"] = "Conseillère"
    data["contacts-1-DELETE"] = "on"
    response = client_for(editor_a).post(reverse("structures:espace_contacts_edit"), data)
    assert response.status_code == 302, response.context["formset"].errors
    names = set(structure_a.contacts.values_list("name", flat=True))
    assert names == {"Léa Exemple", "Nouvelle Référente"}
    kept.refresh_from_db()
    assert kept.function == "Conseillère"
    assert kept.history.latest().history_user == editor_a
    assert removed.history.latest().history_type == "-"
    new = Contact.objects.get(name="Nouvelle Référente")
    assert new.phone == "04 65 71 30 30"
    assert new.service == service_a


@pytest.mark.parametrize("forged", ["id", "service", "structure"])
def test_ids_of_another_structure_smuggled_in_the_contacts_formset_answer_404(
    forged, editor_a, structure_a, structure_b, client_for
):
    mine = ContactFactory(structure=structure_a, name="Léa Exemple")
    theirs = ContactFactory(structure=structure_b, name="Contact de la Mission locale")
    their_service = ServiceFactory(structure=structure_b)
    data = contacts_data([mine])
    data["contacts-0-name"] = "Nom forgé"
    forged_value = {"id": theirs.pk, "service": their_service.pk, "structure": structure_b.pk}
    data[f"contacts-0-{forged}"] = str(forged_value[forged])
    response = client_for(editor_a).post(reverse("structures:espace_contacts_edit"), data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.name == "Contact de la Mission locale"
    assert theirs.structure == structure_b
    assert mine.name == "Léa Exemple"


def test_a_forged_id_in_a_new_contacts_form_answers_404(editor_a, structure_b, client_for):
    theirs = ContactFactory(structure=structure_b, name="Contact de la Mission locale")
    data = contacts_data([], new={"id": str(theirs.pk), "name": "Repris"})
    response = client_for(editor_a).post(reverse("structures:espace_contacts_edit"), data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Contact de la Mission locale"


def test_the_contacts_form_offers_only_the_structures_own_services(editor_a, service_a, client_for):
    other = ServiceFactory(title="Service d'une autre structure")
    html = client_for(editor_a).get(reverse("structures:espace_contacts_edit")).content.decode()
    assert service_a.title in html
    assert other.title not in html


def test_a_partner_change_is_recorded_with_who_when_and_which_fields(
    editor_a, structure_a, client_for
):
    client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, phone="0465712020", bus_stop="Gare"),
    )
    latest = structure_a.history.latest()
    assert latest.history_user == editor_a
    assert latest.history_type == "~"
    assert latest.history_date > timezone.now() - timezone.timedelta(minutes=1)
    delta = latest.diff_against(latest.prev_record)
    assert set(delta.changed_fields) - {"updated_at"} == {"phone", "bus_stop"}


def test_the_coordinator_sees_and_restores_an_earlier_version_in_the_admin(
    editor_a, structure_a, coordinator_client, client_for
):
    client_for(editor_a).post(
        reverse("structures:espace_structure_edit"), identity_data(structure_a, city="Ailleurs")
    )
    history_url = reverse("admin:structures_structure_history", args=[structure_a.pk])
    html = coordinator_client.get(history_url).content.decode()
    assert str(editor_a) in html
    assert "Ailleurs" in html  # the history list shows what changed
    first = structure_a.history.earliest()
    revert_url = reverse(
        "admin:structures_structure_simple_history", args=[structure_a.pk, first.history_id]
    )
    assert coordinator_client.get(revert_url).status_code == 200
    data = identity_data(structure_a, city="Bellecombe-sur-Saône")
    data.update(slug=structure_a.slug, last_reviewed_at_0="", last_reviewed_at_1="")
    data.update(
        {
            f"{prefix}-{key}": value
            for prefix in ("contacts", "services")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        }
    )
    response = coordinator_client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure_a.refresh_from_db()
    assert structure_a.city == "Bellecombe-sur-Saône"


def test_a_change_of_themes_is_recorded_in_the_history(editor_a, service_a, client_for):
    new_theme = ThemeFactory(name="Logement")
    client_for(editor_a).post(
        reverse("structures:espace_service_edit", args=[service_a.pk]),
        service_data(title=service_a.title, themes=[new_theme.pk]),
    )
    latest = service_a.history.latest()
    assert "themes" in latest.diff_against(latest.prev_record).changed_fields
    assert [theme.theme_id for theme in latest.themes.all()] == [new_theme.pk]


def test_a_change_in_the_admin_is_recorded_with_the_coordinator_as_author(
    coordinator, coordinator_client, service_a
):
    coordinator_client.post(
        reverse("admin:structures_service_changelist"),
        {"action": "mark_reviewed", "_selected_action": [service_a.pk]},
    )
    latest = service_a.history.latest()
    assert latest.history_user == coordinator
    assert latest.diff_against(latest.prev_record).changed_fields == ["last_reviewed_at"]


def test_a_form_sent_again_unchanged_with_crlf_line_endings_changes_nothing(
    editor_a, structure_a, client_for
):
    structure_a.role = "Accueil.\nOrientation."
    structure_a.save()
    versions = structure_a.history.count()
    # Browsers send the lines of a text area separated by "\r\n".
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, role="Accueil.\r\nOrientation."),
        follow=True,
    )
    assert "Rien n&#x27;a changé" in response.content.decode()
    assert structure_a.history.count() == versions
    structure_a.refresh_from_db()
    assert structure_a.role == "Accueil.\nOrientation."


def test_a_real_change_is_saved_with_unix_line_endings(editor_a, service_a, client_for):
    client_for(editor_a).post(
        reverse("structures:espace_service_edit", args=[service_a.pk]),
        service_data(
            title=service_a.title,
            themes=[theme.pk for theme in service_a.themes.all()],
            documents="- Bail\r\n- Avis d'imposition",
        ),
    )
    service_a.refresh_from_db()
    assert service_a.documents == "- Bail\n- Avis d'imposition"
    latest = service_a.history.latest()
    changed = set(latest.diff_against(latest.prev_record).changed_fields) - {"updated_at"}
    assert "documents" in changed
    assert "themes" not in changed
