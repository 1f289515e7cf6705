"""Every input of the admin's forms has an accessible name (the browser test runs axe)."""

from django.urls import reverse

from .factories import ContactFactory, ServiceFactory, ThemeFactory


def test_the_inline_rows_and_split_dates_are_labelled(coordinator_client, structure_a):
    ServiceFactory(structure=structure_a)
    ContactFactory(structure=structure_a)
    html = coordinator_client.get(
        reverse("admin:structures_structure_change", args=[structure_a.pk])
    ).content.decode()
    assert 'name="contacts-0-name"' in html
    assert html.count('aria-label="Nom"') >= 2  # the contact and the empty row
    assert 'aria-label="Fiche service"' in html  # the select of the contacts inline
    assert 'aria-label="Supprimer"' in html
    assert 'aria-label="Relue le : date"' in html
    assert 'aria-label="Relue le : heure"' in html


def test_the_service_form_has_theme_boxes_and_a_named_autocomplete(coordinator_client):
    theme = ThemeFactory(name="Logement")
    html = coordinator_client.get(reverse("admin:structures_service_add")).content.decode()
    assert f'type="checkbox" name="themes" value="{theme.pk}"' in html
    assert 'data-placeholder="Choisir : structure"' in html


def test_the_editable_theme_list_is_labelled(coordinator_client):
    ThemeFactory(name="Logement")
    html = coordinator_client.get(reverse("admin:structures_theme_changelist")).content.decode()
    assert 'aria-label="Pour la personne"' in html
    assert 'aria-label="Ordre"' in html
