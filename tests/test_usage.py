"""The anonymous usage counts: a number per day, event and fiche; never who, never a text."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.models import DocumentUse
from liaison.usage import document_use_record
from structures.models import FreshnessSnapshot, UsageCount, UsageEvent, User
from structures.usage import account_count_active, usage_count, usage_purge

from .booklet_data import tiny_directory_build
from .factories import ServiceFactory, StructureFactory, ThemeFactory, UserFactory
from .form_data import admin_service_data


def counts() -> dict:
    """{(event, structure, subject): count} summed over the days."""
    found = {}
    for row in UsageCount.objects.all():
        key = (row.event, row.structure_ref, row.subject_ref)
        found[key] = found.get(key, 0) + row.count
    return found


def without_accounts(found: dict) -> dict:
    return {key: n for key, n in found.items() if key[0] != UsageEvent.PARTNER_ACTIVE}


@pytest.fixture
def service(structure_a):
    return ServiceFactory(structure=structure_a, themes=[ThemeFactory(slug="logement")])


def test_each_view_of_a_theme_a_structure_and_a_fiche_is_counted(service, partner_client):
    theme = service.themes.get()
    for _ in range(2):
        partner_client.get(reverse("structures:theme_detail", args=[theme.slug]))
    partner_client.get(reverse("structures:theme_detail", args=[theme.slug]) + "?page=2")
    partner_client.get(reverse("structures:structure_detail", args=[service.structure.slug]))
    partner_client.get(service.get_absolute_url())
    assert without_accounts(counts()) == {
        (UsageEvent.THEME_VIEW, 0, theme.pk): 2,  # another page is not another visit
        (UsageEvent.STRUCTURE_VIEW, service.structure_id, 0): 1,
        (UsageEvent.SERVICE_VIEW, service.structure_id, service.pk): 1,
    }


def test_searches_are_counted_in_one_statement_without_the_query(service, partner_client):
    with CaptureQueriesContext(connection) as queries:
        partner_client.get(reverse("structures:search"), {"q": "Dupont Marie zzzz"})
    upserts = [q["sql"] for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    assert len([sql for sql in upserts if "usagecount" in sql]) <= 2  # + the active account
    partner_client.get(reverse("structures:search"), {"q": "accompagnement"})
    found = without_accounts(counts())
    assert found == {(UsageEvent.SEARCH, 0, 0): 2, (UsageEvent.SEARCH_EMPTY, 0, 0): 1}
    stored = " ".join(str(value) for row in UsageCount.objects.values() for value in row.values())
    assert "dupont" not in stored.lower()


def test_the_counts_have_no_column_for_a_person_or_a_text():
    names = {field.name for field in UsageCount._meta.get_fields()}
    assert names == {"id", "day", "event", "structure_ref", "subject_ref", "count"}


def test_an_account_is_counted_active_once_a_month_without_keeping_who(structure_a, client_for):
    first, second = UserFactory(structure=structure_a), UserFactory(structure=structure_a)
    for user in (first, first, second):
        client_for(user).get(reverse("structures:home"))
    client_for(first).get(reverse("structures:structure_list"))
    month = timezone.localdate().replace(day=1)
    [row] = UsageCount.objects.filter(event=UsageEvent.PARTNER_ACTIVE)
    assert (row.day, row.structure_ref, row.count) == (month, structure_a.pk, 2)
    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 3)
    assert account_count_active(user=User.objects.get(pk=first.pk), today=next_month)
    assert not account_count_active(user=User.objects.get(pk=first.pk), today=next_month)
    assert UsageCount.objects.get(day=next_month.replace(day=1)).count == 1


def test_edits_by_partners_and_by_the_coordination_are_counted(
    structure_a, service, editor_a, client_for, coordinator_client
):
    editor = client_for(editor_a)
    editor.post(reverse("structures:espace_service_deactivate", args=[service.pk]))
    coordinator_client.post(
        reverse("admin:structures_theme_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": service.themes.get().pk,
            "form-0-person_label": "Trouver un logement",
            "form-0-order": "3",
            "_save": "Enregistrer",
        },
    )
    found = without_accounts(counts())
    assert found[(UsageEvent.PARTNER_EDIT, structure_a.pk, 0)] == 1
    # The theme list belongs to no structure: not an edit of a structure's fiches.
    assert not [key for key in found if key[0] == UsageEvent.COORDINATION_EDIT]


def test_a_coordination_edit_in_the_admin_is_counted(service, coordinator_client):
    url = reverse("admin:structures_service_change", args=[service.pk])
    summary = "Un résumé revu par la coordination."
    data = admin_service_data(service, themes=service.themes.all(), summary=summary)
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    found = without_accounts(counts())
    assert found == {(UsageEvent.COORDINATION_EDIT, service.structure_id, 0): 1}


def test_fiches_confirmed_up_to_date_are_counted(
    structure_a, service, editor_a, client_for, coordinator_client
):
    client_for(editor_a).post(reverse("structures:espace_service_confirm", args=[service.pk]))
    client_for(editor_a).post(reverse("structures:espace_structure_confirm"))
    coordinator_client.post(
        reverse("structures:coordination_reviewed", args=["service", service.pk])
    )
    found = without_accounts(counts())
    assert found == {(UsageEvent.REVIEW_CONFIRMED, structure_a.pk, 0): 3}


def test_downloads_of_the_booklet_and_of_a_structure_pdf_are_counted(db, partner_client):
    tiny = tiny_directory_build()
    structure = tiny["structures"][0]
    response = partner_client.get(reverse("liaison:structure_pdf", args=[structure.slug]))
    assert response["Content-Type"] == "application/pdf"
    theme = tiny["themes"][0]
    response = partner_client.get(reverse("liaison:theme_pdf", args=[theme.slug]))
    assert response["Content-Type"] == "application/pdf"
    found = without_accounts(counts())
    assert found == {
        (UsageEvent.STRUCTURE_PDF_DOWNLOAD, structure.pk, 0): 1,
        (UsageEvent.BOOKLET_DOWNLOAD, 0, theme.pk): 1,
    }


def test_the_purge_keeps_only_the_retention_period(settings, structure_a):
    settings.USAGE_RETENTION_MONTHS = 36
    today = date(2026, 12, 2)
    usage_count(event=UsageEvent.SEARCH, day=date(2023, 12, 1))  # older than 36 months
    usage_count(event=UsageEvent.SEARCH, day=date(2023, 12, 2))
    FreshnessSnapshot.objects.create(day=date(2020, 1, 1), fiches=2, fresh=1)
    old = document_use_record(kind="liaison", sender_structure=structure_a)
    DocumentUse.objects.filter(pk=old.pk).update(created_on=date(2022, 1, 1))
    document_use_record(kind="liaison", sender_structure=structure_a)
    assert usage_purge(today=today) == 3
    assert list(UsageCount.objects.values_list("day", flat=True)) == [date(2023, 12, 2)]
    assert DocumentUse.objects.count() == 1


def test_usage_daily_keeps_the_days_freshness(structure_a, db):
    StructureFactory(last_reviewed_at=None)
    ServiceFactory(structure=structure_a)
    out = StringIO()
    call_command("usage_daily", stdout=out)
    assert "2 fiches à jour sur 3" in out.getvalue()
    snapshot = FreshnessSnapshot.objects.get(day=timezone.localdate())
    assert (snapshot.fiches, snapshot.fresh) == (3, 2)
    assert snapshot.percent == 67


def test_a_page_writes_one_count_at_most(service, partner_client):
    partner_client.get(reverse("structures:home"))  # the account is counted for the month
    for url in [
        service.get_absolute_url(),
        reverse("structures:search") + "?q=zzzz",  # a search with no result: one statement
        reverse("structures:home"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            partner_client.get(url)
        writes = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith(("INSERT", "UPDATE")) and "session" not in query["sql"]
        ]
        assert len(writes) <= 1, (url, writes)
