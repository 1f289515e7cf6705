"""The fiche parcours form and its appointments: never saved, only rendered to PDF."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from structures.fields import RecordsChoiceField
from structures.models import Theme

from ..fields import DateInput, TimeInput, text_field
from .handout import HandoutLanguage

LANGUAGE_CHOICES = [("", "français seulement"), *HandoutLanguage.choices]


class ThemeChoiceField(RecordsChoiceField):
    def label_from_instance(self, theme):
        if theme.person_label:
            return f"{theme.name} — « {theme.person_label} »"
        return theme.name


def language_field(label="Langue de la personne"):
    return forms.ChoiceField(
        label=label,
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text="Les titres de la fiche sont imprimés en français et dans cette langue ; "
        "les textes du répertoire restent en français. Seul le comptage anonyme des fiches "
        "imprimées garde la langue.",
    )


class BlankParcoursForm(forms.Form):
    """The language of a blank fiche parcours (/parcours/vierge.pdf?langue=ar)."""

    langue = language_field("Langue de la fiche vierge")


class ParcoursForm(forms.Form):
    language = language_field()
    first_name = text_field("Prénom de la personne", max_length=100, help_text="Facultatif.")
    difficulty_themes = ThemeChoiceField(
        label="Ses difficultés",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    difficulties_text = text_field(
        "Ses difficultés, avec ses mots",
        max_length=1000,
        rows=3,
        help_text="Des mots simples : la fiche est pour la personne.",
    )
    notes = text_field("Notes", max_length=1000, rows=3, help_text="Un conseil, un rappel…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AppointmentForm(forms.Form):
    date = forms.DateField(label="Date", required=False, widget=DateInput())
    time = forms.TimeField(label="Heure", required=False, widget=TimeInput())
    with_whom = text_field("Avec qui", max_length=150)
    place = text_field("Où", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("date"), Column("time"), Column("with_whom"), Column("place"))
        )

    def clean(self):
        cleaned_data = super().clean()
        filled = any(cleaned_data.get(name) for name in ("time", "with_whom", "place"))
        if filled and not cleaned_data.get("date") and "date" not in self.errors:
            self.add_error("date", "Indiquez la date du rendez-vous.")
        return cleaned_data


# absolute_max: however many rows a POST announces, six forms are built (Django's
# default would build up to 1,006).
AppointmentFormSet = forms.formset_factory(
    AppointmentForm, extra=3, max_num=6, absolute_max=6, validate_max=True
)
