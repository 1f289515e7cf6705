import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.data.backup import backup_write


class Command(BaseCommand):
    help = "Sauvegarde complète et datée de la base (dumpdata ; et pg_dump sur PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Dossier des sauvegardes.")

    def handle(self, *args, output, **options):
        try:
            written = backup_write(folder=Path(output))
        except (OSError, subprocess.CalledProcessError) as error:
            raise CommandError(f"La sauvegarde a échoué : {error}") from error
        for path in written:
            self.stdout.write(f"{path} ({path.stat().st_size} octets)")
        self.stdout.write(self.style.SUCCESS("Sauvegarde terminée."))
