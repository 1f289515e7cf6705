"""The activity report for the partners' meeting: one PDF for a period (the PDF base)."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from liaison.pdf import pdf_render

from ..background.jobs import job_request
from ..models import Job, Service, Structure, Territory
from . import dashboard
from .periods import Period
from .statistics import statistics_build

NEW_FICHES_SHOWN = 30


def _moments(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end, time.max, tzinfo=zone),
    )


def activity_report_context(*, period: Period) -> dict:
    since, until = _moments(period)
    stale, stale_total = dashboard.stale_fiches()
    new_services = Service.objects.filter(created_at__range=(since, until)).select_related(
        "structure"
    )
    new_structures = Structure.objects.filter(created_at__range=(since, until))
    stats = statistics_build(period=period)
    return {
        "territory": Territory.load(),
        "period": period,
        "stats": stats,
        "totals": stats.tables["chiffres-cles"],
        "tables": [table for slug, table in stats.tables.items() if slug != "chiffres-cles"],
        "stale": stale,
        "stale_total": stale_total,
        "stale_months": settings.STALE_AFTER_MONTHS,
        "changes": dashboard.recent_partner_changes(since=since, until=until),
        "new_structures": list(new_structures.order_by("name")[:NEW_FICHES_SHOWN]),
        "new_structures_total": new_structures.count(),
        "new_services": list(new_services.order_by("structure__name", "title")[:NEW_FICHES_SHOWN]),
        "new_services_total": new_services.count(),
        "made_on": timezone.localdate(),
    }


def activity_report_pdf(*, period: Period) -> bytes:
    return pdf_render(
        template_name="structures/coordination/report_pdf.html",
        context=activity_report_context(period=period),
    )


# The report is rendered by a task (a few seconds for a year): kept for the day, one file
# per period, under MEDIA_ROOT/rapports/.
REPORTS_DIR = "rapports"


def report_key(period: Period) -> str:
    return f"rapport-{period.kind}-{period.start}-{period.end}"


def report_path(period: Period, *, day: date | None = None) -> str:
    return f"{REPORTS_DIR}/{report_key(period)}-{day or timezone.localdate()}.pdf"


def activity_report_store(*, period: Period) -> str:
    """Render the period's report and keep it for today; its storage path."""
    path = report_path(period)
    pdf = activity_report_pdf(period=period)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(pdf))
    return path


def activity_report_request(*, period: Period) -> Job:
    """Ask the task workers for today's report of the period (one run for many requests)."""
    from .tasks import activity_report_task  # the task module imports this one

    job_request(
        key=report_key(period),
        label=f"Rapport d'activité — {period.label}",
        task=activity_report_task,
        args=[period.kind, str(period.start), str(period.end)],
    )
    return Job.objects.get(key=report_key(period))


def reports_purge(*, today: date | None = None) -> int:
    """Delete the reports kept from the days before; how many."""
    today = today or timezone.localdate()
    if not default_storage.exists(REPORTS_DIR):
        return 0
    _, files = default_storage.listdir(REPORTS_DIR)
    old = [name for name in files if not name.endswith(f"-{today}.pdf")]
    for name in old:
        default_storage.delete(f"{REPORTS_DIR}/{name}")
    return len(old)
