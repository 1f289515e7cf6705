import itertools
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.models import DocumentKind, DocumentUse, Edition, EditionKind
from liaison.usage import document_use_record
from structures.enums import UsageEvent
from structures.models import (
    Contact,
    Job,
    Service,
    Structure,
    TemporaryChange,
    Territory,
    Theme,
    User,
)
from structures.models.search import Synonym
from structures.models.usage import UsageCount
from structures.usage import usage_count

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory, UserFactory
from .form_data import admin_service_data


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
    contact = {"name": "Léa Exemple", "phone": "0465711111", "order": "0"}
    data = admin_service_data(service, themes=[ThemeFactory()], contacts=[contact])
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


ROW_NUMBERS = itertools.count()


def _rows_of(model, count: int) -> None:
    """Create `count` rows of a model that the admin lists, with the relations it shows."""
    theme = ThemeFactory()
    makers = {
        Group: lambda n: Group.objects.create(name=f"Groupe {n}"),
        AccessAttempt: lambda n: AccessAttempt.objects.create(
            username=f"compte-{n}", ip_address="192.0.2.1", failures_since_start=1
        ),
        AccessLog: lambda n: AccessLog.objects.create(username=f"compte-{n}", ip_address="::1"),
        AccessFailureLog: lambda n: AccessFailureLog.objects.create(username=f"compte-{n}"),
        Job: lambda n: Job.objects.create(key=f"travail-{n}", label=f"Travail {n}"),
        Edition: lambda n: Edition.objects.create(
            key=f"edition-{n}",
            kind=EditionKind.STRUCTURE,
            label=f"Édition {n}",
            job=Job.objects.create(key=f"edition-{n}", label=f"Édition {n}"),
        ),
        Theme: lambda n: ThemeFactory(),
        Structure: lambda n: ContactFactory(structure=ServiceFactory(themes=[theme]).structure),
        Service: lambda n: ServiceFactory(themes=[theme]),
        Contact: lambda n: ContactFactory(service=ServiceFactory()),
        Territory: lambda n: Territory(name="Bellecombe").save(),
        TemporaryChange: lambda n: TemporaryChange.objects.create(
            structure=(service := ServiceFactory(themes=[theme])).structure,
            service=service,
            starts_on=date(2026, 1, 1) + timedelta(days=n),
            reason=f"Fermeture {n}",
        ),
        User: lambda n: UserFactory(),
        Synonym: lambda n: Synonym.objects.create(terms=f"terme {n}, autre terme {n}"),
        UsageCount: lambda n: usage_count(
            event=UsageEvent.SEARCH, day=date(2026, 1, 1) + timedelta(days=n)
        ),
        DocumentUse: lambda n: document_use_record(
            kind=DocumentKind.LIAISON,
            sender_structure=StructureFactory(),
            recipient_service=(service := ServiceFactory(themes=[theme])),
            recipient_structure=service.structure,
            themes=[theme],
        ),
    }
    assert set(makers) == set(admin.site._registry), "every admin list needs rows to test"
    for _ in range(count):
        makers[model](next(ROW_NUMBERS))


def _changelist_queries(client, model) -> int:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, follow=True).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_every_admin_list_runs_as_many_queries_for_20_rows_as_for_2(coordinator_client, model):
    _rows_of(model, 2)
    _changelist_queries(coordinator_client, model)  # caches filled (content types…)
    few = _changelist_queries(coordinator_client, model)
    _rows_of(model, 18)
    assert model.objects.count() >= 20 or model is Territory
    assert _changelist_queries(coordinator_client, model) == few


def test_the_stale_filter_says_the_configured_number_of_months(coordinator_client, settings):
    settings.STALE_AFTER_MONTHS = 3
    html = coordinator_client.get(reverse("admin:structures_structure_changelist")).content
    assert "Non relue depuis plus de 3 mois" in html.decode()
    assert "6 mois" not in html.decode()


def test_an_accounts_change_form_opens_with_its_password_link(coordinator, client_for, editor_a):
    response = client_for(coordinator).get(
        reverse("admin:structures_user_change", args=[editor_a.pk])
    )
    assert response.status_code == 200
    assert 'href="../password/"' in response.content.decode()
