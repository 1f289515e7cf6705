from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.data.exports import CSV_DELIMITERS
from structures.data.formats import EXPORT_FORMATS, directory_write


class Command(BaseCommand):
    help = (
        "Exporte tout le répertoire en CSV, en classeur Excel, en JSON ou au format "
        "data·inclusion (schéma v1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        parser.add_argument("--output", required=True, help="Dossier où écrire les fichiers.")
        parser.add_argument(
            "--delimiter",
            choices=list(CSV_DELIMITERS),
            default=",",
            help="Séparateur des fichiers CSV (« ; » pour Excel en français).",
        )

    def handle(self, *args, format, output, delimiter, **options):
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Impossible de créer le dossier {folder} : {error}") from error
        files, problems = directory_write(format=format, delimiter=delimiter)
        for problem in problems:
            self.stderr.write(self.style.WARNING(f"Écarté de l'export : {problem}"))
        for name, content in files.items():
            (folder / name).write_bytes(content)
            self.stdout.write(f"{folder / name} ({len(content)} octets)")
        self.stdout.write(self.style.SUCCESS(f"Export {format} écrit dans {folder}."))
