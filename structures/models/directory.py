"""Themes and structures, and what every fiche shares (Fiche, PlainTextModel)."""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..enums import StepFreeAccess, StructureKind
from ..fields import (
    MultilineTextField,
    OpeningHoursField,
    PhoneField,
    PostcodeField,
    TextLineField,
    WebsiteField,
)
from ..validators import validate_plain_text


def stable_uid_field():
    """The permanent identifier by which exports and imports match records."""
    return models.UUIDField(
        "identifiant stable",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Identifiant permanent utilisé par les exports et les imports.",
    )


class PlainTextModel(models.Model):
    """A record whose texts are plain text: HTML is refused wherever it comes from (Mon
    espace, the admin, an import), so that what one accepts, the others accept too."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            is_text = isinstance(field, models.CharField | models.TextField) and field.editable
            if not is_text or field.choices or field.name in {*(exclude or ()), *errors}:
                continue
            try:
                validate_plain_text(getattr(self, field.attname))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


def stale_threshold():
    """The moment before which a review is too old (STALE_AFTER_MONTHS)."""
    return timezone.now() - relativedelta(months=settings.STALE_AFTER_MONTHS)


class Theme(PlainTextModel):
    name = TextLineField("nom", max_length=100, unique=True)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=100,
        unique=True,
        help_text="Utilisé dans l'adresse de l'onglet (ex. : logement). Ne changez-le pas "
        "sans raison : les liens enregistrés par les partenaires ne marcheraient plus.",
    )
    person_label = TextLineField(
        "pour la personne",
        max_length=100,
        blank=True,
        help_text="La difficulté dans les mots de la personne, imprimée sur la fiche parcours "
        "(« Mes difficultés ») : « Trouver un logement », « Avoir à manger »… "
        "Laissé vide, la fiche reprend le nom de la thématique.",
    )
    order = models.PositiveSmallIntegerField(
        "ordre", default=0, help_text="Les onglets sont affichés du plus petit au plus grand."
    )
    description = TextLineField(
        "description courte",
        max_length=255,
        blank=True,
        help_text="Une phrase affichée sous l'onglet.",
    )
    datainclusion_codes = models.JSONField(
        "thématiques data·inclusion",
        default=list,
        blank=True,
        help_text='Codes du référentiel national, ex. : ["logement-hebergement"].',
    )

    class Meta:
        verbose_name = "thématique"
        verbose_name_plural = "thématiques"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("structures:theme_detail", args=[self.slug])

    @property
    def for_person(self) -> str:
        """The words of the fiche parcours: the person's label, or else the theme's name."""
        return self.person_label or self.name


class FicheQuerySet(models.QuerySet):
    def stale(self):
        """Never reviewed, or not for STALE_AFTER_MONTHS."""
        return self.filter(
            Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=stale_threshold())
        )


class Fiche(PlainTextModel):
    """What structures and services share: a review date, timestamps, a version, a search
    index entry.

    Every save of an existing fiche raises its version by one, in the database: the
    version a form was opened at (`edited_version`, set by structures/conflicts.py) must
    still be the stored one, compared in the same UPDATE, or the save raises EditConflict
    and writes nothing. Of two simultaneous saves from the same version, one wins.

    save() refreshes the fiche's entry in the search index when a field that the index
    reads was written; writes that skip save() (imports, fixtures) call
    search_index_refresh() or search_index_rebuild() themselves.
    """

    # Saving only these fields leaves the search index as it is.
    NOT_INDEXED = frozenset({"last_reviewed_at", "updated_at", "created_at", "version"})

    last_reviewed_at = models.DateTimeField("relue le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Augmente de un à chaque enregistrement : deux personnes qui modifient la "
        "même fiche en même temps ne s'effacent pas l'une l'autre.",
    )

    # The version the form that is being saved was opened at; None: no check.
    edited_version = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
        else:
            if update_fields is not None:
                kwargs["update_fields"] = update_fields = {*update_fields, "version"}
            with transaction.atomic():
                self._version_take()
                super().save(*args, **kwargs)
        self.edited_version = None
        if update_fields is None or set(update_fields) - self.NOT_INDEXED:
            from ..search.index import search_index_refresh  # the index reads every model

            search_index_refresh(**{self.index_argument: [self.pk]})

    def _version_take(self) -> None:
        """Raise the stored version by one, if it is still edited_version (when set)."""
        from ..conflicts import EditConflict  # conflicts.py reads the models

        stored = type(self).objects.filter(pk=self.pk)
        expected = (
            stored if self.edited_version is None else stored.filter(version=self.edited_version)
        )
        if not expected.update(version=F("version") + 1):
            raise EditConflict(f"{self} a été enregistrée par ailleurs entre-temps.")
        self.version = stored.values_list("version", flat=True).get()


class StructureQuerySet(FicheQuerySet):
    def local(self):
        return self.filter(is_annex=False)

    def annexes(self):
        return self.filter(is_annex=True)


class Structure(Fiche):
    # The identity sheet's groups of fields, as the forms (Mon espace, admin) show them.
    COORDINATES_FIELDS = ("address", "postcode", "city", "phone", "phone_other", "email", "website")
    ACCESS_FIELDS = (
        "weekly_hours",
        "opening_hours",
        "bus_lines",
        "bus_stop",
        "step_free_access",
        "access_details",
    )
    PARTNERSHIP_FIELDS = ("partner_expectations", "partnership_limits")

    uid = stable_uid_field()
    name = TextLineField("nom", max_length=200)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=100,
        unique=True,
        help_text="Utilisé dans l'adresse de la fiche et comme identifiant de connexion de démo.",
    )
    acronym = TextLineField(
        "sigle",
        max_length=30,
        blank=True,
        help_text="Tel que les partenaires l'écrivent : CCAS, CAF, MDR…",
    )
    kind = models.CharField(
        "type de structure", max_length=30, choices=StructureKind, default=StructureKind.AUTRE
    )
    role = MultilineTextField(
        "présentation",
        max_length=1500,
        blank=True,
        help_text="Le rôle exact de la structure, en quelques phrases simples.",
    )
    address = TextLineField("adresse", max_length=255, blank=True)
    postcode = PostcodeField("code postal")
    city = TextLineField("commune", max_length=100, blank=True)
    phone = PhoneField("téléphone")
    phone_other = PhoneField(
        "autre téléphone",
        help_text="Ligne directe, urgence, fax…",
    )
    email = models.EmailField("courriel", blank=True)
    website = WebsiteField("site internet", blank=True)
    weekly_hours = OpeningHoursField(
        "horaires de la semaine",
        help_text="Les jours et heures d'ouverture habituels ; les fermetures et les "
        "changements pour une période se saisissent dans « Changements temporaires ».",
    )
    opening_hours = MultilineTextField(
        "précisions sur les horaires",
        max_length=1000,
        blank=True,
        help_text="Ce que le tableau ne dit pas, en clair : « le 1er mardi du mois, "
        "permanence jusqu'à 19 h ».",
    )
    bus_lines = TextLineField("lignes de bus", max_length=100, blank=True)
    bus_stop = TextLineField("arrêt", max_length=100, blank=True)
    step_free_access = models.CharField(
        "accès de plain-pied / fauteuil roulant",
        max_length=10,
        blank=True,
        choices=StepFreeAccess,
        default=StepFreeAccess.INCONNU,
    )
    access_details = MultilineTextField(
        "précisions sur l'accès",
        max_length=1000,
        blank=True,
        help_text="Étage, interphone, stationnement…",
    )
    partner_expectations = MultilineTextField(
        "ce que les partenaires peuvent attendre",
        max_length=1500,
        blank=True,
        help_text="Ce que la structure fait pour les partenaires qui lui orientent une personne.",
    )
    partnership_limits = MultilineTextField(
        "limites du partenariat",
        max_length=1500,
        blank=True,
        help_text="Ce que la structure ne peut pas faire.",
    )
    is_annex = models.BooleanField(
        "annexe",
        default=False,
        help_text="Structure hors du territoire, listée à part "
        "(Restos du cœur, droits des migrants…).",
    )

    objects = StructureQuerySet.as_manager()
    history = HistoricalRecords()
    index_argument = "structure_ids"

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]
        # The « horaires » filter reads the distinct weekly hours of every page.
        indexes = [models.Index(fields=["weekly_hours"], name="structure_weekly_hours")]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[0-9]{5}$"),
                name="structure_postcode_5_digits",
                violation_error_message="Le code postal doit compter 5 chiffres.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("structures:structure_detail", args=[self.slug])

    @property
    def display_name(self):
        return str(self)

    @property
    def full_address(self) -> str:
        """The address on one line: "1 place de la Mairie, 69300 Bellecombe"."""
        town = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in [self.address.strip(), town] if part)
