"""The weekly form: for each day up to SLOTS_PER_DAY slots, and the public holidays box.

One form field (WeeklyHoursField, a MultiValueField) edits one OSM string; the same field
serves Mon espace and the admin. No one types the OSM syntax. Times are read as people
write them (« 8:30 », « 8h30 », « 8 h »); a mistake is explained naming the day and the
slot, and the form comes back with what was typed.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from ..enums import SlotMode
from .week import DAY_NAMES, MAX_OSM_LENGTH, MINUTES_PER_DAY, Slot, Week
from .wording import time_words

SLOTS_PER_DAY = 3
FIELDS_PER_SLOT = 3  # start, end, mode
# An end before the start is the next morning only for a slot that starts in the evening.
OVERNIGHT_FROM = 18 * 60
TIME = re.compile(r"^(\d{1,2})(?:\s*[h:.]\s*(\d{2})?)?$", re.IGNORECASE)


def parse_time(text: str) -> int | None:
    """« 8:30 », « 08h30 », « 8 h », « 14 » -> minutes after midnight; None if unreadable."""
    match = TIME.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _slot_index(day: int, slot: int) -> int:
    return (day * SLOTS_PER_DAY + slot) * FIELDS_PER_SLOT


HOLIDAYS_INDEX = _slot_index(7, 0)


class WeeklyHoursWidget(forms.MultiWidget):
    template_name = "structures/hours/weekly_widget.html"

    class Media:
        css = {"all": ["css/weekly-hours.css"]}

    def __init__(self, attrs=None):
        widgets = []
        for _ in range(7 * SLOTS_PER_DAY):
            widgets += [
                forms.TimeInput(attrs={"type": "time", "class": "form-control hours-time"}),
                forms.TimeInput(attrs={"type": "time", "class": "form-control hours-time"}),
                forms.Select(choices=SlotMode.choices, attrs={"class": "form-select hours-mode"}),
            ]
        widgets.append(forms.CheckboxInput(attrs={"class": "form-check-input"}))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return week_values(Week.from_osm(value or ""))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        days = []
        for day, day_name in enumerate(DAY_NAMES):
            slots = []
            for slot in range(SLOTS_PER_DAY):
                index = _slot_index(day, slot)
                slots.append(
                    {"number": slot + 1, "fields": subwidgets[index : index + FIELDS_PER_SLOT]}
                )
            days.append({"name": day_name.capitalize(), "code": day, "slots": slots})
        context["widget"]["days"] = days
        context["widget"]["holidays"] = subwidgets[HOLIDAYS_INDEX]
        return context


def week_values(week: Week) -> list:
    """The widget's values for a week (what decompress gives, and what tests post)."""
    values = []
    for slots in week.days:
        padded = list(slots[:SLOTS_PER_DAY]) + [None] * (SLOTS_PER_DAY - len(slots))
        for slot in padded:
            if slot is None:
                values += ["", "", ""]
            else:
                end = slot.end % MINUTES_PER_DAY or MINUTES_PER_DAY
                values += [_hhmm(slot.start), _hhmm(end), slot.mode]
    return [*values, week.closed_on_holidays if not week.is_empty else True]


def _hhmm(minutes: int) -> str:
    return "24:00" if minutes == MINUTES_PER_DAY else f"{minutes // 60:02d}:{minutes % 60:02d}"


def week_post_data(name: str, week: Week) -> dict:
    """The POST data a browser sends for `week` in the field `name`."""
    data = {}
    for index, value in enumerate(week_values(week)):
        if index == HOLIDAYS_INDEX:
            if value:
                data[f"{name}_{index}"] = "on"
        else:
            data[f"{name}_{index}"] = value
    return data


class WeeklyHoursField(forms.MultiValueField):
    """Edits an OSM opening_hours string through the weekly widget; cleans to the string."""

    widget = WeeklyHoursWidget

    def __init__(self, *, max_length=None, **kwargs):
        kwargs.pop("empty_value", None)
        fields = []
        for _ in range(7 * SLOTS_PER_DAY):
            fields += [
                forms.CharField(required=False, max_length=10),
                forms.CharField(required=False, max_length=10),
                forms.ChoiceField(required=False, choices=SlotMode.choices),
            ]
        fields.append(forms.BooleanField(required=False))
        kwargs.setdefault("required", False)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return ""
        text = week_from_values(data_list).to_osm()
        if len(text) > MAX_OSM_LENGTH:
            raise ValidationError(
                "Ces horaires sont trop détaillés pour être enregistrés : regroupez des "
                "créneaux, ou écrivez les exceptions dans les précisions sur les horaires."
            )
        return text


def week_from_values(values: list) -> Week:
    """The week typed in the form; ValidationError naming each day and slot at fault."""
    errors = []
    days = []
    for day, day_name in enumerate(DAY_NAMES):
        slots = []
        for number in range(SLOTS_PER_DAY):
            index = _slot_index(day, number)
            start, end, mode = (values[index] or "", values[index + 1] or "", values[index + 2])
            where = f"{day_name.capitalize()}, créneau {number + 1}"
            slot = _slot(where, start, end, mode or "", errors)
            if slot:
                slots.append(slot)
        days.append(_day_slots(day_name, slots, errors))
    if errors:
        raise ValidationError(errors)
    return Week(tuple(days), bool(values[HOLIDAYS_INDEX]))


def _slot(where: str, start_text: str, end_text: str, mode: str, errors) -> Slot | None:
    if not start_text.strip() and not end_text.strip():
        return None
    start, end = parse_time(start_text), parse_time(end_text)
    for text, value, word in [(start_text, start, "début"), (end_text, end, "fin")]:
        if not text.strip():
            errors.append(ValidationError(f"{where} : indiquez l'heure de {word}."))
        elif value is None:
            errors.append(
                ValidationError(
                    f"{where} : l'heure de {word} « {text.strip()} » n'est pas une heure "
                    "(écrivez par exemple 8:30 ou 14:00)."
                )
            )
    if start is None or end is None:
        return None
    if end == start or (end < start and start < OVERNIGHT_FROM):
        errors.append(
            ValidationError(
                f"{where} : l'heure de fin ({time_words(end)}) doit venir après l'heure de "
                f"début ({time_words(start)})."
            )
        )
        return None
    if start == MINUTES_PER_DAY:
        errors.append(ValidationError(f"{where} : un créneau ne peut pas commencer à 24 h."))
        return None
    return Slot(start, end % MINUTES_PER_DAY, mode)


def _day_slots(day_name: str, slots: list[Slot], errors) -> tuple[Slot, ...]:
    """Sorted, touching slots of the same mode merged (the OSM string cannot tell them
    apart); overlapping slots are an error."""
    merged: list[Slot] = []
    for slot in sorted(slots):
        previous = merged[-1] if merged else None
        if previous and (previous.overnight or slot.start < previous.end):
            errors.append(
                ValidationError(
                    f"{day_name.capitalize()} : les créneaux {_words(previous)} et "
                    f"{_words(slot)} se chevauchent."
                )
            )
        elif previous and slot.start == previous.end and slot.mode == previous.mode:
            merged[-1] = Slot(previous.start, slot.end, slot.mode)
        else:
            merged.append(slot)
    return tuple(merged)


def _words(slot: Slot) -> str:
    return f"{time_words(slot.start)} – {time_words(slot.end or MINUTES_PER_DAY)}"
