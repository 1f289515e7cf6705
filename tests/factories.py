import factory
from django.utils import timezone

from structures.models import Contact, Role, Service, Structure, Theme, User
from structures.search.index import search_index_refresh

PASSWORD = "mot-de-passe-de-test"  # every account of the tests


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")
    order = factory.Sequence(lambda n: n)


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")
    acronym = factory.Sequence(lambda n: f"ST{n}")
    role = "Accueille et oriente les habitants."
    address = "1 place de la Mairie"
    postcode = "69300"
    city = "Bellecombe-sur-Saône"
    phone = "04 65 71 00 00"
    email = factory.Sequence(lambda n: f"structure{n}@example.org")
    opening_hours = "Du lundi au vendredi, 9 h – 12 h"
    bus_lines = "C1"
    bus_stop = "Mairie"
    last_reviewed_at = factory.LazyFunction(timezone.now)

    class Params:
        annex = factory.Trait(is_annex=True, city="Lyon", postcode="69001")
        stale = factory.Trait(last_reviewed_at=None)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Fiche service {n}")
    slug = factory.Sequence(lambda n: f"fiche-{n}")
    summary = "Un accompagnement pour les habitants."
    objectives = "Aider les personnes à accéder à leurs droits."
    audience = "Tout public."
    access_conditions = "Habiter la commune."
    procedure = "Appeler l'accueil pour prendre rendez-vous."
    documents = "- Pièce d'identité"
    last_reviewed_at = factory.LazyFunction(timezone.now)

    class Params:
        inactive = factory.Trait(is_active=False)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
            search_index_refresh(service_ids=[self.pk])  # the entries carry the themes


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Camille Exemple {n}")
    function = "Assistante sociale"
    phone = "04 65 71 00 01"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"compte-{n}")
    email = factory.Sequence(lambda n: f"compte{n}@example.org")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Partenaire {n}")
    structure = factory.SubFactory(StructureFactory)
    role = Role.PARTENAIRE
    password = factory.django.Password(PASSWORD)

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATION)
        editor = factory.Trait(is_editor=True)
