"""axe-core (WCAG 2.1 AA) on the admin of the directory, at 1280 px."""

import pytest

from structures.models import Contact, Service, Structure, Theme, User

from .conftest import axe_violations, log_in, screenshot, wait_for_path

# The directory's models, by their admin URL name.
MODELS = {
    "structure": Structure,
    "service": Service,
    "theme": Theme,
    "contact": Contact,
    "territory": None,
    "user": User,
    "synonym": None,
    "usagecount": None,
}


@pytest.fixture
def coordinator_page(page, usage_year):
    log_in(page, username="coordination")
    wait_for_path(page, "/")
    return page


def _admin_pages():
    pages = {"admin-index": "/admin/"}
    for name, model in MODELS.items():
        pages[f"admin-{name}-liste"] = f"/admin/structures/{name}/"
        if model is not None:
            pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
            pages[f"admin-{name}-fiche"] = f"/admin/structures/{name}/{pk}/change/"
            pages[f"admin-{name}-ajout"] = f"/admin/structures/{name}/add/"
    pages["admin-documents-liste"] = "/admin/liaison/documentuse/"
    pages["admin-editions-liste"] = "/admin/liaison/edition/"
    pages["admin-travaux-liste"] = "/admin/structures/job/"
    return pages


def test_the_admin_of_the_directory_has_no_wcag_violations(coordinator_page):
    found = {}
    for name, path in _admin_pages().items():
        coordinator_page.goto(path)
        screenshot(coordinator_page, name)
        if violations := axe_violations(coordinator_page):
            found[f"{name} {path}"] = violations
    assert found == {}
