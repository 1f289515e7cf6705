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
from ..search.facets import lookup
from . import state
from .state import hours_state, paris
from .week import Week


def distinct_hours() -> list[str]:
    from ..models import Service, Structure

    structures = Structure.objects.exclude(weekly_hours="").values_list("weekly_hours").order_by()
    services = Service.objects.exclude(weekly_hours="").values_list("weekly_hours").order_by()
    return [row[0] for row in structures.union(services)]


def _hours_q(strings, on: str) -> Q:
    strings = sorted(strings)
    own = Q(**{lookup("weekly_hours__in", on): strings})
    inherited = Q(**{lookup("weekly_hours", on): ""}) & Q(
        **{lookup("structure__weekly_hours__in", on): strings}
    )
    return own | inherited


def open_on_saturday_q(strings, on: str) -> Q:
    return _hours_q([text for text in strings if Week.from_osm(text).days[5]], on)


def current_changes(*, at: datetime | None = None) -> list:
    """The changes in force now, closures and periods of other hours (one query)."""
    from ..models import TemporaryChange

    now = timezone.localtime(at, paris()) if at else state.paris_now()
    kinds = [ChangeKind.FERMETURE, ChangeKind.HORAIRES]
    changes = TemporaryChange.objects.current_on(now.date()).filter(kind__in=kinds)
    fields = ["kind", "structure_id", "service_id", "weekly_hours"]
    return list(changes.values_list(*fields, named=True))  # no model instances: a list page


def open_now_q(strings, changes, on: str, *, at: datetime | None = None) -> Q:
    """Open now: closed under a closure in force (its own, or its structure's); else,
    under a period of other hours in force (its own first, else its structure's), by
    that period's hours; else by its usual hours. A few conditions on sets of ids,
    however many changes are in force."""
    now = timezone.localtime(at, paris()) if at else state.paris_now()

    def is_open(text: str) -> bool:
        found = hours_state(text, at=now)
        return bool(found and found.is_open)

    def own(change) -> bool:  # a fiche's own change, not its structure's
        return bool(change.service_id)

    def target(change) -> int:
        return change.service_id if own(change) else change.structure_id

    closures = [change for change in changes if change.kind == ChangeKind.FERMETURE]
    periods = [change for change in changes if change.kind == ChangeKind.HORAIRES]
    services = _ids_q(lookup("pk__in", on))
    structures = _ids_q("structure_id__in")
    with_own_period = services({target(c) for c in periods if own(c)})
    with_structure_period = structures({target(c) for c in periods if not own(c)})
    open_own = services({target(c) for c in periods if own(c) and is_open(c.weekly_hours)})
    open_structure = structures(
        {target(c) for c in periods if not own(c) and is_open(c.weekly_hours)}
    )
    usual = _hours_q([text for text in strings if is_open(text)], on)
    found = (
        (usual & ~with_own_period & ~with_structure_period)
        | open_own
        | (open_structure & ~with_own_period)
    )
    return (
        found
        & ~services({target(c) for c in closures if own(c)})
        & ~structures({target(c) for c in closures if not own(c)})
    )


def _ids_q(lookup: str):
    """ids -> Q(lookup=ids); no ids, a condition that nothing meets."""

    def condition(ids) -> Q:
        return Q(**{lookup: sorted(ids)}) if ids else Q(pk__in=[])

    return condition
