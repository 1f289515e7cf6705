from django.core.management.base import BaseCommand

from structures.search.index import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche (fiches, structures et vocabulaire des suggestions) "
        "à partir du répertoire."
    )

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Index de recherche reconstruit : {count} entrées."))
