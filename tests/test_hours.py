"""Structured opening hours: the weekly form, the OSM syntax, the French words, the state."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from structures.enums import ChangeKind, SlotMode
from structures.hours.forms import WeeklyHoursField, week_post_data, week_values
from structures.hours.state import hours_state
from structures.hours.week import Slot, Week, validate_opening_hours
from structures.hours.wording import week_lines
from structures.models import Structure, TemporaryChange

from .factories import ServiceFactory
from .form_data import identity_data

PARIS = ZoneInfo("Europe/Paris")
OFFICE = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def week(days: dict[int, list[tuple]], closed_on_holidays=True) -> Week:
    slots = [tuple(Slot(*slot) for slot in days.get(day, [])) for day in range(7)]
    return Week(tuple(slots), closed_on_holidays)


WEEKS = {
    "office": week({d: [(510, 720), (810, 1020)] for d in range(5)}),
    "modes per slot": week(
        {
            1: [(540, 720, SlotMode.SUR_RENDEZ_VOUS), (810, 990, SlotMode.SANS_RENDEZ_VOUS)],
            3: [(540, 720, SlotMode.SUR_RENDEZ_VOUS), (810, 990, SlotMode.SANS_RENDEZ_VOUS)],
            5: [(540, 720)],
        },
        closed_on_holidays=False,
    ),
    "night shelter": week({d: [(1080, 540)] for d in range(7)}, closed_on_holidays=False),
    "three slots": week(
        {0: [(480, 600), (660, 720), (840, 960)], 6: [(600, 0)]}
    ),  # 0: until midnight
}


@pytest.mark.parametrize("name", WEEKS)
def test_the_weekly_form_round_trips_to_osm_and_back(name):
    typed = WEEKS[name]
    field = WeeklyHoursField()
    osm = field.clean(week_values(typed))
    assert validate_opening_hours(osm) is None
    assert Week.from_osm(osm) == typed
    assert field.widget.decompress(osm) == week_values(typed)


def test_the_osm_string_is_the_usual_one():
    assert WeeklyHoursField().clean(week_values(WEEKS["office"])) == OFFICE
    osm = WEEKS["modes per slot"].to_osm()
    assert osm == (
        'Tu,Th 09:00-12:00 "sur rendez-vous", Tu,Th 13:30-16:30 "sans rendez-vous", Sa 09:00-12:00'
    )


def test_an_imported_string_is_read_whatever_its_spelling():
    assert Week.from_osm("Mo-Fr 08:30-12:00, Mo-Fr 13:30-17:00; PH closed") == WEEKS["office"]


def _typed(values: dict[int, str]) -> list:
    data = week_values(Week())
    for index, value in values.items():
        data[index] = value
    return data


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({0: "25:00", 1: "12:00"}, "Lundi, créneau 1 : l'heure de début « 25:00 » n'est pas"),
        ({12: "9:00"}, "Mardi, créneau 2 : indiquez l'heure de fin."),
        ({18: "14:00", 19: "12:00"}, "Mercredi, créneau 1 : l'heure de fin (12 h) doit venir"),
        ({27: "9:00", 28: "12:00", 30: "11:00", 31: "14:00"}, "Jeudi : les créneaux 9 h – 12 h"),
    ],
)
def test_a_mistake_is_explained_naming_the_day_and_the_slot(values, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        WeeklyHoursField().clean(_typed(values))
    assert any(plain(text).startswith(message) for text in raised.value.messages)


def test_times_are_read_as_people_write_them():
    osm = WeeklyHoursField().clean(_typed({0: "8h30", 1: "12 h", 3: "13.30", 4: "17"}))
    assert osm == "Mo 08:30-12:00,13:30-17:00; PH off"


def test_the_french_words_group_the_days():
    assert [plain(line) for line in week_lines(Week.from_osm(OFFICE))] == [
        "Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h",
        "Fermé les jours fériés",
    ]
    lines = [plain(line) for line in week_lines(WEEKS["modes per slot"])]
    assert lines == [
        "Mardi et jeudi : 9 h – 12 h (sur rendez-vous) et 13 h 30 – 16 h 30 (sans rendez-vous)",
        "Samedi : 9 h – 12 h",
    ]
    one_day = Week.from_osm("Mo 08:30-12:00,13:30-17:00")
    assert plain(week_lines(one_day)[0]) == "Lundi : 8 h 30 – 12 h et 13 h 30 – 17 h"


def test_an_editor_enters_the_week_in_mon_espace_and_gets_it_back(
    structure_a, editor_a, client_for
):
    client = client_for(editor_a)
    data = identity_data(structure_a, **week_post_data("weekly_hours", WEEKS["office"]))
    response = client.post(reverse("structures:espace_structure_edit"), data)
    assert response.status_code == 302
    structure_a.refresh_from_db()
    assert structure_a.weekly_hours == OFFICE
    assert structure_a.opening_hours == "Du lundi au vendredi, 9 h – 12 h"  # the note stays
    page = client.get(reverse("structures:espace_structure_edit")).content.decode()
    assert 'value="08:30"' in page
    assert 'value="13:30"' in page
    assert "<legend" in page
    assert "Lundi" in page


def test_a_mistake_in_mon_espace_keeps_what_was_typed(structure_a, editor_a, client_for):
    data = identity_data(structure_a, weekly_hours_0="8:30", weekly_hours_1="7:00")
    response = client_for(editor_a).post(reverse("structures:espace_structure_edit"), data)
    assert response.status_code == 200
    page = plain(response.content.decode())
    assert "Lundi, créneau 1 : l&#x27;heure de fin (7 h) doit venir après" in page
    assert 'value="8:30"' in page
    assert Structure.objects.get(pk=structure_a.pk).weekly_hours == ""


def test_the_coordinator_enters_the_week_in_the_admin(structure_a, coordinator_client):
    fiche = ServiceFactory(structure=structure_a)
    url = reverse("admin:structures_service_change", args=[fiche.pk])
    page = coordinator_client.get(url).content.decode()
    assert "weekly_hours_0" in page
    assert "css/weekly-hours.css" in page


# The state at chosen instants (Monday 7 December 2026, a usual week).
@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (at(2026, 12, 7, 8, 0), "Fermé — ouvre à 8 h 30"),
        (at(2026, 12, 7, 10, 0), "Ouvert — ferme à 12 h"),
        (at(2026, 12, 7, 12, 30), "Fermé — ouvre à 13 h 30"),  # lunch
        (at(2026, 12, 6, 10, 0), "Fermé — ouvre demain à 8 h 30"),  # Sunday
        (at(2026, 12, 4, 18, 0), "Fermé — ouvre lundi à 8 h 30"),  # Friday evening
        (at(2026, 12, 25, 10, 0), "Fermé — ouvre lundi à 8 h 30"),  # Noël, a Friday
        (at(2026, 7, 14, 10, 0), "Fermé — ouvre demain à 8 h 30"),  # 14 juillet, a Tuesday
    ],
)
def test_the_state_at_chosen_instants(moment, label):
    state = hours_state(OFFICE, at=moment)
    assert plain(state.label) == label
    assert state.is_open == label.startswith("Ouvert")


def test_a_public_holiday_is_open_when_the_week_says_so():
    assert hours_state("Mo-Fr 08:30-12:00", at=at(2026, 12, 25, 10)).is_open


def _closure(**fields):
    return TemporaryChange(
        kind=ChangeKind.FERMETURE,
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 8, 15),
        reason="Fermeture estivale",
        **fields,
    )


def test_inside_and_after_a_closure():
    closure = [_closure()]
    inside = hours_state(OFFICE, closure, at=at(2026, 8, 3, 10))
    assert (inside.is_open, plain(inside.label)) == (False, "Fermé temporairement jusqu'au 15 août")
    before = hours_state(OFFICE, closure, at=at(2026, 7, 31, 18))
    assert plain(before.label) == "Fermé — ouvre le lundi 17 août à 8 h 30"
    after = hours_state(OFFICE, closure, at=at(2026, 8, 17, 10))
    assert plain(after.label) == "Ouvert — ferme à 12 h"


def test_a_period_of_other_hours():
    summer = TemporaryChange(
        kind=ChangeKind.HORAIRES,
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 8, 31),
        weekly_hours="Mo-Fr 09:00-12:00",
    )
    assert plain(hours_state(OFFICE, [summer], at=at(2026, 7, 6, 10)).label) == (
        "Ouvert — ferme à 12 h"
    )
    assert plain(hours_state(OFFICE, [summer], at=at(2026, 7, 6, 14)).label) == (
        "Fermé — ouvre demain à 9 h"
    )
    assert hours_state(OFFICE, [summer], at=at(2026, 9, 1, 14)).is_open


NIGHT = "Mo-Su 20:00-08:00"


def test_the_night_the_clocks_go_forward():
    # 29 March 2026: 2 h becomes 3 h; the shelter still closes at 8 h, local time.
    state = hours_state(NIGHT, at=at(2026, 3, 29, 1, 30))
    assert (state.is_open, plain(state.label)) == (True, "Ouvert — ferme à 8 h")
    assert hours_state(NIGHT, at=at(2026, 3, 29, 3, 30)).is_open
    assert plain(hours_state(OFFICE, at=at(2026, 3, 29, 3, 30)).label) == (
        "Fermé — ouvre demain à 8 h 30"
    )


def test_the_night_the_clocks_go_back():
    # 25 October 2026: 3 h becomes 2 h again; both 2 h 30 are inside the night.
    for fold in (0, 1):
        moment = at(2026, 10, 25, 2, 30).replace(fold=fold)
        state = hours_state(NIGHT, at=moment)
        assert (state.is_open, plain(state.label)) == (True, "Ouvert — ferme à 8 h")
    assert plain(hours_state(NIGHT, at=at(2026, 10, 25, 8, 30)).label) == "Fermé — ouvre à 20 h"


def test_no_state_without_structured_hours():
    assert hours_state("", at=at(2026, 12, 7, 10)) is None


@pytest.fixture
def week_places(db):
    from .factories import StructureFactory, ThemeFactory

    theme = ThemeFactory(slug="logement", name="Logement")
    office = StructureFactory(name="Bureau", weekly_hours=OFFICE)
    saturday = StructureFactory(name="Samedi", weekly_hours="Sa 09:00-12:00")
    unknown = StructureFactory(name="Maison des Tilleuls", weekly_hours="")
    services = {
        "office": ServiceFactory(structure=office, title="Au bureau", themes=[theme]),
        "own": ServiceFactory(
            structure=unknown,
            title="Permanence du samedi",
            weekly_hours="Sa 09:00-12:00",
            themes=[theme],
        ),
        "saturday": ServiceFactory(structure=saturday, title="Le samedi", themes=[theme]),
        "unknown": ServiceFactory(structure=unknown, title="Sans horaires", themes=[theme]),
    }
    return theme, services


def _titles(client, url) -> set[str]:
    page = client.get(url).content.decode()
    return {
        title
        for title in ["Au bureau", "Permanence du samedi", "Le samedi", "Sans horaires"]
        if title in page
    }


@pytest.fixture
def monday_morning(monkeypatch):
    from structures.hours import state

    moment = at(2026, 12, 7, 10, 0)
    monkeypatch.setattr(state, "paris_now", lambda: moment)
    return moment


def test_the_open_now_and_saturday_filters(week_places, partner_client, monday_morning):
    theme, services = week_places
    url = theme.get_absolute_url()
    assert _titles(partner_client, url + "?horaires=maintenant") == {"Au bureau"}
    assert _titles(partner_client, url + "?horaires=samedi") == {
        "Permanence du samedi",
        "Le samedi",
    }
    TemporaryChange.objects.create(
        structure=services["office"].structure, starts_on=date(2026, 12, 1), reason="Travaux"
    )
    assert _titles(partner_client, url + "?horaires=maintenant") == set()


def test_open_now_follows_the_changes_in_force_of_a_fiche_and_of_its_structure(
    week_places, partner_client, monday_morning
):
    """Monday 10 h: a closure shuts, a period of other hours decides, the fiche's own first."""
    theme, services = week_places
    url = theme.get_absolute_url() + "?horaires=maintenant"
    office, unknown = services["office"].structure, services["unknown"].structure

    def change(kind, structure, service=None, hours=""):
        return TemporaryChange.objects.create(
            kind=kind,
            structure=structure,
            service=service,
            starts_on=date(2026, 12, 1),
            weekly_hours=hours,
            reason="Changement",
        )

    # The structure of « Sans horaires » opens on Mondays for the month: its fiches too.
    change(ChangeKind.HORAIRES, unknown, hours="Mo 09:00-12:00")
    assert _titles(partner_client, url) == {"Au bureau", "Sans horaires", "Permanence du samedi"}
    # A closure of one fiche leaves the others of its structure as they were.
    change(ChangeKind.FERMETURE, unknown, services["own"])
    assert _titles(partner_client, url) == {"Au bureau", "Sans horaires"}
    # A fiche's own period of other hours, closed on Mondays, wins over its structure's.
    change(ChangeKind.HORAIRES, unknown, services["unknown"], hours="Sa 09:00-12:00")
    assert _titles(partner_client, url) == {"Au bureau"}
    # A closure of the structure shuts its fiches whatever their hours say.
    change(ChangeKind.FERMETURE, office)
    assert _titles(partner_client, url) == set()


