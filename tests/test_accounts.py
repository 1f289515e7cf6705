"""Account lifecycle: invitation, password reset, deactivation, lockout, sessions."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .factories import UserFactory

PASSWORD = "mot-de-passe-de-test"
NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def reset_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/mot-de-passe/nouveau/\S+/)", mail.body).group(1)


def test_the_login_page_offers_the_password_reset(anonymous_client, db):
    html = anonymous_client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in html
    assert "Mot de passe oublié" in html


def test_a_partner_resets_a_forgotten_password_by_email(partner_a, mailoutbox):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": partner_a.email.upper()})
    assert response.status_code == 302
    assert "Regardez votre messagerie" in client.get(response.url).content.decode()
    [mail] = mailoutbox
    assert mail.to == [partner_a.email]
    assert "choisir votre mot de passe" in mail.subject
    response = client.get(reset_link(mail), follow=True)
    assert "Choisir un mot de passe" in response.content.decode()
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == reverse("password_reset_complete")
    assert login(Client(), partner_a.username, NEW_PASSWORD).status_code == 302
    assert login(Client(), partner_a.username, PASSWORD).status_code == 200
    # The link is single-use.
    assert "plus valable" in client.get(reset_link(mail), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(anonymous_client, mailoutbox, db):
    response = anonymous_client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_an_invited_account_without_password_can_ask_for_a_new_link(
    structure_a, mailoutbox, client_for
):
    invited = UserFactory(structure=structure_a, email="invitee@example.org")
    invited.set_unusable_password()
    invited.save()
    client_for(None).post(reverse("password_reset"), {"email": "invitee@example.org"})
    assert len(mailoutbox) == 1


def test_a_deactivated_account_gets_no_reset_link(partner_a, mailoutbox, anonymous_client):
    partner_a.is_active = False
    partner_a.save()
    anonymous_client.post(reverse("password_reset"), {"email": partner_a.email})
    assert mailoutbox == []


def test_a_weak_password_is_refused_with_french_messages(partner_a, mailoutbox):
    client = Client()
    client.post(reverse("password_reset"), {"email": partner_a.email})
    response = client.get(reset_link(mailoutbox[0]), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    html = response.content.decode()
    assert "Ce mot de passe est entièrement numérique" in html
    assert "Ce mot de passe est trop courant" in html


def test_the_coordinator_resends_a_set_password_link(coordinator_client, partner_a, mailoutbox):
    response = coordinator_client.post(
        reverse("admin:structures_user_changelist"),
        {"action": "send_password_link", "_selected_action": [partner_a.pk]},
        follow=True,
    )
    assert "1 lien(s) envoyé(s)" in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == [partner_a.email]
    assert "/mot-de-passe/nouveau/" in mail.body


def test_deactivating_an_account_cuts_access_at_once(partner_a):
    client = Client()
    assert login(client, partner_a.username).status_code == 302
    assert client.get(reverse("structures:home")).status_code == 200
    partner_a.is_active = False
    partner_a.save()
    response = client.get(reverse("structures:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_five_failures_lock_the_username_for_fifteen_minutes(partner_a):
    for attempt in range(4):
        response = login(Client(REMOTE_ADDR=f"10.0.0.{attempt}"), partner_a.username, "faux")
        assert response.status_code == 200
    # The fifth failure locks: the lockout page answers instead of the login form.
    assert login(Client(REMOTE_ADDR="10.0.0.5"), partner_a.username, "faux").status_code == 429
    response = login(Client(REMOTE_ADDR="10.0.0.99"), partner_a.username)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée pour 15 minutes" in html
    assert 'lang="fr"' in html
    # The e-mail address is the same account: it is locked too.
    assert login(Client(REMOTE_ADDR="10.0.0.98"), partner_a.email).status_code == 429
    # Fifteen minutes later the username may log in again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(Client(REMOTE_ADDR="10.0.0.97"), partner_a.username).status_code == 302


def test_five_failures_from_one_address_lock_that_address(partner_a, partner_b):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for index in range(5):
        login(client, f"inconnu-{index}", "faux")
    assert login(client, partner_b.username).status_code == 429
    assert login(Client(REMOTE_ADDR="192.0.2.8"), partner_b.username).status_code == 302


def test_four_failures_do_not_lock(partner_a):
    client = Client()
    for _ in range(4):
        login(client, partner_a.username, "faux")
    assert login(client, partner_a.username).status_code == 302


def test_the_coordinator_sees_and_lifts_a_lock_in_the_admin(partner_a, coordinator_client):
    for _ in range(5):
        login(Client(REMOTE_ADDR="192.0.2.9"), partner_a.username, "faux")
    assert login(Client(REMOTE_ADDR="192.0.2.10"), partner_a.username).status_code == 429
    changelist = reverse("admin:axes_accessattempt_changelist")
    html = coordinator_client.get(changelist).content.decode()
    assert partner_a.username in html
    attempt_ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = coordinator_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": attempt_ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert login(Client(REMOTE_ADDR="192.0.2.10"), partner_a.username).status_code == 302


def test_the_session_ends_at_browser_close_and_after_8_hours_without_activity(partner_a, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    response = login(client, partner_a.username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"]
    assert not cookie["max-age"]
    session = Session.objects.get()
    expected = timezone.now() + timedelta(hours=8)
    assert abs(session.expire_date - expected) < timedelta(minutes=1)
    # Eight hours without a request: the session is over.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("structures:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_each_request_restarts_the_inactivity_clock(partner_a):
    client = Client()
    login(client, partner_a.username)
    Session.objects.update(expire_date=timezone.now() + timedelta(hours=1))
    assert client.get(reverse("structures:home")).status_code == 200
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(hours=7, minutes=59)


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_complete", "login"],
)
def test_the_account_pages_are_open_without_login(name, anonymous_client, db):
    assert anonymous_client.get(reverse(name)).status_code == 200


def test_behind_a_proxy_the_lock_follows_the_client_address_not_the_proxys(
    partner_a, partner_b, settings
):
    settings.BEHIND_PROXY = True

    def from_client(address):
        # The client may forge the first entries; the proxy appends the real address last.
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")

    for index in range(5):
        login(from_client("198.51.100.1"), f"inconnu-{index}", "faux")
    assert login(from_client("198.51.100.1"), partner_b.username).status_code == 429
    assert login(from_client("198.51.100.2"), partner_b.username).status_code == 302
