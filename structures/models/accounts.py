"""The partners' accounts and what is kept about them."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from ..enums import Role
from .directory import Structure


class User(AbstractUser):
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="structure",
        help_text="La structure partenaire de la personne.",
    )
    role = models.CharField("rôle", max_length=20, choices=Role, default=Role.PARTENAIRE)
    is_editor = models.BooleanField(
        "éditeur",
        default=False,
        help_text="Peut mettre à jour les fiches de sa propre structure.",
    )
    counted_month = models.DateField(
        "compté actif pour le mois du",
        null=True,
        blank=True,
        editable=False,
        help_text="Le premier jour du dernier mois où le compte a été compté parmi les "
        "comptes actifs de sa structure (le comptage ne garde que le nombre).",
    )

    class Meta:
        verbose_name = "compte"
        verbose_name_plural = "comptes"
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~Q(email=""),
                name="user_unique_email",
                violation_error_message="Un compte utilise déjà cette adresse courriel.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self):
        return self.is_active and (self.role == Role.COORDINATION or self.is_superuser)

    def save(self, *args, **kwargs):
        # The coordination role is what opens the admin; nobody manages is_staff by hand.
        self.is_staff = self.role == Role.COORDINATION or self.is_superuser
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None):
        return self.is_coordinator or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_coordinator or super().has_module_perms(app_label)


class StaleReminder(models.Model):
    """When an éditeur was last reminded of its structure's stale fiches (remind_stale)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="stale_reminders", verbose_name="compte"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    sent_at = models.DateTimeField("envoyé le")

    class Meta:
        verbose_name = "rappel de relecture"
        verbose_name_plural = "rappels de relecture"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                name="stale_reminder_unique_user_structure",
                violation_error_message="Un seul rappel est gardé par compte et par structure.",
            ),
        ]

    def __str__(self):
        return f"Rappel à {self.user} pour {self.structure}, le {self.sent_at:%d/%m/%Y}"
