"""Opening hours in French words: « Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h »."""

from datetime import date

from django.utils.formats import date_format

from .week import DAY_NAMES, MINUTES_PER_DAY, Slot, Week, _same_slot_days, day_runs

DASH = "\u00a0– "  # never a line that starts with the dash


def time_words(minutes: int) -> str:
    """510 -> « 8 h 30 », 720 -> « 12 h »."""
    hours, rest = divmod(minutes, 60)
    if hours == 24 and rest == 0:
        return "24\u00a0h"
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


def slot_words(slot: Slot) -> str:
    if slot.start == 0 and slot.end == 0:
        return "24 h sur 24"
    end = slot.end % MINUTES_PER_DAY or MINUTES_PER_DAY
    text = f"{time_words(slot.start)}{DASH}{time_words(end)}"
    if slot.overnight and end != MINUTES_PER_DAY:
        text += " (le lendemain)"
    if slot.mode:
        text += f" ({slot.mode})"
    return text


def enumeration(items: list[str]) -> str:
    """["a", "b", "c"] -> « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def days_words(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] -> « du lundi au vendredi »; [1, 3] -> « mardi et jeudi »."""
    if len(days) == 7:
        return "tous les jours"
    parts = []
    for first, last in day_runs(days):
        if last - first >= 2:
            parts.append(f"du {DAY_NAMES[first]} au {DAY_NAMES[last]}")
        else:
            parts.extend(DAY_NAMES[first : last + 1])
    return enumeration(parts)


def week_lines(week: Week) -> list[str]:
    """One line per group of days with the same slots, then the public holidays."""
    if week.is_empty:
        return []
    lines = []
    for days, slots in _same_slot_days(week.days):
        text = days_words(days)
        lines.append(f"{text[0].upper()}{text[1:]} : {enumeration([slot_words(s) for s in slots])}")
    if week.closed_on_holidays:
        lines.append("Fermé les jours fériés")
    return lines


def day_month(day: date, *, today: date | None = None) -> str:
    """« 15 août », « 1er septembre », with the year when it is not this year's."""
    text = "1er " + date_format(day, "F") if day.day == 1 else date_format(day, "j F")
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text
