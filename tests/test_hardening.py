"""Security headers, the production settings, and user text always rendered as text."""

import os
import re
import secrets
from pathlib import Path

import pytest
from django.urls import reverse

from structures.models import Contact, Service, Structure

from .factories import ContactFactory, ServiceFactory, ThemeFactory
from .processes import manage

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    environment.update(env)
    return manage(*args, env=environment, check=False, timeout=120)


def test_the_deploy_check_passes_without_warning_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="repertoire.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_app_refuses_to_start_in_production_with_the_default_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="repertoire.example.org")
    assert result.returncode != 0
    assert "Set SECRET_KEY to a long random value" in result.stderr


def test_the_https_settings_follow_their_environment_variables():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
    )
    assert result.stdout.splitlines()[-1].split() == ["False", "3600", "True"], result.stderr


def test_the_planner_setting_keeps_the_options_of_the_database_url():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    url = "postgres://repertoire@db.invalid:5432/repertoire?sslmode=require"
    result = run_manage("shell", "-c", code, DATABASE_URL=url)
    options = result.stdout.splitlines()[-1]
    assert "'sslmode': 'require'" in options, result.stderr
    assert "-c random_page_cost=1.1" in options


def test_a_nonsense_boolean_is_refused():
    result = run_manage("check", SECURE_SSL_REDIRECT="peut-être")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be a boolean" in result.stderr


@pytest.fixture
def fiche(structure_a):
    service = ServiceFactory(structure=structure_a, title="Accueil", themes=[ThemeFactory()])
    ContactFactory(structure=structure_a, service=service)
    return service


def pages(service):
    structure = service.structure
    return [
        reverse("structures:home"),
        structure.get_absolute_url(),
        service.get_absolute_url(),
        reverse("structures:search") + "?q=accueil",
        reverse("structures:espace"),
        reverse("structures:espace_structure_edit"),
        reverse("structures:espace_contacts_edit"),
        reverse("structures:espace_service_edit", args=[service.pk]),
    ]


def test_every_page_sends_a_strict_content_security_policy(fiche, editor_a, client_for):
    client = client_for(editor_a)
    for url in pages(fiche):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert "object-src 'none'" in policy, url


def test_no_page_has_an_inline_script(fiche, editor_a, coordinator, client_for):
    urls = [(editor_a, url) for url in pages(fiche)]
    urls += [
        (coordinator, reverse("structures:coordination")),
        (coordinator, reverse("admin:structures_structure_change", args=[fiche.structure.pk])),
        (coordinator, reverse("admin:structures_structure_history", args=[fiche.structure.pk])),
        (None, reverse("login")),
        (None, reverse("password_reset")),
    ]
    for user, url in urls:
        html = client_for(user).get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url


PAYLOAD = "\"><script>alert('x')</script>"
ESCAPED = "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"

STRUCTURE_TEXT_FIELDS = [
    "name",
    "acronym",
    "role",
    "address",
    "city",
    "opening_hours",
    "bus_lines",
    "bus_stop",
    "access_details",
    "partner_expectations",
    "partnership_limits",
]
SERVICE_TEXT_FIELDS = [
    "title",
    "summary",
    "objectives",
    "audience",
    "access_conditions",
    "procedure",
    "place_and_hours",
    "documents",
]
CONTACT_TEXT_FIELDS = ["name", "function"]


def test_every_text_field_is_covered_by_the_xss_test():
    def text_fields(model):
        return {
            field.name
            for field in model._meta.concrete_fields
            if field.get_internal_type() in {"CharField", "TextField"}
            and field.editable
            and not field.choices
            # Validated formats, which cannot hold markup (publics and reception_modes: values
            # of a vocabulary).
            and field.name
            not in {
                "slug",
                "postcode",
                "phone",
                "phone_other",
                "email",
                "website",
                "publics",
                "reception_modes",
                "weekly_hours",  # OSM syntax, only shown through structures/hours/wording.py
            }
        }

    assert text_fields(Structure) == set(STRUCTURE_TEXT_FIELDS)
    assert text_fields(Service) == set(SERVICE_TEXT_FIELDS)
    assert text_fields(Contact) == set(CONTACT_TEXT_FIELDS)


def test_a_script_in_every_text_field_of_a_fiche_is_shown_as_text(
    fiche, editor_a, coordinator, client_for
):
    # Mon espace, the admin and imports refuse HTML (test_data_html.py); a script can still
    # come from data written before that rule, so every page must show it as text.
    client = client_for(editor_a)
    structure = fiche.structure
    Structure.objects.filter(pk=structure.pk).update(
        **dict.fromkeys(STRUCTURE_TEXT_FIELDS, PAYLOAD)
    )
    Service.objects.filter(pk=fiche.pk).update(**dict.fromkeys(SERVICE_TEXT_FIELDS, PAYLOAD))
    structure.contacts.update(**dict.fromkeys(CONTACT_TEXT_FIELDS, PAYLOAD))
    structure.refresh_from_db()
    fiche.refresh_from_db()
    assert structure.role == PAYLOAD
    assert fiche.procedure == PAYLOAD

    expected_on_page = {
        structure.get_absolute_url(): len(STRUCTURE_TEXT_FIELDS) + len(CONTACT_TEXT_FIELDS),
        fiche.get_absolute_url(): len(SERVICE_TEXT_FIELDS) + len(CONTACT_TEXT_FIELDS),
    }
    for url, fields in expected_on_page.items():
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert html.count(ESCAPED) >= fields, url
    for url in [reverse("structures:espace"), reverse("structures:coordination")]:
        html = client_for(coordinator if "coordination" in url else editor_a).get(url)
        assert "<script>alert" not in html.content.decode(), url


def test_line_breaks_typed_in_a_fiche_are_kept_as_text(fiche, partner_client):
    fiche.procedure = "Appeler l'accueil.\nPuis venir avec les papiers.\n<b>Urgent</b>"
    fiche.save()
    html = partner_client.get(fiche.get_absolute_url()).content.decode()
    assert '<p class="fiche-text">Appeler l&#x27;accueil.\nPuis venir' in html
    assert "&lt;b&gt;Urgent&lt;/b&gt;" in html
    assert "<b>Urgent" not in html
