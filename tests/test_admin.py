from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from structures.models import Service, Structure, User

from .factories import ServiceFactory, StructureFactory, ThemeFactory


@pytest.mark.parametrize("model", ["theme", "structure", "service", "contact", "user"])
def test_the_coordinator_opens_every_admin_list_and_add_form(coordinator_client, model):
    for view in ["changelist", "add"]:
        url = reverse(f"admin:structures_{model}_{view}")
        assert coordinator_client.get(url).status_code == 200, url


def test_the_territory_is_edited_as_one_record(coordinator_client):
    response = coordinator_client.get(reverse("admin:structures_territory_changelist"), follow=True)
    assert response.status_code == 200
    assert "Nom du territoire" in response.content.decode()


def test_a_partner_cannot_open_the_admin(partner_client):
    response = partner_client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_the_structure_change_form_has_inline_contacts_and_services(coordinator_client):
    service = ServiceFactory()
    url = reverse("admin:structures_structure_change", args=[service.structure.pk])
    html = coordinator_client.get(url).content.decode()
    assert "Personnes à contacter" in html
    assert service.title in html


def test_mark_reviewed_action_sets_last_reviewed_at(coordinator_client):
    old = timezone.now() - timedelta(days=400)
    services = [ServiceFactory(last_reviewed_at=old) for _ in range(2)]
    response = coordinator_client.post(
        reverse("admin:structures_service_changelist"),
        {"action": "mark_reviewed", "_selected_action": [s.pk for s in services]},
        follow=True,
    )
    assert "2 fiche(s) marquée(s) comme relue(s)" in response.content.decode()
    for service in Service.objects.all():
        assert service.last_reviewed_at > timezone.now() - timedelta(minutes=1)


def test_the_stale_filter_lists_only_fiches_not_reviewed_for_six_months(coordinator_client):
    StructureFactory(name="Relue hier", last_reviewed_at=timezone.now() - timedelta(days=1))
    StructureFactory(name="Oubliée", last_reviewed_at=timezone.now() - timedelta(days=300))
    StructureFactory(name="Jamais relue", stale=True)
    url = reverse("admin:structures_structure_changelist") + "?fraicheur=a-relire"
    html = coordinator_client.get(url).content.decode()
    assert "Oubliée" in html
    assert "Jamais relue" in html
    assert "Relue hier" not in html
    stale = set(Structure.objects.stale().values_list("name", flat=True))
    assert stale == {"Oubliée", "Jamais relue"}


def test_the_theme_filter_and_search_work(coordinator_client):
    theme = ThemeFactory(name="Santé")
    ServiceFactory(title="Bilan de santé", themes=[theme])
    ServiceFactory(title="Aide alimentaire")
    url = reverse("admin:structures_service_changelist")
    html = coordinator_client.get(url, {"themes__id__exact": theme.pk}).content.decode()
    assert "Bilan de santé" in html
    assert "Aide alimentaire" not in html
    html = coordinator_client.get(url, {"q": "alimentaire"}).content.decode()
    assert "Aide alimentaire" in html
    assert "Bilan de santé" not in html


def test_a_contact_added_on_a_service_belongs_to_its_structure(coordinator_client):
    service = ServiceFactory()
    url = reverse("admin:structures_service_change", args=[service.pk])
    data = {
        "structure": service.structure.pk,
        "title": service.title,
        "slug": service.slug,
        "themes": [ThemeFactory().pk],
        "is_active": "on",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Léa Exemple",
        "contacts-0-phone": "0465711111",
        "contacts-0-order": "0",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = service.contacts.get()
    assert contact.structure == service.structure
    assert contact.phone == "04 65 71 11 11"


def test_the_coordinator_creates_a_partner_account_who_is_mailed_a_set_password_link(
    coordinator_client, structure_a, mailoutbox
):
    response = coordinator_client.post(
        reverse("admin:structures_user_add"),
        {
            "username": "nouvelle-collegue",
            "email": "collegue@example.org",
            "structure": structure_a.pk,
            "role": "partenaire",
            "is_editor": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nouvelle-collegue")
    assert user.structure == structure_a
    assert user.is_editor
    assert not user.is_staff
    assert not user.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["collegue@example.org"]
    assert "/mot-de-passe/nouveau/" in mail.body
    assert "nouvelle-collegue" in mail.body
