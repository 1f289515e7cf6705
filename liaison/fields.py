"""Form fields shared by the fiche liaison and the fiche parcours."""

from django import forms

from structures.text import normalize_phone
from structures.validators import validate_french_phone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def text_field(label, *, max_length=200, required=False, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text
    )


def phone_clean(value: str) -> str:
    value = normalize_phone(value)
    validate_french_phone(value)
    return value
