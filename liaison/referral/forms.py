"""The fiche liaison form: never saved, only rendered to PDF."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from structures.fields import RecordsChoiceField
from structures.models import Theme

from ..fields import DateInput, phone_clean, text_field


class Urgency(models.TextChoices):
    NORMALE = "normale", "Normale"
    RAPIDE = "rapide", "Rapide (dans la semaine)"
    URGENTE = "urgente", "Urgente (dans les 48 heures)"


VIA_SENDER_LABEL = "Par l'intermédiaire de l'accueillant"
CONSENT_LABEL = "La personne a été informée de cette transmission et l'a acceptée"


class LiaisonForm(forms.Form):
    date = forms.DateField(label="Date de la fiche", widget=DateInput())

    sender_name = text_field("Votre nom", max_length=150, required=True)
    sender_structure = text_field("Votre structure", required=True)
    sender_phone = text_field("Votre téléphone", max_length=30)
    sender_email = forms.EmailField(label="Votre courriel", required=False)

    recipient_structure = text_field("Structure destinataire", required=True)
    recipient_service = text_field("Service")
    recipient_contact = text_field("Personne à contacter", max_length=250)
    recipient_address = text_field("Adresse", max_length=300)

    last_name = text_field("Nom", max_length=100, required=True)
    first_name = text_field("Prénom", max_length=100, required=True)
    phone = text_field("Téléphone", max_length=30)
    email = forms.EmailField(label="Courriel", required=False)
    via_sender = forms.BooleanField(
        label=VIA_SENDER_LABEL,
        required=False,
        help_text="Pour une personne sans téléphone ni courriel : le destinataire vous appelle.",
    )
    birth_date = forms.DateField(
        label="Date de naissance", required=False, widget=DateInput(), help_text="Facultatif."
    )
    address = text_field("Adresse", max_length=300, help_text="Facultatif.")
    languages = text_field("Langues parlées", help_text="Par exemple : arabe, français (un peu).")
    interpreter_needed = forms.BooleanField(label="Besoin d'un interprète", required=False)

    request_themes = RecordsChoiceField(
        label="Objet de la demande",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request_text = text_field(
        "La demande, en quelques mots",
        max_length=1000,
        rows=3,
        help_text="Ce que la personne demande à la structure destinataire.",
    )
    situation = text_field(
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
    documents = text_field(
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
                Row(Column("last_name"), Column("first_name")),
                Row(Column("birth_date"), Column("address")),
                Row(Column("languages"), Column("interpreter_needed")),
            ),
            Fieldset(
                "Joindre la personne",
                HTML(
                    '<p class="form-text mt-0">Son téléphone, son courriel, ou par '
                    "votre intermédiaire : au moins l'un des trois.</p>"
                ),
                Row(Column("phone"), Column("email")),
                "via_sender",
            ),
            Fieldset("La demande", "request_themes", "request_text", "situation", "urgency"),
            Fieldset("Transmission", "documents", "consent"),
            Submit("submit", "Télécharger la fiche liaison (PDF)"),
        )

    def clean_phone(self):
        return phone_clean(self.cleaned_data["phone"])

    def clean_sender_phone(self):
        return phone_clean(self.cleaned_data["sender_phone"])

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        return birth_date

    def clean(self):
        cleaned_data = super().clean()
        self._require_a_way_to_reach_the_person(cleaned_data)
        missing = not cleaned_data.get("request_themes") and not cleaned_data.get("request_text")
        if missing and "request_themes" not in self.errors and "request_text" not in self.errors:
            self.add_error(
                "request_text",
                "Indiquez l'objet de la demande : cochez au moins une case ou écrivez-la.",
            )
        return cleaned_data

    def _require_a_way_to_reach_the_person(self, cleaned_data):
        if "phone" in self.errors or "email" in self.errors:
            return
        if not any(cleaned_data.get(name) for name in ("phone", "email", "via_sender")):
            self.add_error(
                "phone",
                "Indiquez comment joindre la personne : son téléphone, son courriel, ou cochez "
                f"« {VIA_SENDER_LABEL} ».",
            )
