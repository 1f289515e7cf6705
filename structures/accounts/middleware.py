"""Sessions that are not written on every request.

Writing the session on every page view (SESSION_SAVE_EVERY_REQUEST) made each reader a
writer: on SQLite, page views failed with « database is locked » while an import wrote.
The session is saved when it changes, and otherwise at most every
SESSION_REFRESH_SECONDS, which is what keeps the idle limit: a session not used for
SESSION_COOKIE_AGE seconds (8 hours) has expired, give or take SESSION_REFRESH_SECONDS.
"""

import time

from django.conf import settings

REFRESHED_AT = "_refreshed_at"


def session_refresh_middleware(get_response):
    def middleware(request):
        session = request.session
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            refreshed_at = session.get(REFRESHED_AT, 0)  # loads the session
            now = int(time.time())
            if session.session_key and now - refreshed_at >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: saved with a new expiry date
        return get_response(request)

    return middleware
