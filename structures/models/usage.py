"""Anonymous daily counts of how the directory is used: never who, never what was typed."""

from django.db import models
from django.utils import timezone

from ..enums import UsageEvent


class UsageCount(models.Model):
    """One row per day, event, structure and fiche or theme: a number, nothing else.

    `structure_ref` and `subject_ref` are plain numbers (0: none), not foreign keys: a
    count outlives the fiche it counted, and one upsert writes it without a lookup.
    """

    day = models.DateField("jour", default=timezone.localdate)
    event = models.CharField("évènement", max_length=40, choices=UsageEvent)
    structure_ref = models.PositiveIntegerField(
        "structure (n°)", default=0, help_text="La structure concernée (0 : aucune)."
    )
    subject_ref = models.PositiveIntegerField(
        "fiche ou thématique (n°)",
        default=0,
        help_text="La fiche service ou la thématique concernée (0 : aucune).",
    )
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "comptage d'utilisation"
        verbose_name_plural = "utilisation (comptage anonyme)"
        ordering = ["-day", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event", "structure_ref", "subject_ref"],
                name="usagecount_one_row_per_day_event_and_subject",
                violation_error_message="Il y a déjà un comptage pour ce jour et cet évènement.",
            ),
        ]
        indexes = [
            # Every read of the statistics is "one event over a range of days", summed by
            # structure or subject: answered from this index alone (a covering index).
            models.Index(
                fields=["event", "day", "structure_ref", "subject_ref", "count"],
                name="usagecount_event_day_sums",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} le {self.day:%d/%m/%Y} : {self.count}"


class FreshnessSnapshot(models.Model):
    """How many fiches there were on a day, and how many were reviewed recently enough."""

    day = models.DateField("jour", unique=True)
    fiches = models.PositiveIntegerField("fiches")
    fresh = models.PositiveIntegerField(
        "fiches à jour", help_text="Relues depuis moins de STALE_AFTER_MONTHS mois."
    )

    class Meta:
        verbose_name = "état de fraîcheur du jour"
        verbose_name_plural = "états de fraîcheur"
        ordering = ["-day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fresh__lte=models.F("fiches")),
                name="freshness_fresh_at_most_fiches",
                violation_error_message="Il ne peut y avoir plus de fiches à jour que de fiches.",
            ),
        ]

    def __str__(self):
        return f"Fraîcheur le {self.day:%d/%m/%Y} : {self.fresh} sur {self.fiches}"

    @property
    def percent(self) -> int:
        return round(100 * self.fresh / self.fiches) if self.fiches else 100
