from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.data.backup import RestoreError, backup_restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde (.json de dumpdata ou .dump de pg_dump) dans une base vide."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier écrit par « make backup ».")

    def handle(self, *args, file, **options):
        try:
            backup_restore(path=Path(file))
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde {file} restaurée."))
