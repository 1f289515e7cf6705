import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from liaison.booklet.cache import booklet_build, booklet_current_edition
from liaison.booklet.context import BookletOptions


class Command(BaseCommand):
    help = (
        "Produit l'édition PDF du répertoire complet et la met en cache, "
        "si le répertoire a changé depuis la dernière (à lancer par cron ou après un import)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Reconstruire même si l'édition est à jour."
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        current = booklet_current_edition()
        if current and not force:
            if verbosity:
                self.stdout.write(
                    f"L'édition du {timezone.localtime(current.produced_at):%d/%m/%Y à %H:%M} "
                    "est à jour : rien à faire."
                )
            return
        start = time.perf_counter()
        edition = booklet_build(options=BookletOptions())
        seconds = time.perf_counter() - start
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nouvelle édition produite en {seconds:.1f} s "
                    f"({edition.size // 1024} Ko) : {edition.name}"
                )
            )
