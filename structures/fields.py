from django import forms
from django.db import models
from django.utils.text import normalize_newlines

from .text import normalize_phone
from .validators import validate_french_phone, validate_postcode


class PhoneField(models.CharField):
    """A French phone number, stored as it is displayed: 04 72 00 00 00."""

    default_validators = [validate_french_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class PostcodeField(models.CharField):
    default_validators = [validate_postcode]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if value else value


class WebsiteField(models.URLField):
    """A website address; "example.org" typed without a scheme becomes https://example.org."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class MultilineFormField(forms.CharField):
    """A text area's text with "\n" line endings: browsers send "\r\n"."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class MultilineTextField(models.TextField):
    """A text typed on several lines, stored with "\n" line endings from every source
    (forms, admin, imports), so that re-sending a form unchanged changes nothing."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MultilineFormField, **kwargs})
