from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from structures.models import Role, Structure, Territory
from structures.text import normalize_for_search, normalize_phone

from .factories import ServiceFactory, StructureFactory, UserFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0472000000", "04 72 00 00 00"),
        ("04.72.00.00.00", "04 72 00 00 00"),
        ("+33 4 72 00 00 00", "04 72 00 00 00"),
        ("0033472000000", "04 72 00 00 00"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("115", "115"),
        ("3949", "3949"),
    ],
)
def test_it_writes_french_phone_numbers_as_they_are_read(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.django_db
def test_it_normalises_the_phone_when_a_structure_is_validated():
    structure = StructureFactory.build(phone="0465710203", phone_other="+33465710204")
    structure.full_clean()
    assert (structure.phone, structure.phone_other) == ("04 65 71 02 03", "04 65 71 02 04")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "04 72", "n'est pas un numéro de téléphone français"),
        ("postcode", "6930", "il faut 5 chiffres"),
        ("postcode", "ABCDE", "il faut 5 chiffres"),
        ("email", "pas-un-courriel", "Saisissez une adresse de courriel valide"),
        ("website", "pas une adresse", "Saisissez une URL valide"),
    ],
)
def test_it_explains_invalid_values_in_french(field, value, message):
    structure = StructureFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
def test_the_database_refuses_a_postcode_that_is_not_five_digits():
    with pytest.raises(IntegrityError):
        Structure.objects.create(name="Sans code", slug="sans-code", postcode="123")


@pytest.mark.django_db
def test_a_service_slug_is_unique_within_its_structure_only():
    service = ServiceFactory(slug="accueil")
    ServiceFactory(slug="accueil")  # another structure: fine
    with pytest.raises(IntegrityError):
        ServiceFactory(slug="accueil", structure=service.structure)


@pytest.mark.django_db
def test_saving_a_structure_indexes_it_lower_case_and_accent_free():
    structure = StructureFactory(name="Crèche « Les Écureuils »", acronym="CAF")
    entry = structure.search_entries.get(service=None)
    assert entry.name_key == "creche « les ecureuils »"
    assert entry.acronym_key == "caf"
    assert normalize_for_search("  Œuvre  ÉTÉ ") == "œuvre ete"


@pytest.mark.django_db
def test_the_territory_is_a_single_record():
    Territory(name="Bellecombe").save()
    Territory(name="Autre nom").save()
    assert Territory.objects.count() == 1
    assert Territory.load().name == "Autre nom"


@pytest.mark.django_db
def test_the_coordination_role_opens_the_admin_and_a_partner_does_not():
    coordinator = UserFactory(role=Role.COORDINATION)
    partner = UserFactory()
    assert coordinator.is_staff
    assert coordinator.has_perm("structures.change_structure")
    assert not partner.is_staff
    assert not partner.has_perm("structures.change_structure")


@pytest.mark.django_db
def test_two_accounts_cannot_share_an_email_address():
    UserFactory(email="Claire@example.org")
    with pytest.raises(IntegrityError):
        UserFactory(email="claire@example.org")


@pytest.mark.django_db
def test_every_model_reads_well_in_the_admin():
    service = ServiceFactory(title="Aide alimentaire", structure__acronym="CCAS")
    assert str(service) == "Aide alimentaire — CCAS"
    assert str(service.structure) == f"{service.structure.name} (CCAS)"


def test_a_fiche_turns_stale_after_calendar_months_not_blocks_of_30_days(db, settings):
    settings.STALE_AFTER_MONTHS = 6
    six_months_ago = timezone.now() - relativedelta(months=6)
    fresh = StructureFactory(last_reviewed_at=six_months_ago + timedelta(hours=1))
    stale = StructureFactory(last_reviewed_at=six_months_ago - timedelta(hours=1))
    assert list(Structure.objects.stale()) == [stale]
    assert fresh not in Structure.objects.stale()
