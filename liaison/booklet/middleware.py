"""After a change to the directory, ask the task workers for new editions of it.

Every page that changes the directory (the admin, Mon espace, the imports) answers a
saved form with a redirect; only the coordination and the éditeurs can change it. So
after such a request the kept editions are checked against the directory's fingerprint
(editions.py, seven small queries) and the stale ones are requested: one build for all
the changes made within BOOKLET_BUILD_DELAY_SECONDS. A change made elsewhere (a command,
a task) is caught at the latest by the next download or visit of /imprimer/; a task
that changes the directory can call `editions_refresh()` itself.
"""

import logging

from structures.permissions import is_coordinator, is_editor

from .editions import editions_refresh

logger = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303}


class EditionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code in REDIRECTS
            and (is_coordinator(request.user) or is_editor(request.user))
        ):
            try:
                editions_refresh()
            except Exception:  # the change is saved: never turn it into an error page
                logger.exception("Could not request new editions of the directory")
        return response
