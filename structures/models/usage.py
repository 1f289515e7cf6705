"""Anonymous daily counts of how the directory is used: never who, never what was typed."""

from django.db import models
from django.utils import timezone

from ..enums import UsageEvent


class UsageCount(models.Model):
    day = models.DateField("jour", default=timezone.localdate)
    event = models.CharField("évènement", max_length=40, choices=UsageEvent)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "comptage d'utilisation"
        verbose_name_plural = "utilisation (comptage anonyme)"
        ordering = ["-day", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event"],
                name="usagecount_one_row_per_day_and_event",
                violation_error_message="Il y a déjà un comptage pour ce jour et cet évènement.",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} le {self.day:%d/%m/%Y} : {self.count}"
