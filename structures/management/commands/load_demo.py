from datetime import date, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from structures.coordination.demo_usage import usage_delete, usage_demo_seed
from structures.enums import ChangeKind
from structures.models import (
    Contact,
    Role,
    Service,
    Structure,
    TemporaryChange,
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


def next_summer(today: date) -> tuple[date, date]:
    """From 27 July to 21 August, this year's if it has not ended, else next year's."""
    year = today.year if today <= date(today.year, 8, 21) else today.year + 1
    return date(year, 7, 27), date(year, 8, 21)


def demo_changes_create(*, today: date) -> None:
    """A few temporary changes around the day the demo is loaded (the fixture cannot hold
    dates that stay current): a full shelter, a closure announced for next week, other
    hours for the school holidays, next summer's closure."""
    structures = {item.slug: item for item in Structure.objects.all()}
    summer_start, summer_end = next_summer(today)
    changes = [
        (
            "chrs",
            ChangeKind.COMPLET,
            today - timedelta(days=12),
            None,
            "",
            "Plus de place en hébergement : orientez vers le 115.",
        ),
        (
            "mission-locale",
            ChangeKind.FERMETURE,
            today + timedelta(days=4),
            today + timedelta(days=4),
            "",
            "Formation de l'équipe",
        ),
        (
            "centre-social",
            ChangeKind.HORAIRES,
            today - timedelta(days=1),
            today + timedelta(days=13),
            "Mo-Fr 09:00-12:00; PH off",
            "Vacances scolaires",
        ),
        (
            "secours-catholique",
            ChangeKind.FERMETURE,
            summer_start,
            summer_end,
            "",
            "Fermeture estivale",
        ),
        (
            "restos-coeur",
            ChangeKind.MESSAGE,
            today - timedelta(days=3),
            today + timedelta(days=25),
            "",
            "Inscriptions pour la campagne d'hiver ouvertes",
        ),
    ]
    for slug, kind, starts_on, ends_on, hours, reason in changes:
        TemporaryChange.objects.create(
            structure=structures[slug],
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly_hours=hours,
            reason=reason,
        )


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
                demo_changes_create(today=timezone.localdate())
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
