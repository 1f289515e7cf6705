from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst, normalize_newlines

from .text import normalize_phone, positive_int
from .validators import (
    TextLengthValidator,
    length_validators_replace,
    validate_french_phone,
    validate_postcode,
)


class LimitedLengthMixin:
    """max_length checked by TextLengthValidator, by the model (admin, imports: full_clean)
    and by its form field (Mon espace), so that every door says the same thing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators[:] = length_validators_replace(self.validators)
            if not any(isinstance(item, TextLengthValidator) for item in self.validators):
                self.validators.append(TextLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators = length_validators_replace(field.validators)
        return field


class TextLineField(LimitedLengthMixin, models.CharField):
    """One line of text (a name, an address) of at most max_length characters."""


class PhoneField(LimitedLengthMixin, models.CharField):
    """A French phone number, stored as it is displayed: 04 72 00 00 00."""

    default_validators = [validate_french_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class PostcodeField(LimitedLengthMixin, models.CharField):
    default_validators = [validate_postcode]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if value else value


class WebsiteField(LimitedLengthMixin, models.URLField):
    """A website address; "example.org" typed without a scheme becomes https://example.org."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class MultilineFormField(forms.CharField):
    """A text area's text with "\n" line endings: browsers send "\r\n".

    No maxlength attribute: a browser would silently cut a pasted text; the server says
    instead how far over the limit it is, and keeps the whole text in the form.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class MultilineTextField(LimitedLengthMixin, models.TextField):
    """A text typed on several lines, stored with "\n" line endings from every source
    (forms, admin, imports), so that re-sending a form unchanged changes nothing.

    Give it a max_length: the length a real fiche needs, no more (an unbounded text once
    made every PDF that prints it time out; tests/test_limits.py checks every field)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MultilineFormField, **kwargs})


class ValueListField(models.CharField):
    """Several short values stored as "a,b" (in the order given, each once).

    The value is a list. `field__has="a"` finds the rows that hold that value, on any
    database.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value is None or isinstance(value, list | tuple):
            items = [str(item) for item in value or []]
        else:
            items = [item.strip() for item in str(value).split(",")]
        return [item for item in dict.fromkeys(items) if item]

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value
        return ",".join(self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class ChoiceSetField(ValueListField):
    """Several values of a TextChoices, stored as "jeunes,familles" (in the choices' order).
    The form field is a list of checkboxes."""

    def __init__(self, *args, choices, **kwargs):
        self.choice_set = choices
        self.order = list(choices.values)  # read for every row: TextChoices.values is slow
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.choice_set
        return name, path, args, kwargs

    def to_python(self, value):
        items = super().to_python(value)
        known = [item for item in self.order if item in items]
        return known + [item for item in items if item not in self.order]

    def validate(self, value, model_instance):
        unknown = [item for item in value if item not in self.choice_set.values]
        if unknown:
            raise ValidationError(
                "Valeur inconnue : %(values)s.",
                code="invalid_choice",
                params={"values": ", ".join(f"« {item} »" for item in unknown)},
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choice_set.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            **{key: value for key, value in kwargs.items() if key in {"label", "help_text"}},
        )


@ValueListField.register_lookup
class Has(models.Lookup):
    """`publics__has="jeunes"`: the list holds that value (a LIKE on ",a,b," that any
    database runs)."""

    lookup_name = "has"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"(',' || {lhs} || ',') LIKE %s", [*lhs_params, f"%,{self.rhs},%"]


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by their number (checkboxes, the admin's selects).

    Django's field hands any string of digits to the database: on SQLite, a number larger
    than it holds ("9" × 40) crashes the query. Such a number is refused as unknown.
    """

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                if positive_int(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class OpeningHoursField(models.CharField):
    """Weekly opening hours in the OpenStreetMap `opening_hours` syntax, edited through the
    weekly form (structures/hours/forms.py): no one types the syntax."""

    def __init__(self, *args, **kwargs):
        from .hours.week import MAX_OSM_LENGTH, validate_opening_hours

        kwargs.setdefault("max_length", MAX_OSM_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_opening_hours])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        from .hours.forms import WeeklyHoursField, WeeklyHoursWidget

        # The admin's text input would replace the weekly widget: it is always this one.
        kwargs = {**kwargs, "form_class": WeeklyHoursField, "widget": WeeklyHoursWidget}
        return super().formfield(**kwargs)
