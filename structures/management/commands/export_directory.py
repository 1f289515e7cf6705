from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.datainclusion import datainclusion_files
from structures.exports import CSV_DELIMITERS, directory_csv_files, directory_json_files


class Command(BaseCommand):
    help = "Exporte tout le répertoire en CSV, en JSON ou au format data·inclusion (schéma v1)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json", "data-inclusion"], default="csv")
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
        if format == "csv":
            files = directory_csv_files(delimiter=delimiter)
        elif format == "json":
            files = directory_json_files()
        else:
            files, problems = datainclusion_files()
            for problem in problems:
                self.stderr.write(self.style.WARNING(f"Écarté de l'export : {problem}"))
        for name, content in files.items():
            (folder / name).write_bytes(content)
            self.stdout.write(f"{folder / name} ({len(content)} octets)")
        self.stdout.write(self.style.SUCCESS(f"Export {format} écrit dans {folder}."))
