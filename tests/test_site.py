import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import get_resolver, reverse


def test_no_migration_is_pending(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def named_urls_without_arguments():
    """Every named URL of our apps that takes no argument, namespaced."""
    found = []
    resolver = get_resolver()
    for namespace, (_, sub) in resolver.namespace_dict.items():
        if namespace == "admin":
            continue
        for name, entries in sub.reverse_dict.items():
            if isinstance(name, str) and not entries[0][0][1]:
                found.append(f"{namespace}:{name}")
    for name, entries in resolver.reverse_dict.items():
        if isinstance(name, str) and not entries[0][0][1]:
            found.append(name)
    return sorted(set(found))


PAGES = [name for name in named_urls_without_arguments() if name != "logout"]


def test_logout_refuses_a_get(coordinator_client):
    # Logging out is a POST (a link cannot log anyone out); GET is not allowed.
    assert coordinator_client.get(reverse("logout")).status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_200_with_exactly_one_h1(coordinator_client, name):
    url = reverse(name)
    response = coordinator_client.get(url, follow=True)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("text/html"):
        assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1, url


@pytest.mark.parametrize(
    ("template", "text"),
    [("500.html", "Une erreur est survenue"), ("403_csrf.html", "Formulaire expiré")],
)
def test_error_pages_that_render_without_a_request_are_french(template, text):
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert text in html
    assert 'lang="fr"' in html


def test_a_forbidden_page_is_french(partner_a):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    request.user = partner_a
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


FAILING_REQUEST = """
import django
from django.conf import settings
from django.test import Client, override_settings
django.setup()
storages = settings.STORAGES | {  # no collectstatic here: the static files as they are
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
with override_settings(ROOT_URLCONF="tests.failing_urls", STORAGES=storages):
    response = Client(raise_request_exception=False).get("/panne/", secure=True)
print("status", response.status_code)
"""


def test_a_server_error_in_production_logs_its_traceback_and_mails_the_admins():
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO")
    } | {
        "DJANGO_SETTINGS_MODULE": "repertoire.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-key-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "ADMINS": "Coordination <coordination@example.org>",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    result = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "status 500" in result.stdout
    assert "Internal Server Error: /panne/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    # The console e-mail backend prints the message sent to ADMINS.
    assert "To: coordination@example.org" in result.stdout
    assert "ZeroDivisionError" in result.stdout


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="seulement sur PostgreSQL",
)
def test_the_planner_knows_the_directory_is_in_memory(db):
    """The application's connections set random_page_cost (PG_RANDOM_PAGE_COST)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
