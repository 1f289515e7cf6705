"""Failed logins: the (username, address) pair locks; the username alone only slows down.

django-axes counts failures per (username, client address) pair and locks that pair
after AXES_FAILURE_LIMIT of them: an attacker who guesses from his address locks only
himself, and a whole office behind one address is never locked by someone's typos.

Across all addresses, one username is only slowed down: once its failures (each address
counting at most AXES_FAILURE_LIMIT, so that one address alone never slows anyone)
reach LOGIN_USERNAME_FAILURE_LIMIT within the cool-off time, each new try waits 1, 2,
4… minutes after the last failure, never more than LOGIN_DELAY_MAX_MINUTES. A try made
during the wait is refused without being checked, so it does not count.

A new password chosen through the reset link lifts both (login_failures_reset).
"""

import math
from datetime import datetime, timedelta

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Sum, Value
from django.db.models.functions import Least
from django.shortcuts import render
from django.utils import timezone


def minutes_label(moment: datetime) -> str:
    """ "1 minute", "7 minutes": the whole minutes left until moment, rounded up."""
    seconds = max((moment - timezone.now()).total_seconds(), 1)
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def _recent_attempts(username: str):
    threshold = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(username=username, attempt_time__gte=threshold)


def login_retry_at(*, username: str) -> datetime | None:
    """When this username may try again, if its failures across all addresses slow it down."""
    if not username:
        return None
    totals = _recent_attempts(username).aggregate(
        failures=Sum(Least("failures_since_start", Value(settings.AXES_FAILURE_LIMIT))),
        last=Max("attempt_time"),
    )
    excess = (totals["failures"] or 0) - settings.LOGIN_USERNAME_FAILURE_LIMIT
    if excess < 0:
        return None
    wait = min(2 ** min(excess, 20), settings.LOGIN_DELAY_MAX_MINUTES)
    retry_at = totals["last"] + timedelta(minutes=wait)
    return retry_at if retry_at > timezone.now() else None


def login_failures_reset(*, username: str) -> None:
    """Forget every failed login of this username, from every address (lifts both limits)."""
    axes_reset(username=username.lower())


def lockout_response(request, original_response=None, credentials=None):
    """The French lockout page (AXES_LOCKOUT_CALLABLE), with the minutes left to wait."""
    username = get_client_username(request, credentials) or ""
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        .aggregate(last=Max("attempt_time"))
        .get("last")
    )
    retry_at = (last or timezone.now()) + get_cool_off(request)
    context = {
        "cooloff_minutes": int(get_cool_off(request).total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "wait": minutes_label(retry_at),
    }
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