def test_a_week_too_detailed_to_store_is_explained():
    from django.core.exceptions import ValidationError

    modes = [SlotMode.SUR_RENDEZ_VOUS, SlotMode.SANS_RENDEZ_VOUS, SlotMode.NON_PRECISE]
    days = tuple(
        tuple(
            Slot(480 + d * 10 + i * 200, 580 + d * 10 + i * 200, modes[(i + d) % 3])
            for i in range(3)
        )
        for d in range(7)
    )
    with pytest.raises(ValidationError) as raised:
        WeeklyHoursField().clean(week_values(Week(days)))
    assert "trop détaillés" in raised.value.messages[0]


def test_a_place_open_day_and_night_says_so():
    assert [plain(line) for line in week_lines(Week.from_osm("24/7"))] == [
        "Tous les jours : 24 h sur 24"
    ]
    assert plain(hours_state("24/7", at=at(2026, 12, 25, 3)).label) == "Ouvert 24 h sur 24"
    assert (
        plain(week_lines(WEEKS["night shelter"])[0]) == "Tous les jours : 18 h – 9 h (le lendemain)"
    )


def test_a_string_written_around_the_validators_never_breaks_a_page(structure_a, partner_client):
    Structure.objects.filter(pk=structure_a.pk).update(weekly_hours="lundi 9h-12h")
    response = partner_client.get(structure_a.get_absolute_url())
    assert response.status_code == 200
    assert partner_client.get("/recherche/?horaires=maintenant").status_code == 200
    assert hours_state("lundi 9h-12h", at=at(2026, 12, 7, 10)) is None


