from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..models import Structure
from ..permissions import is_coordinator
from ..reviews import fiche_mark_reviewed
from . import dashboard
from .history import fiche_get, fiche_versions
from .reminders import reminders_send, stale_fiches_of


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
    context = {
        "summary": dashboard.summary_figures(),
        "stale": stale,
        "stale_total": stale_total,
        "changes": dashboard.recent_partner_changes(),
        "incomplete": incomplete,
        "incomplete_total": incomplete_total,
        "dormant": dormant,
        "dormant_total": dormant_total,
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
