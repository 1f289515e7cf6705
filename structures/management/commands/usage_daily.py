from django.conf import settings
from django.core.management.base import BaseCommand

from structures.coordination.report import reports_purge
from structures.usage import freshness_snapshot, usage_purge


class Command(BaseCommand):
    help = (
        "Garde l'état de fraîcheur des fiches du jour (pour les statistiques) et supprime les "
        "comptages plus anciens que USAGE_RETENTION_MONTHS et les rapports d'activité des "
        "jours précédents. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        snapshot = freshness_snapshot()
        deleted = usage_purge()
        reports_purge()  # the activity reports kept from the days before
        self.stdout.write(
            f"Fraîcheur du jour : {snapshot.fresh} fiches à jour sur {snapshot.fiches}. "
            f"{deleted} comptage(s) de plus de {settings.USAGE_RETENTION_MONTHS} mois supprimé(s)."
        )
