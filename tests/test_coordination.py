"""The coordinator's dashboard and the weekly reminder of stale fiches."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from structures.coordination.dashboard import RECENT_CHANGES_LIMIT
from structures.models import StaleReminder, Structure

from .factories import ContactFactory, ServiceFactory, StructureFactory, UserFactory

LONG_AGO = timezone.now() - timedelta(days=400)
DASHBOARD = reverse("structures:coordination")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("reader", 403),
        ("editor", 403),
        ("other_editor", 403),
        ("coordinator", 200),
    ],
)
def test_access(who, expected, partner_a, editor_a, editor_b, coordinator, client_for):
    user = {
        "anonymous": None,
        "reader": partner_a,
        "editor": editor_a,
        "other_editor": editor_b,
        "coordinator": coordinator,
    }[who]
    response = client_for(user).get(DASHBOARD)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


def test_it_lists_stale_fiches_with_their_editors(coordinator_client, editor_a, structure_a):
    Structure.objects.filter(pk=structure_a.pk).update(last_reviewed_at=LONG_AGO)
    ServiceFactory(structure=structure_a, title="Fiche oubliée", last_reviewed_at=None)
    ServiceFactory(structure=structure_a, title="Fiche relue hier")
    fresh = StructureFactory(name="Structure bien tenue")
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="a-relire"') : html.index('id="changements"')]
    assert structure_a.name in section
    assert "Fiche oubliée" in section
    assert editor_a.email in section
    assert "Fiche relue hier" not in section
    assert fresh.name not in section
    admin_url = reverse("admin:structures_structure_change", args=[structure_a.pk])
    assert admin_url in section


def test_it_lists_recent_partner_changes_with_a_link_to_the_history(
    coordinator_client, editor_a, structure_a, client_for
):
    service = ServiceFactory(structure=structure_a, title="Permanence")
    client_for(editor_a).post(reverse("structures:espace_service_confirm", args=[service.pk]))
    structure_a.city = "Changée par la coordination"
    structure_a.save()  # not a partner change: no request user, so no author
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="changements"') : html.index('id="incompletes"')]
    assert "Permanence" in section
    assert str(editor_a) in section
    assert "relue le" in section
    assert reverse("admin:structures_service_history", args=[service.pk]) in section
    assert structure_a.name not in section


def test_it_lists_structures_without_service_or_contact(coordinator_client):
    empty = StructureFactory(name="Structure vide")
    no_contact = StructureFactory(name="Sans contact")
    ServiceFactory(structure=no_contact)
    complete = StructureFactory(name="Structure complète")
    ServiceFactory(structure=complete)
    ContactFactory(structure=complete)
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="incompletes"') : html.index('id="comptes"')]
    assert "Structure vide" in section
    assert "Sans contact" in section
    assert "aucune personne à contacter" in section
    assert "Structure complète" not in section
    assert empty.pk
    assert no_contact.pk


def test_it_lists_accounts_never_used_or_not_for_six_months(coordinator_client):
    UserFactory(username="jamais-venu", first_name="Jamais", last_name="Venu")
    UserFactory(
        first_name="Partie", last_name="Longtemps", last_login=timezone.now() - timedelta(days=200)
    )
    UserFactory(first_name="Venue", last_name="Hier", last_login=timezone.now())
    UserFactory(first_name="Compte", last_name="Désactivé", is_active=False)
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="comptes"') :]
    assert "Jamais Venu" in section
    assert "jamais connecté" in section
    assert "Partie Longtemps" in section
    assert "Venue Hier" not in section
    assert "Compte Désactivé" not in section


def test_the_dashboard_runs_a_bounded_number_of_queries(
    coordinator_client, django_assert_max_num_queries, client_for
):
    # More changes than the dashboard shows (RECENT_CHANGES_LIMIT = 20): each shown change
    # costs its previous version and its themes (3 queries), whatever the directory's size.
    for index in range(25):
        structure = StructureFactory(last_reviewed_at=LONG_AGO)
        editor = UserFactory(structure=structure, editor=True)
        service = ServiceFactory(structure=structure, last_reviewed_at=None)
        client_for(editor).post(reverse("structures:espace_service_confirm", args=[service.pk]))
        if index % 2:
            ContactFactory(structure=structure)
    with django_assert_max_num_queries(20 + 3 * RECENT_CHANGES_LIMIT):
        assert coordinator_client.get(DASHBOARD).status_code == 200


@pytest.fixture
def stale_editor(editor_a, structure_a):
    Structure.objects.filter(pk=structure_a.pk).update(last_reviewed_at=LONG_AGO)
    ServiceFactory(structure=structure_a, title="Aide aux devoirs", last_reviewed_at=None)
    ServiceFactory(structure=structure_a, title="Fiche à jour")
    ServiceFactory(
        structure=structure_a, title="Fiche retirée", inactive=True, last_reviewed_at=None
    )
    return editor_a


def test_remind_stale_mails_each_editor_its_stale_fiches_with_links(
    stale_editor, structure_b, mailoutbox, settings
):
    settings.SITE_URL = "https://repertoire.example.org"
    UserFactory(structure=structure_b, editor=True)  # nothing stale there
    UserFactory(structure=stale_editor.structure)  # a reader gets no reminder
    call_command("remind_stale", verbosity=0)
    [mail] = mailoutbox
    assert mail.to == [stale_editor.email]
    assert "Centre social des Alouettes" in mail.subject
    assert "2 fiche(s)" in mail.subject
    assert "Fiche d'identité — Centre social des Alouettes" in mail.body
    assert "Fiche service — Aide aux devoirs" in mail.body
    assert "Fiche à jour" not in mail.body
    assert "Fiche retirée" not in mail.body
    assert "https://repertoire.example.org/mon-espace/fiche/" in mail.body
    assert "&#x27;" not in mail.body


def test_remind_stale_does_not_send_the_same_reminder_twice_within_a_week(stale_editor, mailoutbox):
    call_command("remind_stale", verbosity=0)
    call_command("remind_stale", verbosity=0)
    assert len(mailoutbox) == 1
    reminder = StaleReminder.objects.get()
    assert reminder.user == stale_editor
    StaleReminder.objects.update(sent_at=timezone.now() - timedelta(days=8))
    call_command("remind_stale", verbosity=0)
    assert len(mailoutbox) == 2
    assert StaleReminder.objects.count() == 1


def test_remind_stale_keeps_only_the_send_date(stale_editor):
    call_command("remind_stale", verbosity=0)
    fields = {field.name for field in StaleReminder._meta.concrete_fields}
    assert fields == {"id", "user", "structure", "sent_at"}
