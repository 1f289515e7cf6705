"""The one record that makes the directory a given territory's."""

from django.db import models
from django.db.models import Q

from ..fields import (
    MultilineTextField,
    PhoneField,
    TextLineField,
)
from .directory import Structure


class Territory(models.Model):
    """The one settings record that makes the directory a given territory's."""

    name = TextLineField("nom du territoire", max_length=150, default="Mon territoire")
    coordinating_structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure coordinatrice",
    )
    contact_name = TextLineField("personne référente", max_length=150, blank=True)
    phone = PhoneField("téléphone de la coordination")
    email = models.EmailField("courriel de la coordination", blank=True)
    address = TextLineField("adresse de la coordination", max_length=255, blank=True)
    welcome_text = MultilineTextField(
        "texte d'accueil",
        max_length=2000,
        blank=True,
        help_text="Quelques lignes affichées sur la page d'accueil.",
    )

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoire"
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="territory_single_record",
                violation_error_message="Il n'y a qu'un seul territoire.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "Territory":
        """The territory record; unsaved defaults until the coordinator fills it in."""
        return cls.objects.select_related("coordinating_structure").filter(pk=1).first() or cls()
