"""Sessions are written when they change, or every few minutes: page views do not write."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from structures.accounts.middleware import REFRESHED_AT

from .form_data import login


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
    ]


def _refreshed_long_ago(client, seconds):
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - seconds
    session.save()


def test_page_views_within_a_few_minutes_do_not_write_the_session(partner_a):
    client = Client()
    login(client, partner_a.username)
    home = reverse("structures:home")
    client.get(home)  # the first view after the login notes the time
    expiry = Session.objects.get().expire_date
    for _ in range(3):
        assert _session_writes(client, home) == []
    assert Session.objects.get().expire_date == expiry


def test_a_page_view_after_the_refresh_delay_restarts_the_inactivity_clock(partner_a, settings):
    client = Client()
    login(client, partner_a.username)
    _refreshed_long_ago(client, settings.SESSION_REFRESH_SECONDS)
    before = Session.objects.get().expire_date
    time.sleep(0.01)
    assert _session_writes(client, reverse("structures:home"))
    assert Session.objects.get().expire_date > before


def test_an_anonymous_visit_creates_no_session(db):
    client = Client()
    assert _session_writes(client, reverse("login")) == []
    client.cookies["sessionid"] = "not-a-session"
    assert _session_writes(client, reverse("login")) == []
    assert not Session.objects.exists()


def test_the_sqlite_database_holds_one_writer_and_many_readers(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("seulement sur SQLite")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_the_health_page_answers_anyone_without_the_database(anonymous_client, db):
    with CaptureQueriesContext(connection) as queries:
        response = anonymous_client.get(reverse("structures:health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert queries.captured_queries == []
    assert "sessionid" not in response.cookies
