"""Background jobs: work done by the task workers, one worker at a time, with its progress.

The task queue (django-tasks) runs functions; a Job is the state that several runs of
the same work share across servers: whether a task is waiting for it, which worker holds
it now (a lease kept alive by its heartbeat), how far it has got, and why it last failed.
structures/background/jobs.py has the functions that use it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Job(models.Model):
    key = models.SlugField(
        "identifiant",
        max_length=150,
        unique=True,
        help_text="Le même travail porte toujours le même identifiant (ex. : edition-repertoire).",
    )
    label = models.CharField("travail", max_length=200)
    queued_until = models.DateTimeField(
        "tâche prévue à",
        null=True,
        blank=True,
        help_text="Une tâche attend dans la file pour faire ce travail à partir de ce moment.",
    )
    holder = models.CharField(
        "fait en ce moment par",
        max_length=120,
        blank=True,
        help_text="La machine et le processus de l'ouvrier qui fait ce travail.",
    )
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    done = models.PositiveIntegerField("parties faites", default=0)
    total = models.PositiveIntegerField("parties en tout", default=0)
    error = models.TextField(
        "erreur", blank=True, help_text="Pourquoi la dernière exécution a échoué."
    )
    error_details = models.TextField("détails techniques de l'erreur", blank=True)
    failed_at = models.DateTimeField("dernier échec le", null=True, blank=True)

    class Meta:
        verbose_name = "travail en arrière-plan"
        verbose_name_plural = "travaux en arrière-plan"
        ordering = ["key"]

    def __str__(self):
        return self.label or self.key

    @property
    def is_running(self) -> bool:
        """A worker holds the job and gave a sign of life within the lease."""
        lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
        return (
            bool(self.holder)
            and self.heartbeat_at is not None
            and (self.heartbeat_at >= timezone.now() - lease)
        )

    @property
    def is_waiting(self) -> bool:
        """A task is in the queue for this job."""
        return self.queued_until is not None

    @property
    def is_pending(self) -> bool:
        return self.is_running or self.is_waiting

    @property
    def state(self) -> str:
        """Where the job stands, in a few French words."""
        if self.is_running:
            return f"en cours ({self.done} sur {self.total})" if self.total else "en cours"
        if self.is_waiting:
            return "en attente dans la file"
        if self.error:
            return "échec"
        return "terminé" if self.finished_at else "jamais lancé"
