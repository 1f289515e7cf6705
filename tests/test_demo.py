import io

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from structures.management.commands.seed_synthetic import THEME_NAMES
from structures.models import Role, Service, Structure, Territory, Theme, User


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_demo_territory_has_every_theme_with_services(demo):
    assert list(Theme.objects.values_list("name", flat=True)) == THEME_NAMES
    for theme in Theme.objects.all():
        assert Service.objects.active().in_theme(theme).count() >= 4, theme.name


def test_the_demo_territory_is_big_enough_and_fictional(demo):
    assert Structure.objects.local().count() >= 24
    assert Structure.objects.annexes().count() >= 2
    assert Service.objects.active().count() >= 60
    for structure in Structure.objects.all():
        structure.full_clean()
        assert structure.phone.startswith("04 65 71"), structure.slug
        assert structure.email.endswith("@example.org"), structure.slug
        assert structure.contacts.exists(), structure.slug
    assert Territory.load().coordinating_structure is not None


def test_every_demo_structure_has_a_partner_login(demo, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    assert User.objects.get(username="coordination").role == Role.COORDINATION
    for structure in Structure.objects.all():
        assert User.objects.filter(username=structure.slug, structure=structure).exists()
    assert client.login(request=HttpRequest(), username="ccas", password="repertoire-demo")


def test_demo_texts_are_searchable_after_loading(demo, client):
    assert not Service.objects.active().filter(search_entry__isnull=True).exists()
    client.force_login(User.objects.get(username="ccas"))
    assert "Aucun résultat" not in client.get("/recherche/", {"q": "creche"}).content.decode()


def test_load_demo_if_empty_leaves_an_existing_directory_alone(demo):
    Structure.objects.filter(slug="ccas").update(name="Nom modifié")
    call_command("load_demo", if_empty=True, verbosity=0)
    assert Structure.objects.get(slug="ccas").name == "Nom modifié"
    call_command("load_demo", reset=True, verbosity=0)
    assert Structure.objects.get(slug="ccas").name != "Nom modifié"


def test_the_listed_logins_say_which_partners_are_editors(demo):
    output = io.StringIO()
    call_command("load_demo", if_empty=True, stdout=output)
    lines = {line.split()[0]: line for line in output.getvalue().splitlines() if "  " in line}
    assert User.objects.get(username="mdr").is_editor
    assert "Partenaire éditeur" in lines["mdr"]
    assert not User.objects.get(username="ccas").is_editor
    assert "Partenaire éditeur" not in lines["ccas"]
    assert "Partenaire" in lines["ccas"]
    assert "Coordination" in lines["coordination"]


def test_every_demo_structure_has_structured_hours_and_keeps_its_text(demo):
    from structures.hours.week import Week, validate_opening_hours

    for structure in Structure.objects.all():
        validate_opening_hours(structure.weekly_hours)
        assert not Week.from_osm(structure.weekly_hours).is_empty, structure.slug
        assert Week.from_osm(structure.weekly_hours).to_osm() == structure.weekly_hours
        assert structure.opening_hours, structure.slug  # the free text stays, as the note


def test_the_demo_has_a_full_shelter_and_a_summer_closure_around_today(demo, client):
    from structures.enums import ChangeKind
    from structures.models import TemporaryChange

    shelter = Structure.objects.get(slug="chrs")
    full = TemporaryChange.objects.get(structure=shelter)
    assert full.kind == ChangeKind.COMPLET
    assert full.is_current()
    summer = TemporaryChange.objects.get(reason="Fermeture estivale")
    assert (summer.starts_on.month, summer.ends_on.month) == (7, 8)
    client.force_login(User.objects.get(username="caf"))
    page = client.get(shelter.get_absolute_url()).content.decode()
    assert "Complet – liste d&#x27;attente depuis le" in page
