"""The activity report for the partners' meeting, read back from its PDF."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import DocumentKind, DocumentUse
from structures.models import FreshnessSnapshot, Structure, UsageEvent
from structures.usage import usage_count

from .factories import ServiceFactory, StructureFactory, ThemeFactory
from .pdf_utils import is_a4, pdf_keep, pdf_pages_text, pdf_text

REPORT = reverse("structures:statistics_report")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("reader", 403), ("editor", 403), ("coordinator", 200)],
)
def test_access(who, expected, partner_a, editor_a, coordinator, client_for):
    user = {"anonymous": None, "reader": partner_a, "editor": editor_a, "coordinator": coordinator}
    assert client_for(user[who]).get(REPORT).status_code == expected


def test_the_report_holds_the_periods_figures_charts_fiches_and_changes(
    structure_a, editor_a, client_for, coordinator_client
):
    theme = ThemeFactory(name="Logement", slug="logement")
    service = ServiceFactory(structure=structure_a, title="Permanence logement", themes=[theme])
    client_for(editor_a).post(reverse("structures:espace_service_confirm", args=[service.pk]))
    Structure.objects.filter(pk=structure_a.pk).update(last_reviewed_at=None)
    StructureFactory(name="Épicerie solidaire des Tilleuls")
    today = timezone.localdate()
    usage_count(
        event=UsageEvent.SERVICE_VIEW, structure_id=structure_a.pk, subject_id=service.pk, amount=41
    )
    usage_count(event=UsageEvent.THEME_VIEW, subject_id=theme.pk, amount=17)
    DocumentUse.objects.create(kind=DocumentKind.LIAISON, created_on=today)
    FreshnessSnapshot.objects.create(day=today.replace(day=1), fiches=4, fresh=3)
    response = coordinator_client.get(REPORT, {"periode": "mois", "date": str(today)})
    assert response["Content-Type"] == "application/pdf"
    start = today.replace(day=1)
    assert f"rapport-activite-{start}-" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    pdf_keep(pdf, "rapport-activite")
    assert is_a4(pdf)
    text = pdf_text(pdf)
    pages = pdf_pages_text(pdf)
    assert "Rapport d'activité du répertoire" in pages[0]
    assert "Chiffres clés" in pages[0]
    assert "Fiches services consultées 41 0 nouveau" in text
    assert "Documents imprimés par mois" in text
    assert "Consultations par thématique" in text
    assert "Logement 17" in text  # the table under the chart
    assert "Les fiches les plus consultées" in text
    assert f"Permanence logement {structure_a.name} 41" in text
    assert "Fiches à relire, par structure" in text
    assert "Fiche d'identité" in text  # structure A's, stale
    assert "Ce qui a changé" in text
    assert "Épicerie solidaire des Tilleuls" in text  # a new structure of the period
    assert str(editor_a) in text  # a partner's change: the review
    assert "page 1 / " in pages[0]


def test_the_report_of_an_empty_period_says_so(coordinator_client):
    long_ago = timezone.localdate() - timedelta(days=800)
    response = coordinator_client.get(REPORT, {"periode": "annee", "date": str(long_ago)})
    text = pdf_text(b"".join(response.streaming_content))
    assert "Aucune donnée pour cette période" in text
    assert "Aucune modification par un partenaire pendant la période" in text


def test_the_report_is_rendered_by_a_task_while_a_page_waits(coordinator_client, task_queue):
    response = coordinator_client.get(REPORT, {"periode": "annee"})
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "Le rapport est en préparation" in html
    assert '<meta http-equiv="refresh"' in html
    coordinator_client.get(REPORT, {"periode": "annee"})  # asked again: still one task
    assert task_queue.run() == 1
    response = coordinator_client.get(REPORT, {"periode": "annee"})
    assert response["Content-Type"] == "application/pdf"
    assert "Rapport d'activité du répertoire" in pdf_text(b"".join(response.streaming_content))


def test_a_failed_report_says_why_and_retries_on_demand(coordinator_client, task_queue):
    with mock.patch(
        "structures.coordination.report.activity_report_pdf", side_effect=OSError("disque plein")
    ):
        coordinator_client.get(REPORT, {"periode": "mois"})
        task_queue.run()
        waiting = len(task_queue.waiting())  # the job's guard, for a worker that would die
        html = coordinator_client.get(REPORT, {"periode": "mois"}).content.decode()
        assert "La préparation du rapport a échoué : " in html
        assert '<meta http-equiv="refresh"' not in html
        assert len(task_queue.waiting()) == waiting  # not retried by reloading the page
    assert "reessayer=1" in html
    coordinator_client.get(REPORT, {"periode": "mois", "reessayer": "1"})
    task_queue.run()
    response = coordinator_client.get(REPORT, {"periode": "mois"})
    assert response["Content-Type"] == "application/pdf"


def test_usage_daily_deletes_the_reports_of_the_days_before(coordinator_client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from structures.coordination.report import reports_purge

    coordinator_client.get(REPORT)
    default_storage.save(
        "rapports/rapport-mois-2026-01-01-2026-01-31-2026-02-01.pdf", ContentFile(b"x")
    )
    assert reports_purge() == 1
    _, kept = default_storage.listdir("rapports")
    assert len(kept) == 1
