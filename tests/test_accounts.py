"""Account lifecycle: invitation, password reset, deactivation, lockout, sessions."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .factories import PASSWORD, UserFactory
from .form_data import login

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


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


def test_five_failures_lock_the_username_only_from_that_address(partner_a):
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(4):
        assert login(attacker, partner_a.username, "faux").status_code == 200
    # The fifth failure locks the pair: the lockout page answers instead of the login form.
    assert login(attacker, partner_a.username, "faux").status_code == 429
    response = login(attacker, partner_a.username)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée sur ce poste" in html
    assert "réessayez dans 15 minutes" in html
    assert 'lang="fr"' in html
    # The e-mail address is the same account: it is locked too, from that address.
    assert login(attacker, partner_a.email).status_code == 429
    # From another address the owner logs in at once.
    assert login(Client(REMOTE_ADDR="10.0.0.99"), partner_a.username).status_code == 302


def test_the_lockout_page_says_how_many_minutes_are_left(partner_a):
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        login(attacker, partner_a.username, "faux")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10, seconds=30))
    assert "réessayez dans 5 minutes" in login(attacker, partner_a.username).content.decode()
    # A try during the lock does not restart it; fifteen minutes later the pair is free.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(attacker, partner_a.username).status_code == 302


def test_failures_on_five_usernames_from_one_office_lock_nobody(partner_a, partner_b):
    office = Client(REMOTE_ADDR="192.0.2.7")
    for index in range(5):
        login(office, f"inconnu-{index}", "faux")
    assert login(office, partner_b.username).status_code == 302
    assert login(Client(REMOTE_ADDR="192.0.2.7"), partner_a.username).status_code == 302


def test_one_address_hammering_a_username_never_slows_its_owner_elsewhere(partner_a):
    attacker = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(40):
        login(attacker, partner_a.username, "faux")
    assert login(Client(REMOTE_ADDR="203.0.113.2"), partner_a.username).status_code == 302


def fail_from_addresses(username, count, *, first=1):
    for index in range(first, first + count):
        for _ in range(5):
            login(Client(REMOTE_ADDR=f"198.18.0.{index}"), username, "faux")


def test_failures_from_many_addresses_space_the_tries_for_a_short_growing_time(partner_a):
    fail_from_addresses(partner_a.username, 4)
    owner = Client(REMOTE_ADDR="198.18.1.1")
    response = login(owner, partner_a.username)
    assert response.status_code == 200
    html = response.content.decode()
    assert "les essais sont espacés. Réessayez dans 1 minute." in html
    # The refused try was not checked: the right password did not log in, nor count.
    assert "_auth_user_id" not in owner.session
    # One more failure from a fifth address: the wait doubles.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=61))
    assert login(Client(REMOTE_ADDR="198.18.0.9"), partner_a.username, "faux").status_code == 200
    assert "Réessayez dans 2 minutes" in login(owner, partner_a.username).content.decode()
    # Once the wait is over, the owner logs in.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=121))
    assert login(owner, partner_a.username).status_code == 302


def test_the_wait_across_addresses_never_exceeds_its_maximum(partner_a, settings):
    # Forty addresses that each failed five times (as if each had waited its turn).
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=partner_a.username,
            ip_address=f"198.18.2.{index}",
            user_agent="",
            failures_since_start=5,
            attempt_time=timezone.now(),
        )
        for index in range(40)
    )
    assert settings.LOGIN_DELAY_MAX_MINUTES == 10
    assert "Réessayez dans 10 minutes" in login(Client(), partner_a.username).content.decode()


def test_the_administration_login_is_spaced_out_too(partner_a):
    fail_from_addresses(partner_a.username, 4)
    response = Client().post(
        reverse("admin:login"), {"username": partner_a.username, "password": PASSWORD}
    )
    assert "Réessayez dans 1 minute" in response.content.decode()


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_login_longer_than_any_account_is_refused_before_it_is_counted(db, url):
    """Django's login form shows a maxlength but does not check it: axes then stored the
    whole login in a 255-character column (a 500 on PostgreSQL)."""
    response = Client().post(reverse(url), {"username": "x" * 1000, "password": "secret"})
    assert response.status_code == 200
    assert "au plus 254 caractères" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_new_password_lifts_the_lock_and_the_wait(partner_a, mailoutbox):
    attacker_address = "198.18.0.1"
    fail_from_addresses(partner_a.username, 4)
    client = Client(REMOTE_ADDR=attacker_address)
    client.post(reverse("password_reset"), {"email": partner_a.email})
    response = client.get(reset_link(mailoutbox[0]), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not AccessAttempt.objects.filter(username=partner_a.username).exists()
    assert (
        login(Client(REMOTE_ADDR=attacker_address), partner_a.username, NEW_PASSWORD).status_code
        == 302
    )


def test_twenty_reset_requests_send_a_few_mails_with_the_same_answer(
    partner_a, mailoutbox, settings
):
    answers = set()
    for _ in range(20):
        response = Client().post(reverse("password_reset"), {"email": partner_a.email})
        answers.add((response.status_code, response.url))
    assert len(mailoutbox) == settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR == 3
    for _ in range(20):
        response = Client().post(reverse("password_reset"), {"email": "inconnu@example.org"})
        answers.add((response.status_code, response.url))
    assert answers == {(302, reverse("password_reset_done"))}
    assert (
        "quelques liens seulement" in Client().get(reverse("password_reset_done")).content.decode()
    )


def test_one_address_asking_for_many_accounts_gets_a_few_mails(structure_a, mailoutbox, settings):
    users = UserFactory.create_batch(20, structure=structure_a)
    office = Client(REMOTE_ADDR="192.0.2.50")
    for user in users:
        response = office.post(reverse("password_reset"), {"email": user.email})
        assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR == 10
    # Another address is not held back by that one.
    Client(REMOTE_ADDR="192.0.2.51").post(reverse("password_reset"), {"email": users[0].email})
    assert len(mailoutbox) == 11


def test_reset_requests_count_again_after_an_hour(partner_a, mailoutbox):
    for _ in range(5):
        Client().post(reverse("password_reset"), {"email": partner_a.email})
    assert len(mailoutbox) == 3
    # An hour later the cache has forgotten the requests.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE repertoire_cache SET expires = %s", [timezone.now()])
    Client().post(reverse("password_reset"), {"email": partner_a.email})
    assert len(mailoutbox) == 4


def test_four_failures_do_not_lock(partner_a):
    client = Client()
    for _ in range(4):
        login(client, partner_a.username, "faux")
    assert login(client, partner_a.username).status_code == 302


def test_the_coordinator_sees_and_lifts_a_lock_in_the_admin(partner_a, coordinator_client):
    for _ in range(5):
        login(Client(REMOTE_ADDR="192.0.2.9"), partner_a.username, "faux")
    assert login(Client(REMOTE_ADDR="192.0.2.9"), partner_a.username).status_code == 429
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
    assert login(Client(REMOTE_ADDR="192.0.2.9"), partner_a.username).status_code == 302


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

    for _ in range(5):
        login(from_client("198.51.100.1"), partner_b.username, "faux")
    assert login(from_client("198.51.100.1"), partner_b.username).status_code == 429
    assert login(from_client("198.51.100.2"), partner_b.username).status_code == 302
