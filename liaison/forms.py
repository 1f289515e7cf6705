"""The fiche liaison and fiche parcours forms: never saved, only rendered to PDF."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from structures.models import Theme
from structures.text import normalize_phone
from structures.validators import validate_french_phone


class Urgency(models.TextChoices):
    NORMALE = "normale", "Normale"
    RAPIDE = "rapide", "Rapide (dans la semaine)"
    URGENTE = "urgente", "Urgente (dans les 48 heures)"


CONSENT_LABEL = "La personne a été informée de cette transmission et l'a acceptée"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _text(label, *, max_length=200, required=False, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text
    )


def _clean_phone(value: str) -> str:
    value = normalize_phone(value)
    validate_french_phone(value)
    return value


class LiaisonForm(forms.Form):
    date = forms.DateField(label="Date de la fiche", widget=DateInput())

    sender_name = _text("Votre nom", max_length=150, required=True)
    sender_structure = _text("Votre structure", required=True)
    sender_phone = _text("Votre téléphone", max_length=30)
    sender_email = forms.EmailField(label="Votre courriel", required=False)

    recipient_structure = _text("Structure destinataire", required=True)
    recipient_service = _text("Service")
    recipient_contact = _text("Personne à contacter", max_length=250)
    recipient_address = _text("Adresse", max_length=300)

    last_name = _text("Nom", max_length=100, required=True)
    first_name = _text("Prénom", max_length=100, required=True)
    phone = _text("Téléphone", max_length=30, required=True)
    birth_date = forms.DateField(
        label="Date de naissance", required=False, widget=DateInput(), help_text="Facultatif."
    )
    address = _text("Adresse", max_length=300, help_text="Facultatif.")
    languages = _text("Langues parlées", help_text="Par exemple : arabe, français (un peu).")
    interpreter_needed = forms.BooleanField(label="Besoin d'un interprète", required=False)

    request_themes = forms.ModelMultipleChoiceField(
        label="Objet de la demande",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request_text = _text(
        "La demande, en quelques mots",
        max_length=1000,
        rows=3,
        help_text="Ce que la personne demande à la structure destinataire.",
    )
    situation = _text(
        "Situation",
        max_length=2000,
        rows=5,
        help_text="Écrivez seulement ce dont la structure destinataire a besoin pour répondre "
        "à la demande : pas de diagnostic, pas d'informations de santé inutiles.",
    )
    urgency = forms.ChoiceField(
        label="Urgence",
        choices=Urgency.choices,
        initial=Urgency.NORMALE,
        widget=forms.RadioSelect,
    )
    documents = _text(
        "Documents joints",
        max_length=1000,
        rows=3,
        help_text="Un document par ligne (copie de la carte d'identité, avis d'imposition…).",
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        required=True,
        error_messages={
            "required": "La fiche ne peut être transmise qu'avec l'accord de la personne : "
            "informez-la de cette transmission, puis cochez la case."
        },
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["request_themes"].queryset = themes
        self.helper = FormHelper()
        # The server explains every missing field in French; the browser's bubbles do not.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "date",
            Fieldset(
                "Vous",
                Row(Column("sender_name"), Column("sender_structure")),
                Row(Column("sender_phone"), Column("sender_email")),
            ),
            Fieldset(
                "Destinataire",
                Row(Column("recipient_structure"), Column("recipient_service")),
                Row(Column("recipient_contact"), Column("recipient_address")),
            ),
            Fieldset(
                "La personne",
                Row(Column("last_name"), Column("first_name"), Column("phone")),
                Row(Column("birth_date"), Column("address")),
                Row(Column("languages"), Column("interpreter_needed")),
            ),
            Fieldset("La demande", "request_themes", "request_text", "situation", "urgency"),
            Fieldset("Transmission", "documents", "consent"),
            Submit("submit", "Télécharger la fiche liaison (PDF)"),
        )

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean_sender_phone(self):
        return _clean_phone(self.cleaned_data["sender_phone"])

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        return birth_date

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("request_themes") and not cleaned_data.get("request_text"):
            if "request_themes" not in self.errors and "request_text" not in self.errors:
                self.add_error(
                    "request_text",
                    "Indiquez l'objet de la demande : cochez au moins une case ou écrivez-la.",
                )
        return cleaned_data


class ParcoursForm(forms.Form):
    first_name = _text("Prénom de la personne", max_length=100, help_text="Facultatif.")
    difficulty_themes = forms.ModelMultipleChoiceField(
        label="Ses difficultés",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    difficulties_text = _text(
        "Ses difficultés, avec ses mots",
        max_length=1000,
        rows=3,
        help_text="Des mots simples : la fiche est pour la personne.",
    )
    notes = _text("Notes", max_length=1000, rows=3, help_text="Un conseil, un rappel…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AppointmentForm(forms.Form):
    date = forms.DateField(label="Date", required=False, widget=DateInput())
    time = forms.TimeField(label="Heure", required=False, widget=TimeInput())
    with_whom = _text("Avec qui", max_length=150)
    place = _text("Où", max_length=200)

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


AppointmentFormSet = forms.formset_factory(AppointmentForm, extra=3, max_num=6)
