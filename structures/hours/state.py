"""Open or closed now, in Europe/Paris time: « Ouvert — ferme à 12 h », « Fermé — ouvre
mardi à 9 h », « Fermé temporairement jusqu'au 15 août ».

The state is computed in Python from the stored OSM strings, for a whole page at once
(hours_annotate: one query for the page's temporary changes). The temporary changes are
written into the expression as date ranges (« 2026Aug01-2026Aug15 off »), so that the
library says when the place opens again after a closure or a period of other hours.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from opening_hours import OpeningHours, ParserError, State

from ..enums import ChangeKind
from .banners import change_banner
from .week import COUNTRY, DAY_NAMES, Week
from .wording import day_month, time_words

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
OPEN_ENDED_DAYS = 3650
LOOK_AHEAD = timedelta(days=62)  # how far « ouvre le … » looks (past a summer closure)
CHANGES_AHEAD = timedelta(days=62)


def paris() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def paris_now() -> datetime:
    """Now, in Europe/Paris time (tests move it by replacing this function)."""
    return timezone.localtime(timezone.now(), paris())


@dataclass(frozen=True)
class HoursState:
    is_open: bool
    label: str

    @property
    def css_class(self) -> str:
        return "hours-state-open" if self.is_open else "hours-state-closed"


def osm_date(day: date) -> str:
    return f"{day.year}{MONTHS[day.month - 1]}{day.day:02d}"


def osm_range(change) -> str:
    end = change.ends_on or change.starts_on + timedelta(days=OPEN_ENDED_DAYS)
    return f"{osm_date(change.starts_on)}-{osm_date(end)}"


def effective_expression(weekly: str, changes) -> str:
    """The weekly hours with the closures and the periods of other hours written in."""
    rules = [weekly] if weekly else []
    for change in sorted(changes, key=lambda item: (item.starts_on, item.pk or 0)):
        if change.kind == ChangeKind.FERMETURE:
            rules.append(f"{osm_range(change)} off")
        elif change.kind == ChangeKind.HORAIRES and change.weekly_hours:
            period = osm_range(change)
            rules.append(f"{period} off")
            changed = Week.from_osm(change.weekly_hours)
            if not changed.is_empty:
                rules.append(changed.to_osm(prefix=f"{period} "))
    return "; ".join(rules)


@lru_cache(maxsize=4096)
def expression_for(text: str) -> OpeningHours:
    return OpeningHours(
        text, timezone=paris(), country=COUNTRY, auto_country=False, auto_timezone=False
    )


def when_words(moment: datetime, now: datetime) -> str:
    """« à 12 h », « demain à 9 h », « mardi à 9 h », « le lundi 17 août à 9 h »."""
    clock = f"à {time_words(moment.hour * 60 + moment.minute)}"
    days = (moment.date() - now.date()).days
    if days == 0:
        return clock
    if days == 1:
        return f"demain {clock}"
    if days < 7:
        return f"{DAY_NAMES[moment.weekday()]} {clock}"
    return f"le {DAY_NAMES[moment.weekday()]} {day_month(moment.date(), today=now.date())} {clock}"


def _open_run_end(expression: OpeningHours, now: datetime) -> datetime | None:
    end = None
    for _start, finish, state, _comment in expression.intervals(now, now + LOOK_AHEAD):
        if state != State.OPEN:
            return end
        end = finish
    return None


def _next_opening(expression: OpeningHours, now: datetime) -> datetime | None:
    for start, _finish, state, _comment in expression.intervals(now, now + LOOK_AHEAD):
        if state == State.OPEN:
            return start
    return None


def closure_state(changes, day: date) -> HoursState | None:
    closures = [c for c in changes if c.kind == ChangeKind.FERMETURE and c.is_current(day)]
    if not closures:
        return None
    ends = [c.ends_on for c in closures]
    if None in ends:
        return HoursState(False, "Fermé temporairement")
    return HoursState(False, f"Fermé temporairement jusqu'au {day_month(max(ends), today=day)}")


def hours_state(weekly: str, changes=(), *, at: datetime | None = None) -> HoursState | None:
    """The state at `at` (now by default); None when the hours are not given as data."""
    now = timezone.localtime(at, paris()) if at else paris_now()
    closed = closure_state(changes, now.date())
    if closed:
        return closed
    if not weekly:
        return None
    try:
        expression = expression_for(effective_expression(weekly, changes))
    except ParserError:  # written around the validators: no state, never a 500
        return None
    if expression.state(now)[0] == State.OPEN:
        end = _open_run_end(expression, now)
        if end is None:  # open for longer than LOOK_AHEAD
            return HoursState(True, "Ouvert 24 h sur 24")
        return HoursState(True, f"Ouvert — ferme {when_words(end.astimezone(paris()), now)}")
    opening = _next_opening(expression, now)
    if opening is None:
        return HoursState(False, "Fermé")
    return HoursState(False, f"Fermé — ouvre {when_words(opening.astimezone(paris()), now)}")


def _own_hours(item) -> str:
    """A fiche's own hours, or else its structure's."""
    own = getattr(item, "weekly_hours", "")
    structure = getattr(item, "structure", None)
    return own or (structure.weekly_hours if structure is not None else "")


def hours_annotate(items, *, at: datetime | None = None) -> None:
    """Set .hours_state and .hours_banners on structures and services (services with
    their .structure), with one query for all their temporary changes."""
    from ..models import Service, TemporaryChange

    items = list(items)
    if not items:
        return
    now = timezone.localtime(at, paris()) if at else paris_now()
    today = now.date()
    structure_ids = {item.structure_id if isinstance(item, Service) else item.pk for item in items}
    changes = list(
        TemporaryChange.objects.overlapping(today, today + CHANGES_AHEAD).filter(
            structure_id__in=structure_ids
        )
    )
    for item in items:
        is_service = isinstance(item, Service)
        structure_id = item.structure_id if is_service else item.pk
        own = [
            change
            for change in changes
            if change.structure_id == structure_id
            and (change.service_id is None or (is_service and change.service_id == item.pk))
        ]
        item.hours_state = hours_state(_own_hours(item), own, at=now)
        # A fiche in its structure's group says only what differs from its structure.
        item.hours_own = is_service and (
            bool(item.weekly_hours) or any(change.service_id for change in own)
        )
        item.hours_banners = [
            change_banner(change, today=today) for change in own if _announced(change, today)
        ]


def _announced(change, today: date) -> bool:
    from ..models.hours import ANNOUNCE_DAYS

    return change.starts_on <= today + timedelta(days=ANNOUNCE_DAYS) and (
        change.ends_on is None or change.ends_on >= today
    )
