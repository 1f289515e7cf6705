"""The search filters « ouvert maintenant » and « ouvert le samedi » (directory/filters.py).

The state is computed in Python from the stored strings, never per fiche: the distinct
OSM strings of the directory are read once per page (one query) and evaluated once each;
the filter is then a plain `weekly_hours__in` condition. A fiche without hours of its own
has its structure's. « Ouvert maintenant » leaves out the places under a current closure,
and judges those under a current period of other hours on the period's hours (one query).
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from ..enums import ChangeKind
from . import state
from .state import hours_state, paris
from .week import Week


def _lookup(path: str, prefix: str) -> str:
    return path if path.startswith("structure__") else prefix + path


def distinct_hours() -> list[str]:
    from ..models import Service, Structure

    structures = Structure.objects.exclude(weekly_hours="").values_list("weekly_hours").order_by()
    services = Service.objects.exclude(weekly_hours="").values_list("weekly_hours").order_by()
    return [row[0] for row in structures.union(services)]


def _hours_q(strings, prefix: str) -> Q:
    strings = sorted(strings)
    own = Q(**{_lookup("weekly_hours__in", prefix): strings})
    inherited = Q(**{_lookup("weekly_hours", prefix): ""}) & Q(structure__weekly_hours__in=strings)
    return own | inherited


def open_on_saturday_q(strings, prefix: str) -> Q:
    return _hours_q([text for text in strings if Week.from_osm(text).days[5]], prefix)


def current_changes(*, at: datetime | None = None) -> list:
    """The changes in force now, closures and periods of other hours (one query)."""
    from ..models import TemporaryChange

    now = timezone.localtime(at, paris()) if at else state.paris_now()
    kinds = [ChangeKind.FERMETURE, ChangeKind.HORAIRES]
    changes = TemporaryChange.objects.current_on(now.date()).filter(kind__in=kinds)
    fields = ["kind", "structure_id", "service_id", "weekly_hours"]
    return list(changes.values_list(*fields, named=True))  # no model instances: a list page


def open_now_q(strings, changes, prefix: str, *, at: datetime | None = None) -> Q:
    """Open now by the usual hours, unless under a change in force; under a period of
    other hours (and no closure), by the period's hours."""
    now = timezone.localtime(at, paris()) if at else state.paris_now()
    open_strings = [
        text for text in strings if (found := hours_state(text, at=now)) and found.is_open
    ]
    found = _hours_q(open_strings, prefix)
    closed_structures = {c.structure_id for c in changes if c.kind == ChangeKind.FERMETURE}
    closed_services = {c.service_id for c in changes if c.kind == ChangeKind.FERMETURE}
    for change in changes:
        if change.service_id:
            target = Q(**{_lookup("pk", prefix): change.service_id})
        else:
            target = Q(structure_id=change.structure_id)
        found &= ~target
        period = change.kind == ChangeKind.HORAIRES and hours_state(change.weekly_hours, at=now)
        shut = change.structure_id in closed_structures or change.service_id in closed_services
        if period and period.is_open and not shut:
            found |= target
    return found
