"""What the liaison app keeps: anonymous counts of the documents generated, and the
editions of the paper directory.

Nothing typed into a fiche liaison or a fiche parcours is stored: those forms are rendered
to PDF and forgotten. A DocumentUse only says which kind of document was printed, on which
day, between which structures and on which themes, for the partners' evaluations. An
Edition is the latest PDF of the directory, of a theme or of a structure, built by the task
workers from the directory's own content.
"""

from django.db import models
from django.utils import timezone

from structures.models import Job, Service, Structure, Theme

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


class EditionKind(models.TextChoices):
    DIRECTORY = "repertoire", "Répertoire complet"
    THEME = "thematique", "Livret d'une thématique"
    SELECTION = "selection", "Sélection à la demande"
    STRUCTURE = "structure", "Fiche PDF d'une structure"


class EditionQuerySet(models.QuerySet):
    def kept(self):
        """The editions rebuilt after every change: the directory, each theme, each structure."""
        return self.exclude(kind=EditionKind.SELECTION)

    def expired(self):
        return self.filter(expires_at__lt=timezone.now())


class Edition(models.Model):
    """The latest PDF of one printed document, produced by the task workers.

    Downloads serve `file` at once; `job` says whether a newer one is being prepared.
    """

    key = models.SlugField("identifiant", max_length=150, unique=True)
    kind = models.CharField("document", max_length=20, choices=EditionKind)
    label = models.CharField("titre", max_length=300)
    options = models.JSONField(
        "contenu", default=dict, blank=True, help_text="Les choix qui composent le document."
    )
    job = models.ForeignKey(
        Job, on_delete=models.PROTECT, related_name="editions", verbose_name="travail"
    )
    file = models.CharField("fichier", max_length=255, blank=True)
    produced_at = models.DateTimeField("produite le", null=True, blank=True)
    pages = models.PositiveIntegerField("pages", default=0)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    source = models.CharField(
        "état du répertoire",
        max_length=64,
        blank=True,
        help_text="L'empreinte du répertoire lors de la dernière construction.",
    )
    content = models.CharField(
        "empreinte du contenu",
        max_length=64,
        blank=True,
        help_text="Une édition nouvelle n'est produite que si ce qu'elle imprime change.",
    )
    failed_source = models.CharField(
        "état du répertoire du dernier échec",
        max_length=64,
        blank=True,
        help_text="Après un échec, l'édition n'est reconstruite qu'au changement suivant.",
    )
    parts = models.JSONField("parties utilisées", default=list, blank=True)
    parts_rendered = models.PositiveIntegerField("parties refaites", default=0)
    parts_total = models.PositiveIntegerField("parties en tout", default=0)
    build_seconds = models.FloatField("durée de la construction (s)", null=True, blank=True)
    expires_at = models.DateTimeField(
        "supprimée après", null=True, blank=True, help_text="Les sélections sont gardées un jour."
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = "édition PDF"
        verbose_name_plural = "éditions PDF"
        ordering = ["kind", "label"]

    def __str__(self):
        return self.label


class BookletPart(models.Model):
    """One part of a booklet as rendered, kept under the hash of what it was rendered from.

    Its PDF is in the storage (`file_name`); a rebuild renders only the parts whose hash
    is new. Parts that no edition uses any more are removed after a day.
    """

    key = models.CharField("empreinte", max_length=64, primary_key=True)
    pages = models.PositiveIntegerField("pages")
    anchors = models.JSONField("ancres par page", default=list)
    used_at = models.DateTimeField("dernière utilisation", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "partie de livret rendue"
        verbose_name_plural = "parties de livret rendues"

    def __str__(self):
        return self.key

    @property
    def file_name(self) -> str:
        return booklet_part_file_name(self.key)


def booklet_part_file_name(key: str) -> str:
    return f"livrets/parties/{key}.pdf"
