"""What the liaison app keeps: anonymous counts of the documents generated, nothing more.

Nothing typed into a fiche liaison or a fiche parcours is stored: those forms are rendered
to PDF and forgotten. A DocumentUse only says which kind of document was printed, on which
day, between which structures and on which themes, for the partners' evaluations.
"""

from django.db import models
from django.utils import timezone

from structures.models import Service, Structure, Theme

from .parcours.handout import HandoutLanguage


class DocumentKind(models.TextChoices):
    LIAISON = "liaison", "Fiche liaison"
    PARCOURS = "parcours", "Fiche parcours"
    LIAISON_BLANK = "liaison_vierge", "Fiche liaison vierge"
    PARCOURS_BLANK = "parcours_vierge", "Fiche parcours vierge"


class DocumentUse(models.Model):
    kind = models.CharField("document", max_length=20, choices=DocumentKind)
    created_on = models.DateField("date", default=timezone.localdate, db_index=True)
    sender_structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure émettrice",
        help_text="La structure du compte qui a imprimé le document.",
    )
    recipient_structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure destinataire",
    )
    recipient_service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fiche service destinataire",
    )
    language = models.CharField(
        "langue",
        max_length=10,
        blank=True,
        choices=HandoutLanguage,
        help_text="La langue de la fiche parcours, à côté du français (vide : français seul).",
    )
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        verbose_name="thématiques",
        help_text="L'objet de la demande (fiche liaison) ou les difficultés (fiche parcours).",
    )

    class Meta:
        verbose_name = "document imprimé"
        verbose_name_plural = "documents imprimés (comptage anonyme)"
        ordering = ["-created_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.created_on:%d/%m/%Y}"
