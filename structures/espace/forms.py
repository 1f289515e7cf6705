"""The forms an éditeur fills in /mon-espace/ to keep its own structure's fiches current."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from ..conflicts import FicheVersionForm
from ..fields import RecordsChoiceField
from ..models import Contact, Service, Structure
from ..text import slug_unique

TEXTAREA_ROWS = 4
PRESENTATION_FIELDS = ["name", "acronym", "kind", "role"]


def _helper(*fieldsets) -> FormHelper:
    """A crispy helper without <form> tag: the template holds the form and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(
        "seen_version", *(Fieldset(legend, *fields) for legend, fields in fieldsets)
    )
    return helper


class StructureForm(FicheVersionForm):
    class Meta:
        model = Structure
        fields = [
            *PRESENTATION_FIELDS,
            *Structure.COORDINATES_FIELDS,
            *Structure.ACCESS_FIELDS,
            *Structure.PARTNERSHIP_FIELDS,
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
            for name in [
                "role",
                "opening_hours",
                "access_details",
                "partner_expectations",
                "partnership_limits",
            ]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            ("Présentation", PRESENTATION_FIELDS),
            ("Coordonnées", list(Structure.COORDINATES_FIELDS)),
            ("Horaires et accès", list(Structure.ACCESS_FIELDS)),
            ("Partenariat", list(Structure.PARTNERSHIP_FIELDS)),
        )


class ServiceForm(FicheVersionForm):
    class Meta:
        model = Service
        fields = ["title", "themes", "summary", *Service.DETAIL_FIELDS, *Service.FILTER_FIELDS]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
                for name in Service.DETAIL_FIELDS
                if name != "weekly_hours"  # its own weekly widget
            },
        }
        help_texts = {"documents": "Un document par ligne."}
        field_classes = {"themes": RecordsChoiceField}

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.instance.structure = structure
        self.helper = _helper(
            ("La fiche", ["title", "themes", "summary"]),
            ("Ce que les partenaires doivent savoir", list(Service.DETAIL_FIELDS)),
            ("Public et accueil (les filtres de la recherche)", list(Service.FILTER_FIELDS)),
        )

    def save(self, commit=True):
        if not self.instance.slug:
            taken = set(self.structure.services.values_list("slug", flat=True))
            self.instance.slug = slug_unique(self.cleaned_data["title"], taken=taken)
        return super().save(commit=commit)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "function", "phone", "email", "service", "order"]
        labels = {"service": "pour la fiche service", "order": "ordre d'affichage"}
        help_texts = {"order": "Les plus petits nombres d'abord ; laissez vide si peu importe."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False

    def has_changed(self):
        # A blank form whose order box was emptied is still a blank form.
        return bool(set(self.changed_data) - {"order"})

    def clean_order(self):
        return self.cleaned_data["order"] or 0


class StructureRowsFormSet(forms.BaseInlineFormSet):
    """Rows of a structure (contacts, temporary changes) that may concern one of its fiches:
    the « service » choice offers its own fiches only, or the whole structure."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        services = self.instance.services.order_by("title")
        for form in [*self.forms, self.empty_form]:
            form.fields["service"].queryset = services
            form.fields["service"].empty_label = "Toute la structure"


# A POST says how many rows it sends: without a bound, Django builds (and shows again)
# up to 2,000 forms.
MAX_CONTACTS = 100

ContactFormSet = forms.inlineformset_factory(
    Structure,
    Contact,
    form=ContactForm,
    formset=StructureRowsFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CONTACTS,
    absolute_max=MAX_CONTACTS,
    validate_max=True,
)
