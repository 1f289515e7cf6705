import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from structures.models import Contact, Fee, Public, Service, Structure, StructureKind, Theme
from structures.search.index import search_index_refresh

THEME_NAMES = [
    "Accueil du jeune enfant",
    "Accueil et suivi social",
    "Aides ponctuelles et d'urgence",
    "Aides matérielles",
    "Animation et lien social",
    "Éducatif",
    "Emploi et insertion",
    "Formation",
    "Logement",
    "Santé",
    "Handicap",
    "Accès aux droits",
]
PUBLICS = [
    [Public.TOUS_PUBLICS],
    [Public.TOUS_PUBLICS],
    [Public.JEUNES],
    [Public.FAMILLES],
    [Public.SENIORS],
    [Public.HANDICAP],
    [Public.DEMANDEURS_EMPLOI, Public.JEUNES],
    [Public.EXILEES],
    [],
]
RECEPTION_MODES = [
    ["en-presentiel"],
    ["en-presentiel"],
    ["a-distance"],
    ["en-presentiel", "a-distance"],
]
PARAGRAPH = (
    "Accueil, information et orientation des personnes du territoire. Un entretien permet de "
    "faire le point sur la situation et de proposer un accompagnement adapté, en lien avec "
    "les partenaires du répertoire.\nSur rendez-vous de préférence."
)


def seed_synthetic(*, structures: int, services_per_structure: int, seed: int = 1) -> None:
    """Add a large, plausible territory to the database (for benchmarks), and index it."""
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    if not themes:
        themes = [
            Theme.objects.create(name=name, slug=f"theme-{index}", order=index)
            for index, name in enumerate(THEME_NAMES, start=1)
        ]
    start = Structure.objects.count()
    now = timezone.now()
    new_structures = []
    for number in range(start + 1, start + structures + 1):
        structure = Structure(
            name=f"Structure synthétique n° {number}",
            slug=f"synthetique-{number}",
            acronym=f"SYN{number}",
            kind=rng.choice(StructureKind.values),
            role=PARAGRAPH,
            address=f"{number} rue de la République",
            postcode="69300",
            city="Bellecombe-sur-Saône",
            phone=f"04 65 71 {number // 100 % 100:02d} {number % 100:02d}",
            email=f"contact{number}@example.org",
            opening_hours="Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
            bus_lines="C1, 33",
            bus_stop="Mairie",
            partner_expectations=PARAGRAPH,
            partnership_limits=PARAGRAPH,
            is_annex=number % 20 == 0,
            last_reviewed_at=now,
        )
        new_structures.append(structure)
    Structure.objects.bulk_create(new_structures, batch_size=500)
    created = list(Structure.objects.filter(slug__startswith="synthetique-").order_by("pk"))
    created = created[-structures:]

    services = []
    for structure in created:
        for index in range(1, services_per_structure + 1):
            service = Service(
                structure=structure,
                title=f"Accompagnement n° {index} de {structure.acronym}",
                slug=f"accompagnement-{index}",
                summary="Un accompagnement pour les habitants du territoire.",
                objectives=PARAGRAPH,
                audience="Tout public du territoire.",
                access_conditions=PARAGRAPH,
                procedure=PARAGRAPH,
                documents="- Pièce d'identité\n- Justificatif de domicile",
                last_reviewed_at=now,
                publics=rng.choice(PUBLICS),
                fee=rng.choice([Fee.GRATUIT, Fee.GRATUIT, Fee.PAYANT, Fee.INCONNU]),
                reception_modes=rng.choice(RECEPTION_MODES),
                walk_in=rng.random() < 0.3,
            )
            services.append(service)
    Service.objects.bulk_create(services, batch_size=500)
    created_services = Service.objects.filter(structure__in=created)
    links = [
        Service.themes.through(service_id=service_id, theme_id=rng.choice(themes).pk)
        for service_id in created_services.values_list("pk", flat=True)
    ]
    Service.themes.through.objects.bulk_create(links, batch_size=1000)
    contacts = [
        Contact(
            structure=structure,
            name=f"Interlocuteur {order} de {structure.acronym}",
            function="Travailleur social",
            phone=structure.phone,
            email=structure.email,
            order=order,
        )
        for structure in created
        for order in (1, 2)
    ]
    Contact.objects.bulk_create(contacts, batch_size=1000)
    search_index_refresh(structure_ids=[structure.pk for structure in created])


class Command(BaseCommand):
    help = "Remplit la base avec un grand territoire fictif, pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--structures", type=int, default=300)
        parser.add_argument("--services-per-structure", type=int, default=5)

    def handle(self, *args, structures, services_per_structure, **options):
        with transaction.atomic():
            seed_synthetic(structures=structures, services_per_structure=services_per_structure)
        self.stdout.write(
            self.style.SUCCESS(
                f"{structures} structures et {structures * services_per_structure} fiches ajoutées."
            )
        )
