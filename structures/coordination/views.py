from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..data.exports import rows_csv_bytes
from ..data.workbooks import sheet_write, workbook_bytes, workbook_new
from ..models import Job, Structure
from ..permissions import is_coordinator
from ..reviews import fiche_mark_reviewed
from . import dashboard
from .history import fiche_get, fiche_versions
from .periods import PeriodForm
from .reminders import reminders_send, stale_fiches_of
from .report import activity_report_request, report_key, report_path
from .statistics import TABLE_SLUGS, statistics_build


def coordinator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied("Cette page est réservée à la coordination.")
        return view(request, *args, **kwargs)

    return wrapper


@coordinator_required
def coordination_dashboard(request):
    stale, stale_total = dashboard.stale_fiches()
    incomplete, incomplete_total = dashboard.incomplete_structures()
    dormant, dormant_total = dashboard.dormant_accounts()
    closures, closures_total = dashboard.current_and_coming_closures()
    context = {
        "summary": dashboard.summary_figures(),
        "stale": stale,
        "stale_total": stale_total,
        "changes": dashboard.recent_partner_changes(),
        "incomplete": incomplete,
        "incomplete_total": incomplete_total,
        "dormant": dormant,
        "dormant_total": dormant_total,
        "closures": closures,
        "closures_total": closures_total,
        "closures_days": dashboard.CLOSURES_AHEAD_DAYS,
        "stale_months": settings.STALE_AFTER_MONTHS,
        "recent_days": dashboard.RECENT_CHANGES_DAYS,
        "dormant_months": dashboard.DORMANT_AFTER_MONTHS,
    }
    return render(request, "structures/coordination/dashboard.html", context)


@require_POST
@coordinator_required
def fiche_reviewed(request, kind, pk):
    fiche = fiche_get(kind=kind, pk=pk)
    fiche_mark_reviewed(fiche=fiche)
    if kind == "structure":
        label = f"La fiche d'identité de « {fiche.name} »"
    else:
        label = f"La fiche « {fiche.title} »"
    messages.success(request, f"{label} est marquée comme relue aujourd'hui.")
    return redirect("structures:coordination")


@require_POST
@coordinator_required
def structure_remind(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    if not stale_fiches_of(structure):
        messages.info(
            request, f"Toutes les fiches de {structure.name} sont à jour : rien à relancer."
        )
    elif sent := reminders_send(structure=structure):
        messages.success(
            request, f"Rappel envoyé à {sent} éditeur{'s' if sent > 1 else ''} de {structure.name}."
        )
    else:
        messages.warning(
            request,
            f"{structure.name} n'a aucun éditeur actif avec une adresse courriel : "
            "aucun rappel n'a pu être envoyé.",
        )
    return redirect("structures:coordination")


@coordinator_required
def fiche_history(request, kind, pk):
    fiche = fiche_get(kind=kind, pk=pk)
    versions, total = fiche_versions(fiche=fiche)
    opts = fiche._meta
    context = {
        "fiche": fiche,
        "kind": kind,
        "versions": versions,
        "total": total,
        "admin_history_url": f"admin:{opts.app_label}_{opts.model_name}_history",
    }
    return render(request, "structures/coordination/history.html", context)


def _period_form(request) -> PeriodForm:
    return PeriodForm(request.GET if "periode" in request.GET else None)


@coordinator_required
def statistics_page(request):
    form = _period_form(request)
    period = form.period()
    stats = statistics_build(period=period)
    context = {"form": form, "stats": stats, "period": period, "formats": DOWNLOAD_FORMATS}
    return render(request, "structures/coordination/statistics.html", context)


DOWNLOAD_FORMATS = {"csv": "CSV", "xlsx": "Excel (.xlsx)"}


@coordinator_required
def statistics_download(request, slug, format):
    if slug not in TABLE_SLUGS or format not in DOWNLOAD_FORMATS:
        raise Http404("Ce tableau n'existe pas.")
    period = _period_form(request).period()
    table = statistics_build(period=period, only=slug).tables[slug]
    name = f"statistiques-{slug}-{period.start}-{period.end}.{format}"
    if format == "csv":
        content = rows_csv_bytes(header=table.header, rows=table.download_rows)
        content_type = "text/csv; charset=utf-8"
    else:
        workbook = workbook_new()
        sheet_write(workbook, title=table.title[:31], header=table.header, rows=table.download_rows)
        content = workbook_bytes(workbook)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordinator_required
def statistics_report(request):
    """Today's report of the period at once if it is ready; else ask the task workers for
    it and answer a page that reloads itself until it is."""
    period = _period_form(request).period()
    path = report_path(period)
    if not default_storage.exists(path):
        query = request.GET.copy()
        retry = query.pop("reessayer", None)
        job = Job.objects.filter(key=report_key(period)).first()
        if retry or job is None or job.is_pending or not job.error:  # a failure waits for
            job = activity_report_request(period=period)  # « Réessayer »
        if not default_storage.exists(path):  # a backend that runs tasks at once built it
            context = {"period": period, "job": job, "query": query.urlencode()}
            return render(request, "structures/coordination/report_progress.html", context)
    return FileResponse(
        default_storage.open(path),
        as_attachment=True,
        filename=f"rapport-activite-{period.start}-{period.end}.pdf",
        content_type="application/pdf",
    )
