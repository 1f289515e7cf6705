"""Odd values in requests (unicode digits, huge numbers, NUL bytes, lists…) never give a 500.

The examples reported first, then a property-based walk of every page: each query
parameter and form field that a page shows (and those the views read) gets odd values.
"""

import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.parcours.selection import SESSION_KEY
from structures.models import User

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory
from .form_data import service_data
from .html_utils import page_forms

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


# --- Every page, every parameter ----------------------------------------------------------

ODD = st.one_of(
    st.sampled_from(
        [
            "²",
            "③",
            "٣",
            "0",
            "-1",
            "1.5",
            "1e9",
            str(2**63),
            "9" * 40,
            "",
            " ",
            "\x00",
            "a\x00b",
            "remove:²",
            "up:③",
            "down:" + "9" * 30,
            "clear",
            "pdf",
            "on",
            "../../etc/passwd",
            "<svg/onload=alert(1)>",
            "=1+1",
            "x" * 5000,
        ]
    ),
    st.text(max_size=20),
    st.integers().map(str),
)
VALUES = st.one_of(ODD, st.lists(ODD, min_size=2, max_size=3))
# Parameters that views read without any form or link showing them.
READ_PARAMS = {"page", "q", "lettre", "service", "structure", "next", "action", "e", "o"}
SKIPPED = {
    "logout",
    "admin:logout",
}  # a POST there would end the session: the other examples would be void
MAX_POST_FORMS = 3
# Left out, Django's own and not ours: "e" asks the admin for its « database error » page,
# whose template lacks a variable (--fail-on-template-vars fails, no 500).
ADMIN_INTERNALS = {"e"}


def url_names() -> dict[str, list[str]]:
    """Every named URL (namespace:name) and the names of its arguments."""
    resolver = get_resolver()
    found = {}
    scopes = [
        ("", resolver),
        *((f"{ns}:", sub) for ns, (_, sub) in resolver.namespace_dict.items()),
    ]
    for prefix, scope in scopes:
        for name, entries in scope.reverse_dict.items():
            if isinstance(name, str):
                found[prefix + name] = entries[0][0][1]
    return found


ADMIN_MODELS = {
    f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}": model
    for model in admin.site._registry
    for view in ("changelist", "add", "change", "history")
}


def url_arguments(name: str, params: list[str], objects: dict) -> dict:
    """Real arguments for a URL: the test directory's records, by argument and URL name."""
    structure, service, theme = objects["structure"], objects["service"], objects["theme"]
    slug = theme.slug if "theme" in name else service.slug if "service" in name else structure.slug
    instance = ADMIN_MODELS[name].objects.first() if name in ADMIN_MODELS else None
    values = {
        "slug": slug,
        "structure_slug": structure.slug,
        "pk": service.pk,
        "service_id": service.pk,
        "key": "repertoire",
        "uidb64": "MQ",
        "token": "abc-def",
        "app_label": "structures",
        "object_id": instance.pk if instance else 1,
        "id": objects["user"].pk,
    }
    return {param: values.get(param, "1") for param in params}


def page_names() -> list[str]:
    """Every page: our named URLs, the administration's index and its pages per model."""
    names = []
    for name, params in url_names().items():
        if name in SKIPPED or "autocomplete" in name or "jsi18n" in name:
            continue
        if name.startswith("admin:") and params and name not in ADMIN_MODELS:
            continue  # deletion, password change, view on site: reached through the others
        names.append(name)
    return sorted(names)


@pytest.fixture
def directory(structure_a, editor_a, coordinator, settings):
    # Nothing is built in the background here: the PDF editions are not what is tried.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    theme = ThemeFactory(slug="logement")
    service = ServiceFactory(structure=structure_a, slug="permanence", themes=[theme])
    ContactFactory(structure=structure_a, service=service)
    return {"structure": structure_a, "service": service, "theme": theme, "user": editor_a}


# What each page shows, read at its first example: the examples that follow add rows (login
# attempts, counts) that change the page, and hypothesis wants the same draws each time.
PAGE_SHAPES: dict[tuple[str, str], tuple[set[str], list]] = {}


def page_shape(client, url, key) -> tuple[set[str], list]:
    """The query parameters to try on a page, and its POST forms (at most MAX_POST_FORMS)."""
    if key not in PAGE_SHAPES:
        page = client.get(url, follow=True)
        forms, link_params = page_forms(page.content.decode(errors="replace"))
        # The views' own parameters (READ_PARAMS) are not the admin's, which takes any field
        # name as a filter or an initial value: there, only what the page shows is tried.
        read = set() if url.startswith("/admin/") else READ_PARAMS
        params = (read | link_params) - ADMIN_INTERNALS
        params |= {name for form in forms if form.method == "get" for name in form.names}
        posts = [form for form in forms if form.method == "post"][:MAX_POST_FORMS]
        PAGE_SHAPES[key] = (params, posts)
    return PAGE_SHAPES[key]


