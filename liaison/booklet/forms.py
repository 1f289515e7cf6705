from django import forms

from structures.models import Theme

from .context import BookletOptions


class Scope:
    WHOLE = "tout"
    THEMES = "thematiques"


class BookletForm(forms.Form):
    """The choices of the /imprimer/ page, sent by GET so that the PDF link can be shared."""

    scope = forms.ChoiceField(
        label="Que voulez-vous imprimer ?",
        choices=[
            (Scope.WHOLE, "Tout le répertoire"),
            (Scope.THEMES, "Seulement les thématiques cochées ci-dessous"),
        ],
        initial=Scope.WHOLE,
        widget=forms.RadioSelect,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Theme.objects.order_by("order", "name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    annexes = forms.ChoiceField(
        label="Annexes (structures hors du territoire)",
        choices=[("avec", "Avec les annexes"), ("sans", "Sans les annexes")],
        initial="avec",
        widget=forms.RadioSelect,
    )
    contacts = forms.ChoiceField(
        label="Personnes à contacter",
        choices=[("avec", "Avec les noms des personnes à contacter"), ("sans", "Sans les noms")],
        initial="avec",
        widget=forms.RadioSelect,
        help_text="Sans les noms, il reste les téléphones et adresses des structures.",
    )
    sides = forms.ChoiceField(
        label="Impression",
        choices=[
            ("recto-verso", "Recto verso (chaque partie commence sur une page de droite)"),
            ("recto", "Recto seul, pour l'imprimante du bureau (aucune page blanche)"),
        ],
        initial="recto-verso",
        required=False,  # links shared before the choice existed print recto verso
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == Scope.THEMES and not cleaned.get("themes"):
            self.add_error(
                "themes", "Cochez au moins une thématique, ou choisissez tout le répertoire."
            )
        return cleaned

    def options(self) -> BookletOptions:
        themes = self.cleaned_data["themes"] if self.cleaned_data["scope"] == Scope.THEMES else []
        return BookletOptions(
            theme_slugs=tuple(sorted(theme.slug for theme in themes)),
            with_annexes=self.cleaned_data["annexes"] == "avec",
            with_contacts=self.cleaned_data["contacts"] == "avec",
            two_sided=self.cleaned_data["sides"] != "recto",
        )
