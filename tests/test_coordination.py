"""The coordinator's dashboard and the weekly reminder of stale fiches."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from structures.coordination.dashboard import DASHBOARD_ROWS
from structures.models import StaleReminder, Structure

from .access import REFUSED_OUTSIDE_COORDINATION
from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory, UserFactory

LONG_AGO = timezone.now() - timedelta(days=400)
DASHBOARD = reverse("structures:coordination")


@pytest.mark.parametrize(("who", "expected"), [*REFUSED_OUTSIDE_COORDINATION, ("coordinator", 200)])
def test_access(who, expected, users, client_for):
    response = client_for(users[who]).get(DASHBOARD)
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
    assert reverse("structures:coordination_history", args=["service", service.pk]) in section
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


def _partner_changes(count, client_for):
    """`count` structures whose éditeur confirmed a fiche, then deactivated another."""
    for _ in range(count):
        structure = StructureFactory(last_reviewed_at=LONG_AGO)
        editor = UserFactory(structure=structure, editor=True)
        theme = ThemeFactory()
        reviewed = ServiceFactory(structure=structure, last_reviewed_at=None, themes=[theme])
        withdrawn = ServiceFactory(structure=structure, themes=[theme])
        client = client_for(editor)
        client.post(reverse("structures:espace_service_confirm", args=[reviewed.pk]))
        client.post(reverse("structures:espace_service_deactivate", args=[withdrawn.pk]))
        ContactFactory(structure=structure)


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_the_dashboard_runs_as_many_queries_for_30_partners_changes_as_for_3(
    coordinator_client, client_for
):
    _partner_changes(3, client_for)
    _dashboard_queries(coordinator_client)  # caches filled (content types…)
    few = _dashboard_queries(coordinator_client)
    _partner_changes(27, client_for)
    assert _dashboard_queries(coordinator_client) == few


def test_it_says_a_fiche_was_deactivated_or_reactivated(
    coordinator_client, editor_a, structure_a, client_for
):
    service = ServiceFactory(structure=structure_a, title="Permanence retirée")
    client = client_for(editor_a)
    client.post(reverse("structures:espace_service_deactivate", args=[service.pk]))
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="changements"') : html.index('id="incompletes"')]
    assert "Désactivée" in section
    assert "active" not in section.replace("Désactivée", "")
    client.post(reverse("structures:espace_service_reactivate", args=[service.pk]))
    html = coordinator_client.get(DASHBOARD).content.decode()
    assert "Réactivée" in html[html.index('id="changements"') : html.index('id="incompletes"')]


def test_a_save_that_changed_nothing_is_not_listed_as_a_change(
    coordinator_client, editor_a, structure_a, client_for
):
    structure_a.history.update(history_date=timezone.now() - timedelta(days=2))
    structure_a.save()  # the same values again: a version, but no change
    empty = structure_a.history.latest()
    empty.history_user = editor_a
    empty.save()
    client_for(editor_a).post(reverse("structures:espace_structure_confirm"))
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="changements"') : html.index('id="incompletes"')]
    assert section.count("<tr>") == 2  # the header and the review; not the empty save
    assert "Modification : relue le" in section


def test_the_lists_show_their_first_rows_and_the_total(coordinator_client):
    for number in range(DASHBOARD_ROWS + 2):
        StructureFactory(name=f"Structure à relire {number:03d}", stale=True)
    html = coordinator_client.get(DASHBOARD).content.decode()
    assert f"Fiches à relire ({DASHBOARD_ROWS + 2} structures)" in html
    assert f"Structure à relire {DASHBOARD_ROWS - 1:03d}" in html
    assert f"Structure à relire {DASHBOARD_ROWS:03d}" not in html
    assert "?fraicheur=a-relire" in html
