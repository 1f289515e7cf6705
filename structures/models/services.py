"""The fiches services of a structure, and the people to contact."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..enums import Fee, Public, ReceptionMode
from ..fields import (
    ChoiceSetField,
    MultilineTextField,
    OpeningHoursField,
    PhoneField,
    TextLineField,
)
from .directory import Fiche, FicheQuerySet, PlainTextModel, Structure, Theme, stable_uid_field


class ServiceQuerySet(FicheQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_theme(self, theme):
        return self.filter(themes=theme)

    def local(self):
        return self.filter(structure__is_annex=False)

    def annexes(self):
        return self.filter(structure__is_annex=True)

    def with_public(self, public):
        return self.filter(publics__has=public)


class Service(Fiche):
    # What partners must know, in the order the forms (Mon espace, admin) ask for it.
    DETAIL_FIELDS = (
        "objectives",
        "audience",
        "access_conditions",
        "procedure",
        "weekly_hours",
        "place_and_hours",
        "documents",
    )
    # Who it is for and how one is received: the search filters' data.
    FILTER_FIELDS = ("publics", "fee", "reception_modes", "walk_in")

    uid = stable_uid_field()
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="services", verbose_name="structure"
    )
    themes = models.ManyToManyField(
        Theme,
        related_name="services",
        verbose_name="thématiques",
        help_text="Les onglets où cette fiche apparaît.",
    )
    title = TextLineField("intitulé", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=100)
    summary = TextLineField(
        "résumé en une ligne",
        max_length=255,
        blank=True,
        help_text="Affiché dans les listes et sur la fiche parcours. Des mots simples.",
    )
    objectives = MultilineTextField("objectifs", max_length=1500, blank=True)
    audience = MultilineTextField("public", max_length=1000, blank=True, help_text="Pour qui ?")
    access_conditions = MultilineTextField("conditions d'accès", max_length=1500, blank=True)
    procedure = MultilineTextField(
        "déroulement",
        max_length=2000,
        blank=True,
        help_text="La démarche exacte : qui appeler, comment orienter.",
    )
    weekly_hours = OpeningHoursField(
        "horaires de la fiche",
        help_text="Seulement s'ils diffèrent de ceux de la structure : laissez vide sinon.",
    )
    place_and_hours = MultilineTextField(
        "lieu et précisions sur les horaires",
        max_length=1000,
        blank=True,
        help_text="Le lieu s'il diffère de celui de la structure, et ce que le tableau des "
        "horaires ne dit pas.",
    )
    documents = MultilineTextField("documents à apporter", max_length=1000, blank=True)
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Décochez pour retirer la fiche du répertoire sans l'effacer.",
    )
    # What the search filters read (the data·inclusion v1 vocabularies).
    publics = ChoiceSetField(
        "publics",
        choices=Public,
        help_text="Les publics auxquels la fiche s'adresse (référentiel data·inclusion). "
        "« Tous publics » ne se combine pas avec un autre public.",
    )
    fee = models.CharField("frais", max_length=10, blank=True, choices=Fee, default=Fee.INCONNU)
    reception_modes = ChoiceSetField(
        "accueil",
        choices=ReceptionMode,
        help_text="Sur place, à distance (téléphone, visioconférence, en ligne), ou les deux.",
    )
    walk_in = models.BooleanField(
        "sans rendez-vous",
        default=False,
        help_text="On peut se présenter sans rendez-vous.",
    )

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes])
    index_argument = "service_ids"

    class Meta:
        verbose_name = "fiche service"
        verbose_name_plural = "fiches services"
        ordering = ["structure__name", "title"]
        indexes = [models.Index(fields=["weekly_hours"], name="service_weekly_hours")]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "slug"],
                name="service_unique_slug_per_structure",
                violation_error_message="Cette structure a déjà une fiche avec cet identifiant.",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.structure.acronym or self.structure.name}"

    def get_absolute_url(self):
        return reverse("structures:service_detail", args=[self.structure.slug, self.slug])

    def clean(self):
        if Public.TOUS_PUBLICS in self.publics and len(self.publics) > 1:
            raise ValidationError(
                {"publics": "« Tous publics » ne se combine pas avec un autre public."}
            )


class Contact(PlainTextModel):
    uid = stable_uid_field()
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="contacts", verbose_name="structure"
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="fiche service",
        help_text="Laissez vide si la personne est l'interlocutrice de toute la structure.",
    )
    name = TextLineField("nom", max_length=150)
    function = TextLineField("fonction", max_length=150, blank=True)
    phone = PhoneField("téléphone")
    email = models.EmailField("courriel", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    # Null for contacts loaded from a fixture before they are first edited.
    updated_at = models.DateTimeField("modifiée le", auto_now=True, null=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "personne à contacter"
        verbose_name_plural = "personnes à contacter"
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name}, {self.function}" if self.function else self.name