def test_the_hours_filter_on_the_search_page(week_places, partner_client, monday_morning):
    url = reverse("structures:search")
    assert _titles(partner_client, url + "?horaires=samedi") == {
        "Permanence du samedi",
        "Le samedi",
    }
    assert _titles(partner_client, url + "?horaires=maintenant") == {"Au bureau"}
    page = partner_client.get(url + "?q=bureau").content.decode()
    assert "Ouvert — ferme à 12" in plain(page)


def test_the_open_now_search_lists_the_identity_sheet_of_an_open_structure(
    week_places, partner_client, monday_morning
):
    """An identity sheet has its structure's hours: « Bureau » is open on Monday at 10 h,
    « Samedi » is not, and « Maison des Tilleuls » has no hours to judge by."""
    _, services = week_places
    url = reverse("structures:search") + "?horaires=maintenant"
    sheets = {
        service.structure.name: service.structure.get_absolute_url()
        for service in services.values()
    }

    def identity_sheets():
        page = partner_client.get(url).content.decode()
        return {
            name
            for name, link in sheets.items()
            if f'<h2 class="h5 mb-1"><a href="{link}">' in page
        }

    assert identity_sheets() == {"Bureau"}
    TemporaryChange.objects.create(
        structure=services["office"].structure, starts_on=date(2026, 12, 1), reason="Travaux"
    )
    assert identity_sheets() == set()


def test_a_fiche_gets_its_own_hours_in_mon_espace(structure_a, editor_a, client_for):
    from .form_data import service_data

    client = client_for(editor_a)
    data = service_data(**week_post_data("weekly_hours", WEEKS["modes per slot"]))
    response = client.post(reverse("structures:espace_service_create"), data)
    assert response.status_code == 302
    service = structure_a.services.get()
    assert service.weekly_hours == WEEKS["modes per slot"].to_osm()
    page = plain(client.get(service.get_absolute_url()).content.decode())
    assert "Mardi et jeudi : 9 h – 12 h (sur rendez-vous)" in page
