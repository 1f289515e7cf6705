"""Sessions that are not written on every request, and active accounts counted.

Sessions. Writing the session on every page view (SESSION_SAVE_EVERY_REQUEST) made each reader a
writer: on SQLite, page views failed with « database is locked » while an import wrote.
The session is saved when it changes, and otherwise at most every
SESSION_REFRESH_SECONDS, which is what keeps the idle limit: a session not used for
SESSION_COOKIE_AGE seconds (8 hours) has expired, give or take SESSION_REFRESH_SECONDS.
That refresh is skipped, and tried again on the next page, while another writer holds
an SQLite database (structures/db.py): a page view never waits for an import.
"""

import time

from django.conf import settings

from ..db import write_unless_busy
from ..usage import account_count_active

REFRESHED_AT = "_refreshed_at"


def session_refresh_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        session = request.session
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or session.modified:
            return response  # no session yet, or SessionMiddleware saves it anyway
        now = int(time.time())
        if session.session_key and now - session.get(REFRESHED_AT, 0) >= (
            settings.SESSION_REFRESH_SECONDS
        ):
            session[REFRESHED_AT] = now
            saved = write_unless_busy(session.save)
            # A cookie that outlives the browser needs its new expiry: SessionMiddleware
            # sends it (and saves once more) when the session is marked modified.
            session.modified = saved and not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        return response

    return middleware


# Each account is counted once a month among its structure's active accounts (usage.py).
class ActiveAccountsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:  # a comparison of two dates, except once a month
            account_count_active(user=user)
        return self.get_response(request)
