"""Acting from the dashboard: mark a fiche reviewed, remind one structure, read a history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from structures.models import Service, Structure

from .access import REFUSED_OUTSIDE_COORDINATION
from .factories import ServiceFactory, StructureFactory, ThemeFactory, UserFactory

LONG_AGO = timezone.now() - timedelta(days=400)
DASHBOARD = reverse("structures:coordination")


@pytest.fixture
def stale_service(structure_a):
    Structure.objects.filter(pk=structure_a.pk).update(last_reviewed_at=LONG_AGO)
    return ServiceFactory(structure=structure_a, title="Aide aux devoirs", last_reviewed_at=None)


def _urls(service):
    return {
        "reviewed": (
            "post",
            reverse("structures:coordination_reviewed", args=["service", service.pk]),
        ),
        "remind": ("post", reverse("structures:coordination_remind", args=[service.structure_id])),
        "history": (
            "get",
            reverse("structures:coordination_history", args=["service", service.pk]),
        ),
    }


@pytest.mark.parametrize("action", ["reviewed", "remind", "history"])
@pytest.mark.parametrize(
    ("who", "expected"), [*REFUSED_OUTSIDE_COORDINATION, ("coordinator", None)]
)
def test_access(action, who, expected, stale_service, users, client_for):
    method, url = _urls(stale_service)[action]
    response = getattr(client_for(users[who]), method)(url)
    if expected is None:
        expected = 200 if method == "get" else 302
        if method == "post":
            assert response.url == DASHBOARD
    assert response.status_code == expected
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))
    stale_service.refresh_from_db()
    assert (stale_service.last_reviewed_at is not None) == (
        action == "reviewed" and who == "coordinator"
    )


def test_the_actions_refuse_a_get_and_need_the_csrf_token(stale_service, coordinator, client_for):
    from django.test import Client

    urls = _urls(stale_service)
    assert client_for(coordinator).get(urls["reviewed"][1]).status_code == 405
    assert client_for(coordinator).get(urls["remind"][1]).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    assert strict.post(urls["reviewed"][1]).status_code == 403
    stale_service.refresh_from_db()
    assert stale_service.last_reviewed_at is None


def test_marking_reviewed_from_the_dashboard_removes_the_fiche_from_the_list(
    stale_service, structure_a, coordinator_client
):
    html = coordinator_client.get(DASHBOARD).content.decode()
    assert "Aide aux devoirs" in html
    response = coordinator_client.post(
        reverse("structures:coordination_reviewed", args=["service", stale_service.pk]), follow=True
    )
    assert "« Aide aux devoirs » est marquée comme relue" in response.content.decode()
    coordinator_client.post(
        reverse("structures:coordination_reviewed", args=["structure", structure_a.pk])
    )
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="a-relire"') : html.index('id="changements"')]
    assert "Aide aux devoirs" not in section
    assert "Toutes les fiches sont à jour" in section
    assert stale_service.history.count() == 2  # the review is in the history


def test_an_unknown_kind_or_fiche_is_a_404(coordinator_client):
    assert (
        coordinator_client.post(
            reverse("structures:coordination_reviewed", args=["theme", 1])
        ).status_code
        == 404
    )
    assert (
        coordinator_client.post(
            reverse("structures:coordination_reviewed", args=["service", 999])
        ).status_code
        == 404
    )
    assert (
        coordinator_client.get(
            reverse("structures:coordination_history", args=["contact", 1])
        ).status_code
        == 404
    )


def test_the_reminder_goes_to_that_structures_editors_only_even_within_the_week(
    stale_service, editor_a, structure_b, coordinator_client, mailoutbox
):
    Structure.objects.filter(pk=structure_b.pk).update(last_reviewed_at=None)
    UserFactory(structure=structure_b, editor=True)  # stale too, but not asked
    url = reverse("structures:coordination_remind", args=[stale_service.structure_id])
    response = coordinator_client.post(url, follow=True)
    assert "Rappel envoyé à 1 éditeur" in response.content.decode()
    assert [mail.to for mail in mailoutbox] == [[editor_a.email]]
    assert "Aide aux devoirs" in mailoutbox[0].body
    coordinator_client.post(url)  # asked again: sent again
    assert len(mailoutbox) == 2


def test_the_reminder_says_when_nobody_can_receive_it(
    stale_service, coordinator_client, mailoutbox
):
    url = reverse("structures:coordination_remind", args=[stale_service.structure_id])
    html = coordinator_client.post(url, follow=True).content.decode()
    assert "aucun éditeur actif avec une adresse courriel" in html
    assert mailoutbox == []
    fresh = StructureFactory()
    html = coordinator_client.post(
        reverse("structures:coordination_remind", args=[fresh.pk]), follow=True
    ).content.decode()
    assert "rien à relancer" in html


def test_the_history_shows_what_changed_between_versions(
    structure_a, coordinator_client, editor_a, client_for
):
    logement = ThemeFactory(name="Logement", slug="logement")
    service = ServiceFactory(structure=structure_a, title="Permanence", summary="Ancien résumé")
    service = Service.objects.get(pk=service.pk)
    service.summary = "Nouveau <b>résumé</b>"
    service.fee = "gratuit"
    service.save()
    service.themes.add(logement)
    html = coordinator_client.get(
        reverse("structures:coordination_history", args=["service", service.pk])
    ).content.decode()
    assert "Ancien résumé" in html
    assert "Nouveau &lt;b&gt;résumé&lt;/b&gt;" in html  # user text never rendered as HTML
    assert "Gratuit" in html  # the choice's label, not its code
    assert "Création" in html
    assert "Logement" in html  # the themes by name
    assert "Modifiée le" not in html  # kept by the application, not a change


def test_the_history_page_runs_a_bounded_number_of_queries(
    structure_a, coordinator_client, django_assert_max_num_queries
):
    service = ServiceFactory(structure=structure_a)
    for number in range(40):
        service.summary = f"Résumé {number}"
        service.save()
    with django_assert_max_num_queries(80):
        response = coordinator_client.get(
            reverse("structures:coordination_history", args=["service", service.pk])
        )
    assert "Les 30 dernières versions sur 41" in response.content.decode()


def test_the_dashboard_shows_summary_figures(stale_service, coordinator_client):
    StructureFactory()
    html = coordinator_client.get(DASHBOARD).content.decode()
    section = html[html.index('id="en-bref"') : html.index('id="a-relire"')]
    # Every structure (the accounts' ones too) and one service; 2 stale: the service and
    # structure A's identity.
    fiches = Structure.objects.count() + 1
    assert f'<span class="figure-value">{fiches}</span> fiches' in section
    assert '<span class="figure-value">2</span> fiches à relire' in section
    assert f"{round(100 * (fiches - 2) / fiches)} %" in section
