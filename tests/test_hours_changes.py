"""Temporary changes: entered in Mon espace and the admin, shown as banners everywhere."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.booklet.context import WHOLE_DIRECTORY, booklet_context
from liaison.booklet.editions import directory_fingerprint
from liaison.parcours.selection import parcours_contact, parcours_services
from structures.enums import ChangeKind
from structures.models import TemporaryChange

from .factories import ServiceFactory, StructureFactory, ThemeFactory
from .pdf_utils import pdf_text
from .test_parcours import add, parcours_form

OFFICE = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def place(structure_a):
    structure_a.weekly_hours = OFFICE
    structure_a.save()
    theme = ThemeFactory(slug="logement", name="Logement")
    service = ServiceFactory(structure=structure_a, title="Permanence logement", themes=[theme])
    return structure_a, service, theme


def _closure(structure, *, starts_in=-2, lasts=10, **fields):
    today = timezone.localdate()
    return TemporaryChange.objects.create(
        structure=structure,
        kind=fields.pop("kind", ChangeKind.FERMETURE),
        starts_on=today + timedelta(days=starts_in),
        ends_on=today + timedelta(days=starts_in + lasts) if lasts is not None else None,
        reason=fields.pop("reason", "Fermeture estivale"),
        **fields,
    )


def _pages(client, structure, service, theme):
    urls = [
        structure.get_absolute_url(),
        service.get_absolute_url(),
        theme.get_absolute_url(),
        reverse("structures:search") + "?q=permanence",
    ]
    return {url: plain(client.get(url).content.decode()) for url in urls}


def test_a_current_closure_is_a_banner_on_the_fiche_lists_and_search(place, partner_client):
    structure, service, theme = place
    _closure(structure)
    for url, page in _pages(partner_client, structure, service, theme).items():
        assert "Fermé du" in page, url
        assert "Fermeture estivale" in page, url
        assert "Fermé temporairement jusqu&#x27;au" in page, url


def test_a_closure_is_announced_a_week_before_and_gone_when_it_ended(place, partner_client):
    structure, service, theme = place
    coming = _closure(structure, starts_in=6, reason="Inventaire annuel")
    pages = _pages(partner_client, structure, service, theme)
    assert all("Inventaire annuel" in page for page in pages.values())
    coming.starts_on += timedelta(days=3)  # in nine days: not yet announced
    coming.ends_on += timedelta(days=3)
    coming.save()
    pages = _pages(partner_client, structure, service, theme)
    assert not any("Inventaire annuel" in page for page in pages.values())
    coming.starts_on -= timedelta(days=30)
    coming.ends_on = timezone.localdate() - timedelta(days=1)
    coming.save()
    pages = _pages(partner_client, structure, service, theme)
    assert not any("Inventaire annuel" in page for page in pages.values())
    assert coming.history.count() == 3  # gone from the pages, kept in the history


def test_a_full_shelter_says_so(place, partner_client):
    structure, service, _theme = place
    _closure(structure, kind=ChangeKind.COMPLET, lasts=None, reason="Liste d'attente de 2 mois")
    page = plain(partner_client.get(service.get_absolute_url()).content.decode())
    assert "Complet – liste d&#x27;attente depuis le" in page


def test_an_editor_adds_a_closure_in_mon_espace(place, editor_a, client_for):
    structure, service, _theme = place
    client = client_for(editor_a)
    url = reverse("structures:espace_changes_edit")
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    data = {
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "changes-0-kind": ChangeKind.FERMETURE,
        "changes-0-service": str(service.pk),
        "changes-0-starts_on": today.isoformat(),
        "changes-0-ends_on": (today - timedelta(days=1)).isoformat(),
        "changes-0-reason": "Travaux",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the end is before the start
    assert "La date de fin doit être le jour du début ou après." in response.content.decode()
    assert 'value="Travaux"' in response.content.decode()
    data["changes-0-ends_on"] = (today + timedelta(days=3)).isoformat()
    assert client.post(url, data).status_code == 302
    change = TemporaryChange.objects.get()
    assert (change.structure, change.service, change.reason) == (structure, service, "Travaux")


def test_changed_hours_need_the_hours(place, editor_a, client_for):
    data = {
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "changes-0-kind": ChangeKind.HORAIRES,
        "changes-0-starts_on": timezone.localdate().isoformat(),
        "changes-0-reason": "Horaires d'été",
    }
    response = client_for(editor_a).post(reverse("structures:espace_changes_edit"), data)
    assert response.status_code == 200
    assert "Indiquez les horaires de la période." in response.content.decode()
    assert not TemporaryChange.objects.exists()


def test_an_editor_never_touches_another_structures_changes(place, editor_b, client_for):
    structure, _service, _theme = place
    change = _closure(structure)
    data = {
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "1",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "changes-0-id": str(change.pk),
        "changes-0-kind": ChangeKind.MESSAGE,
        "changes-0-starts_on": timezone.localdate().isoformat(),
        "changes-0-DELETE": "on",
    }
    response = client_for(editor_b).post(reverse("structures:espace_changes_edit"), data)
    assert response.status_code == 404
    assert TemporaryChange.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("partner_a", 403), ("editor_a", 200)]
)
def test_access_to_the_changes_page(place, who, status, request, client_for, anonymous_client):
    client = anonymous_client if who == "anonymous" else client_for(request.getfixturevalue(who))
    assert client.get(reverse("structures:espace_changes_edit")).status_code == status


def test_the_dashboard_lists_current_and_coming_closures(place, coordinator_client):
    structure, _service, _theme = place
    _closure(structure, reason="Fermeture estivale")
    _closure(structure, starts_in=20, reason="Inventaire annuel")
    _closure(structure, starts_in=-30, lasts=5, reason="Ancienne fermeture")
    page = coordinator_client.get(reverse("structures:coordination")).content.decode()
    assert "Fermeture estivale" in page
    assert "Inventaire annuel" in page
    assert "Ancienne fermeture" not in page


def test_the_parcours_prints_a_closure_in_the_next_30_days(place):
    structure, service, _theme = place
    _closure(structure, starts_in=20, reason="Inventaire annuel")
    _closure(structure, starts_in=40, reason="Trop tard")
    session = {"parcours": [service.pk]}
    contact = parcours_contact(parcours_services(session)[0])
    assert any("Inventaire annuel" in change for change in contact["changes"])
    assert not any("Trop tard" in change for change in contact["changes"])
    assert plain(contact["hours"]).startswith("Du lundi au vendredi : 8 h 30 – 12 h")


def test_the_parcours_pdf_shows_the_hours_and_the_closure(place, partner_client):
    structure, service, _theme = place
    _closure(structure, starts_in=5, reason="Inventaire annuel")
    add(partner_client, service)
    response = partner_client.post(reverse("liaison:parcours"), parcours_form())
    assert response["Content-Type"] == "application/pdf"
    text = plain(pdf_text(response.content))
    assert "Attention : Fermé du" in text
    assert "Inventaire annuel" in text
    assert "8 h 30 – 12 h" in text
    response = partner_client.post(reverse("liaison:parcours"), parcours_form(language="es"))
    assert "Attention · Atención :" in plain(pdf_text(response.content))


def test_the_booklet_prints_a_change_current_at_its_edition(place):
    structure, _service, _theme = place
    fingerprint = directory_fingerprint()
    _closure(structure, starts_in=3, reason="Inventaire annuel")  # coming: not printed yet
    context = booklet_context(options=WHOLE_DIRECTORY)
    printed = next(s for s in context["structures"] if s.pk == structure.pk)
    assert printed.current_banners == []
    _closure(structure, reason="Fermeture estivale")
    assert directory_fingerprint() != fingerprint
    context = booklet_context(options=WHOLE_DIRECTORY)
    printed = next(s for s in context["structures"] if s.pk == structure.pk)
    assert [banner.text.split(" — ")[1] for banner in printed.current_banners] == [
        "Fermeture estivale"
    ]


def test_another_structures_fiche_is_refused(place):
    from django.core.exceptions import ValidationError

    _structure, service, _theme = place
    change = TemporaryChange(
        structure=StructureFactory(), service=service, starts_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        change.full_clean()


def test_the_coordinator_adds_a_closure_in_the_admin(place, coordinator_client):
    structure, service, _theme = place
    url = reverse("admin:structures_temporarychange_add")
    page = coordinator_client.get(url).content.decode()
    assert "weekly_hours_0" in page
    data = {
        "structure": str(structure.pk),
        "service": str(service.pk),
        "kind": ChangeKind.FERMETURE,
        "starts_on": "01/08/2026",
        "ends_on": "15/08/2026",
        "reason": "Fermeture estivale",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = TemporaryChange.objects.get()
    assert (change.service, change.ends_on.day, change.weekly_hours) == (service, 15, "")
    assert change.history.count() == 1
