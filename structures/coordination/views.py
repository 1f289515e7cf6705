from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..permissions import is_coordinator
from . import dashboard


def coordination_dashboard(request):
    if not is_coordinator(request.user):
        raise PermissionDenied("Le tableau de bord est réservé à la coordination.")
    context = {
        "stale": dashboard.stale_fiches(),
        "changes": dashboard.recent_partner_changes(),
        "incomplete": dashboard.incomplete_structures(),
        "dormant": dashboard.dormant_accounts(),
        "stale_months": settings.STALE_AFTER_MONTHS,
        "recent_days": dashboard.RECENT_CHANGES_DAYS,
    }
    return render(request, "structures/coordination/dashboard.html", context)
