from django.core.management.base import BaseCommand

from structures.coordination.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie à chaque éditeur la liste des fiches de sa structure à relire. "
        "Sans danger chaque jour (cron) : pas deux rappels en moins d'une semaine."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
