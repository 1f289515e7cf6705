import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from liaison.booklet.context import WHOLE_DIRECTORY, BookletOptions
from liaison.booklet.editions import booklet_edition, edition_request, editions_refresh
from liaison.booklet.tasks import edition_build_task
from structures.models import Theme


class Command(BaseCommand):
    help = (
        "Produit ici l'édition PDF du répertoire complet si le répertoire a changé depuis la "
        "dernière (--themes : et celle de chaque thématique), ou, avec --queue, la demande "
        "aux ouvriers des tâches avec toutes les éditions à refaire (après un import fait "
        "en ligne de commande, par exemple)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Reconstruire même si l'édition est à jour."
        )
        parser.add_argument(
            "--themes", action="store_true", help="Aussi l'édition de chaque thématique."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Ne rien produire ici : demander les éditions aux ouvriers des tâches.",
        )

    def handle(self, *args, force=False, themes=False, queue=False, verbosity=1, **options):
        wanted = [WHOLE_DIRECTORY]
        if themes:
            slugs = Theme.objects.order_by("order", "name").values_list("slug", flat=True)
            wanted += [BookletOptions(theme_slugs=(slug,)) for slug in slugs]
        editions = [booklet_edition(choice) for choice in wanted]
        if queue:
            for edition in editions:
                edition_request(edition, force=force)
            editions_refresh()
            if verbosity:
                self.stdout.write("Les éditions à refaire sont demandées aux ouvriers des tâches.")
            return
        for edition in editions:
            self._build(edition, force=force, verbosity=verbosity)

    def _build(self, edition, *, force, verbosity):
        if force:
            edition.source = edition.failed_source = ""
            edition.save(update_fields=["source", "failed_source"])
        start = time.perf_counter()
        result = edition_build_task.call(edition.key)
        seconds = time.perf_counter() - start
        edition.refresh_from_db()
        if not verbosity:
            return
        if result is None:
            self.stdout.write(f"{edition.label} : un autre ouvrier la prépare en ce moment.")
        elif result.get("built"):
            self.stdout.write(
                self.style.SUCCESS(
                    f"{edition.label} : nouvelle édition produite en {seconds:.1f} s "
                    f"({edition.pages} pages, {edition.parts_total} parties, "
                    f"{edition.parts_rendered} rendus : les parties numérotées, sommaire et "
                    f"index, deux fois) : {edition.file}"
                )
            )
        else:
            self.stdout.write(
                f"{edition.label} : l'édition du "
                f"{timezone.localtime(edition.produced_at):%d/%m/%Y à %H:%M} est à jour."
            )
