"""The activity report for the partners' meeting: one PDF for a period (the PDF base)."""

from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from liaison.pdf import pdf_render

from ..models import Service, Structure, Territory
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
