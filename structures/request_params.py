"""Query parameters no page can read, refused before a view or the admin reads them.

NUL bytes are taken out of every query parameter, on every page: PostgreSQL refuses them
in a query (« A string literal cannot contain NUL »), which was a 500 wherever a
parameter reached a lookup (?structure=…, an admin filter); nobody types one on purpose.
Forms already refuse them (Django's fields).

The admin's change lists and their date parameters:

Django turns ?<field>__year=…&<field>__month=… (the dates above a change list) into a
datetime and lets an OverflowError (a year of twenty digits) or the year 9999 (whose next
year does not exist) escape as a 500, on our lists and on django-axes' alike. Such a list
is sent back the way the admin sends back any filter it cannot read: with ?e=1, which
shows the list unfiltered. So is a number no database column holds (?structure=9…9, an
OverflowError on SQLite). An empty `_to_field` (a KeyError inside the admin) is refused
as the admin refuses a field it does not allow: 400.
"""

import re

from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from .text import positive_int

DATE_PARTS = {"__year": 9998, "__month": 12, "__day": 31}
HUGE_NUMBER = re.compile(r"-?\d{19,}")  # no record number has 19 digits


def _readable(query) -> bool:
    for name, values in query.lists():
        if any(HUGE_NUMBER.fullmatch(value) for value in values):
            return False
        for suffix, highest in DATE_PARTS.items():
            if name.endswith(suffix):
                number = positive_int(values[-1]) if values else None
                if number is None or number > highest:
                    return False
    return True


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        cleaned.setlist(name.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


def _is_admin(path: str) -> bool:
    try:
        return path.startswith(reverse("admin:index"))
    except NoReverseMatch:  # a URLconf without the admin (tests/failing_urls.py)
        return False


def request_params_middleware(get_response):
    def middleware(request):
        if any("\x00" in name + "".join(values) for name, values in request.GET.lists()):
            request.GET = _without_nul(request.GET)
        if _is_admin(request.path):
            if TO_FIELD_VAR in request.GET and not request.GET[TO_FIELD_VAR]:
                raise DisallowedModelAdminToField("Champ de liaison vide.")
            if ERROR_FLAG not in request.GET and not _readable(request.GET):
                return redirect(f"{request.path}?{ERROR_FLAG}=1")
        return get_response(request)

    return middleware
