"""Theme tabs, annexes and A–Z come a page at a time, however large the directory."""

from django.urls import reverse

from .factories import ServiceFactory, StructureFactory, ThemeFactory


def test_a_theme_tab_lists_twenty_structures_a_page_local_ones_first(db, partner_client):
    theme = ThemeFactory(slug="logement")
    for number in range(25):
        structure = StructureFactory(name=f"Structure {number:02d}", acronym="")
        ServiceFactory(structure=structure, title=f"Fiche {number:02d}", themes=[theme])
    annex = StructureFactory(name="Aaa annexe", acronym="", annex=True)
    ServiceFactory(structure=annex, title="Fiche annexe", themes=[theme])
    url = reverse("structures:theme_detail", args=["logement"])
    first = partner_client.get(url).content.decode()
    assert first.count('class="structure-group') == 20
    assert "26 fiches — structures 1 à 20 sur 26" in first
    assert "Aaa annexe" not in first  # annexes come after the territory's structures
    second = partner_client.get(url, {"page": 2}).content.decode()
    assert second.count('class="structure-group') == 6
    assert second.index("Structure 24") < second.index("Annexes : hors du territoire")
    assert second.index("Annexes : hors du territoire") < second.index("Aaa annexe")


def test_the_annexes_list_every_annex_structure_twenty_a_page(db, partner_client):
    for number in range(22):
        StructureFactory(name=f"Annexe {number:02d}", acronym="", annex=True)
    html = partner_client.get(reverse("structures:annex_list")).content.decode()
    assert html.count('class="structure-group') == 20
    assert "Pas encore de fiche service." in html
    assert 'href="?page=2"' in html


def test_a_to_z_lists_fifty_structures_a_page(db, partner_client):
    for number in range(60):
        StructureFactory(name=f"Structure {number:02d}", acronym="")
    html = partner_client.get(reverse("structures:structure_list")).content.decode()
    assert html.count('<li class="mb-2">') == 50
    assert "Toutes les structures <span" in html
    page = partner_client.get(reverse("structures:structure_list"), {"lettre": "S", "page": 2})
    assert page.content.decode().count('<li class="mb-2">') == 10
