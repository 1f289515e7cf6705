"""The French words of a temporary change: « Fermé du 1er au 15 août — Fermeture estivale »."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ..directory.grouping import group_by_fiche
from ..enums import ChangeKind
from .week import Week
from .wording import day_month, week_lines


def change_period(change, *, today: date | None = None) -> str:
    """« du 1er au 15 août », « le 14 juillet », « à partir du 1er août »."""
    today = today or timezone.localdate()
    start, end = change.starts_on, change.ends_on
    if end is None:
        if start <= today:
            return f"depuis le {day_month(start, today=today)}"
        return f"à partir du {day_month(start, today=today)}"
    if end == start:
        return f"le {day_month(start, today=today)}"
    if start.year == end.year and start.month == end.month:
        first = "1er" if start.day == 1 else str(start.day)
        return f"du {first} au {day_month(end, today=today)}"
    same_year = start.year == end.year
    first = day_month(start, today=end if same_year else today)
    return f"du {first} au {day_month(end, today=today)}"


KIND_WORDS = {
    ChangeKind.FERMETURE: "Fermé",
    ChangeKind.HORAIRES: "Horaires modifiés",
    ChangeKind.COMPLET: "Complet – liste d'attente",
    ChangeKind.MESSAGE: "",
}


@dataclass(frozen=True)
class Banner:
    text: str
    current: bool
    lines: list[str] = field(default_factory=list)  # the hours of a period

    @property
    def full_text(self) -> str:
        """The banner on one line, with the hours of a period."""
        return f"{self.text} : {' ; '.join(self.lines)}" if self.lines else self.text


def change_banner(change, *, today: date | None = None) -> Banner:
    today = today or timezone.localdate()
    period = change_period(change, today=today)
    words = KIND_WORDS[change.kind]
    reason = change.reason.strip()
    if change.kind == ChangeKind.MESSAGE:
        text = f"{reason or 'Information'} ({period})"
    else:
        text = f"{words} {period}" + (f" — {reason}" if reason else "")
    lines = week_lines(Week.from_osm(change.weekly_hours)) if change.weekly_hours else []
    return Banner(text, change.is_current(today), lines)


def current_banners_attach(structures, services, changes, *, today: date) -> None:
    """Give each structure its `current_banners` (changes of the whole structure) and each
    service its own (changes of that fiche), from `changes`, for printed documents."""
    current = [change for change in changes if change.is_current(today)]
    by_structure, by_service = group_by_fiche(
        current, value=lambda change: change_banner(change, today=today)
    )
    for structure in structures:
        structure.current_banners = by_structure.get(structure.pk, [])
    for service in services:
        service.current_banners = by_service.get(service.pk, [])
