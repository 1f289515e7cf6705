"""The admin's forms, labelled for screen readers (axe, WCAG 2.1 AA).

Django's admin leaves some fields without an accessible name: the inputs of tabular
inlines and of editable change lists (their label is a column header), the date and the
time of a split date-time field, and the autocomplete boxes while they are empty. The
mixins below give each one its field's label, without changing what is displayed.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.text import capfirst

SPLIT_PARTS = ["date", "heure"]


def _inner(widget):
    """The widget under the admin's wrapper (the + and ✎ links of a related field)."""
    return getattr(widget, "widget", widget)


def labelled_form(form_class, *, every_field: bool):
    """A subclass of `form_class` whose fields carry their label as aria-label.

    `every_field`: for forms laid out as table rows (inlines, change lists), where no
    <label> is shown; otherwise only the parts of split fields, which no <label> points at.
    """

    class LabelledForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                label = capfirst(str(field.label or ""))
                widget = _inner(field.widget)
                if isinstance(widget, forms.MultiWidget):
                    for part, subwidget in zip(SPLIT_PARTS, widget.widgets, strict=False):
                        subwidget.attrs["aria-label"] = f"{label} : {part}"
                elif every_field and not widget.is_hidden:
                    widget.attrs["aria-label"] = label

    LabelledForm.__name__ = form_class.__name__
    return LabelledForm


class NamedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that says what to choose while it is empty (select2 names the
    box after its placeholder)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = f"Choisir : {self.field.verbose_name}"
        return attrs


class AccessibleAdminMixin:
    """For a ModelAdmin: labelled split fields, change-list inputs and autocomplete boxes."""

    def get_form(self, request, obj=None, **kwargs):
        return labelled_form(super().get_form(request, obj, **kwargs), every_field=False)

    def get_changelist_form(self, request, **kwargs):
        return labelled_form(super().get_changelist_form(request, **kwargs), every_field=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


MAX_INLINE_ROWS = 500


class AccessibleInlineMixin:
    """For an inline: every input of its rows labelled with its column's header."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            # However many rows a POST announces (Django would build 1,000 more than
            # max_num); far above what a structure has.
            absolute_max = MAX_INLINE_ROWS

            def add_fields(self, form, index):
                super().add_fields(form, index)  # the "delete" box comes after the form
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Supprimer"

        LabelledFormSet.form = labelled_form(formset.form, every_field=True)
        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
