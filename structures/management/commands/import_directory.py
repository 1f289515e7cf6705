from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.data.formats import FORMATS, records_read
from structures.data.planning import Step, records_import
from structures.data.readers import Encoding
from structures.data.records import ImportReport


class Command(BaseCommand):
    help = (
        "Importe un répertoire (CSV, classeur Excel, JSON, ou data·inclusion v1 en JSON ou en "
        "tableur). Par défaut, une simulation "
        "qui n'enregistre rien ; --apply pour écrire, tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            help="Fichiers (thematiques.csv, structures.csv, services.csv, contacts.csv ; "
            "un classeur .xlsx ; repertoire.json ; ou structures.json et services.json, ou le "
            "tableur .xlsx de data·inclusion) ou dossier qui les contient.",
        )
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument(
            "--encoding",
            choices=Encoding.values,
            default=Encoding.UTF8,
            help="Encodage des fichiers CSV : utf-8 (par défaut) ou windows-1252 (fichier "
            "« CSV » d'Excel sous Windows).",
        )
        parser.add_argument("--apply", action="store_true", help="Enregistrer pour de bon.")

    def handle(self, *args, paths, format, encoding, apply, **options):
        suffix = FORMATS[format].suffix
        files = {}
        for path in map(Path, paths):
            found = sorted(path.glob(f"*{suffix}")) if path.is_dir() else [path]
            for file in found:
                try:
                    files[file.name] = file.read_bytes()
                except OSError as error:
                    raise CommandError(f"Impossible de lire {file} : {error}") from error
        if not files:
            raise CommandError(f"Aucun fichier {suffix} trouvé dans {', '.join(paths)}.")
        report = ImportReport()
        records = records_read(format=format, files=files, report=report, encoding=encoding)
        reason = f"Import {format} ({', '.join(sorted(files))})"
        records_import(
            records=records,
            apply=apply,
            report=report,
            reason=reason[:100],
            progress=self.progress_printer(),
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"Remarque : {note}"))
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"- {problem}"))
        for line in report.summary_lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Import refusé : rien n'a été enregistré.")
        if not apply:
            self.stdout.write("Relancez avec --apply pour enregistrer.")

    def progress_printer(self):
        """Print how far the import is, every tenth of the lines, and when it saves."""
        shown = {"tenth": 0}

        def progress(step, done, total):
            if step == Step.SAVE:
                self.stdout.write(f"Enregistrement de {total:_} lignes…".replace("_", "\u202f"))
            elif total >= 1_000 and (tenth := done * 10 // total) > shown["tenth"]:
                shown["tenth"] = tenth
                text = f"Vérification : {done:_} / {total:_} lignes ({tenth * 10} %)"
                self.stdout.write(text.replace("_", "\u202f"))

        return progress
