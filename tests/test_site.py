import re

import pytest
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
