from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from structures.coordination.demo_usage import usage_delete, usage_demo_seed
from structures.models import (
    Contact,
    Role,
    Service,
    Structure,
    Territory,
    Theme,
    UsageCount,
    User,
)
from structures.search.index import search_index_rebuild

DEMO_FIXTURE = settings.BASE_DIR / "fixtures" / "demo.json"
DEMO_PASSWORD = "repertoire-demo"


def directory_delete():
    """Remove every account, fiche, structure and theme (in an order the foreign keys allow)."""
    for model in [User, Contact, Service, Territory, Structure, Theme]:
        model.objects.all().delete()


def account_kind(user: User) -> str:
    """What the account may do, as the README words it: Coordination, Partenaire éditeur…"""
    if user.role == Role.PARTENAIRE and user.is_editor:
        return "Partenaire éditeur"
    return user.get_role_display()


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (structures, fiches, comptes de démo)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty", action="store_true", help="Ne rien faire si la base a déjà des données."
        )
        group.add_argument(
            "--reset", action="store_true", help="Vider la base avant de charger la démo."
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        if if_empty and Structure.objects.exists():
            self.stdout.write("La base contient déjà un répertoire : démo non rechargée.")
        else:
            with transaction.atomic():
                if reset:
                    usage_delete()
                    directory_delete()
                call_command("loaddata", DEMO_FIXTURE, verbosity=0)
                search_index_rebuild()  # fixtures are loaded raw, without save()
                if not UsageCount.objects.exists():
                    usage_demo_seed()  # a year of invented counts for the statistics
            self.stdout.write(self.style.SUCCESS("Territoire de démonstration chargé."))
        self.print_logins()

    def print_logins(self):
        users = User.objects.select_related("structure").order_by("role", "username")
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for user in users:
            structure = user.structure.name if user.structure else ""
            self.stdout.write(f"  {user.username:<24} {account_kind(user):<22} {structure}")
        self.stdout.write("Le site : http://127.0.0.1:8000/")