def odd_requests(client, url, data, *, key):
    """GET the page with odd parameters, then POST odd values to each of its forms."""
    params, posts = page_shape(client, url, key)
    query = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(params, VALUES)))
    yield "GET", url, client.get(url, query)
    for form in posts:
        target = form.action or url
        if target.startswith(("http:", "https:")) or target == reverse("logout"):
            continue
        names = (form.names | {"action"}) - ADMIN_INTERNALS
        values = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
        yield "POST", target, client.post(target, values)


# The administration answers a partner with its login page: tried once (admin:index).
PAGES = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name in page_names()
    for role in ("coordinator", "editor")
    if role == "coordinator" or not name.startswith("admin:") or name == "admin:index"
]


@pytest.mark.parametrize(("name", "role"), PAGES)
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_odd_values_in_every_parameter_of_every_page_never_give_a_500(
    name, role, directory, client_for, data
):
    user = directory["user"] if role == "editor" else User.objects.get(username="coordination")
    url = reverse(name, kwargs=url_arguments(name, url_names()[name], directory))
    for method, target, response in odd_requests(client_for(user), url, data, key=(name, role)):
        assert response.status_code < 500, (method, target)


@pytest.mark.parametrize(
    "next_url", ["²", "home", "login", "javascript:alert(1)", "//evil.example"]
)
def test_adding_to_the_parcours_with_an_odd_next_goes_back_to_the_service(
    next_url, service, partner_client
):
    response = partner_client.post(
        reverse("liaison:parcours_add", args=[service.pk]), {"next": next_url}
    )
    assert response.status_code == 302
    assert response.url == service.get_absolute_url()


HUGE = "9" * 40


def test_a_theme_number_no_database_holds_is_refused_in_mon_espace(editor_a, client_for):
    response = client_for(editor_a).post(
        reverse("structures:espace_service_create"), service_data(themes=[HUGE, "²"])
    )
    assert response.status_code == 200
    assert "pas une valeur correcte" in str(response.context["form"].errors["themes"])


def test_a_theme_number_no_database_holds_is_refused_in_the_parcours(partner_client, db):
    response = partner_client.post(PARCOURS_URL, {"difficulty_themes": [HUGE]})
    assert response.status_code == 200


DATE_HIERARCHIES = sorted(
    (
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
        model_admin.date_hierarchy,
    )
    for model, model_admin in admin.site._registry.items()
    if model_admin.date_hierarchy
)


@pytest.mark.parametrize(("name", "field"), DATE_HIERARCHIES)
@pytest.mark.parametrize("year", ["-" + "9" * 20, "9" * 20, "9999", "²", ""])
def test_odd_dates_above_an_admin_change_list_show_it_unfiltered(
    name, field, year, coordinator, client_for
):
    """Django let an OverflowError or the year 10000 escape as a 500 (structures/request_params)."""
    client = client_for(coordinator)
    response = client.get(reverse(name), {f"{field}__year": year, f"{field}__month": "1"})
    assert response.status_code == 302
    assert response.url == reverse(name) + "?e=1"
    assert client.get(response.url).status_code == 200
    assert client.get(reverse(name), {f"{field}__year": "2026"}).status_code == 200


def test_an_empty_to_field_in_the_admin_is_refused_not_a_500(coordinator, client_for):
    structure = StructureFactory()
    url = reverse("admin:structures_structure_change", args=[structure.pk])
    assert client_for(coordinator).get(url, {"_to_field": ""}).status_code == 400


@pytest.mark.parametrize("number", ["9" * 40, "-" + "9" * 19])
def test_a_number_no_column_holds_in_an_admin_filter_shows_the_list_unfiltered(
    number, coordinator, client_for
):
    url = reverse("admin:structures_contact_changelist")
    response = client_for(coordinator).get(url, {"structure": number})
    assert (response.status_code, response.url) == (302, url + "?e=1")


@pytest.mark.parametrize(
    ("name", "params", "status"),
    [
        ("admin:structures_temporarychange_changelist", {"kind__exact": "\x00"}, 200),
        ("liaison:liaison_new", {"structure": "a\x00b"}, 404),
        ("structures:search", {"q": "loge\x00ment"}, 200),
    ],
)
def test_a_nul_byte_in_a_parameter_is_taken_out_on_every_page(
    name, params, status, coordinator, client_for
):
    """PostgreSQL refuses NUL in a query: it was a 500 where a parameter reached a lookup."""
    response = client_for(coordinator).get(reverse(name), params)
    assert response.status_code == status
    assert all("\x00" not in value for value in response.wsgi_request.GET.values())
