"""Temporary changes to a structure's (or a fiche's) opening hours: a summer closure,
other hours for a period, « complet – liste d'attente », a short message."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..enums import ChangeKind
from ..fields import OpeningHoursField
from .directory import PlainTextModel, Structure, stable_uid_field
from .services import Service

# A change is announced (banner, lists) from a week before it starts.
ANNOUNCE_DAYS = 7


class TemporaryChangeQuerySet(models.QuerySet):
    def shown_on(self, day: date):
        """Announced or current on `day`: from ANNOUNCE_DAYS before its start to its end."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            starts_on__lte=day + timedelta(days=ANNOUNCE_DAYS),
        )

    def current_on(self, day: date):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)

    def overlapping(self, first: date, last: date):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first), starts_on__lte=last)

    def closures(self):
        return self.filter(kind=ChangeKind.FERMETURE)

    def for_service(self, service):
        """The changes of the fiche, and those of its whole structure."""
        return self.filter(
            Q(service__isnull=True) | Q(service=service), structure_id=service.structure_id
        )


class TemporaryChange(PlainTextModel):
    uid = stable_uid_field()
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="temporary_changes",
        verbose_name="structure",
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="temporary_changes",
        verbose_name="fiche service",
        help_text="Laissez vide si le changement vaut pour toute la structure.",
    )
    kind = models.CharField(
        "type de changement", max_length=20, choices=ChangeKind, default=ChangeKind.FERMETURE
    )
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField(
        "jusqu'au (inclus)",
        null=True,
        blank=True,
        help_text="Laissez vide si la date de fin n'est pas connue.",
    )
    reason = models.CharField(
        "motif ou message",
        max_length=200,
        blank=True,
        help_text="Une phrase courte, affichée sur le bandeau : « Fermeture estivale », "
        "« Travaux », « Liste d'attente d'environ deux mois »…",
    )
    weekly_hours = OpeningHoursField(
        "horaires pendant la période",
        help_text="Seulement pour « horaires modifiés pour la période ».",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = TemporaryChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "changement temporaire"
        verbose_name_plural = "changements temporaires (fermetures…)"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="temporarychange_ends_after_start",
                violation_error_message="La date de fin doit être le jour du début ou après.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ChangeKind.HORAIRES) | ~Q(weekly_hours=""),
                name="temporarychange_changed_hours_given",
                violation_error_message="Indiquez les horaires de la période.",
            ),
        ]

    def __str__(self):
        from ..hours.banners import change_period

        return f"{self.get_kind_display()} {change_period(self)} — {self.structure}"

    def clean(self):
        if self.service_id and self.structure_id and self.service.structure_id != self.structure_id:
            raise ValidationError({"service": "Cette fiche appartient à une autre structure."})

    def get_absolute_url(self):
        target = self.service or self.structure
        return target.get_absolute_url()

    def is_current(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
