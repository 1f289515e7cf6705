from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..permissions import is_coordinator
from . import dashboard


def coordination_dashboard(request):
    if not is_coordinator(request.user):
        raise PermissionDenied("Le tableau de bord est réservé à la coordination.")
    stale, stale_total = dashboard.stale_fiches()
    incomplete, incomplete_total = dashboard.incomplete_structures()
    dormant, dormant_total = dashboard.dormant_accounts()
    closures, closures_total = dashboard.current_and_coming_closures()
    context = {
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
