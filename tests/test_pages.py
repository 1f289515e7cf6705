import pytest
from django.urls import reverse

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory


@pytest.fixture
def directory(db):
    theme = ThemeFactory(name="Logement", slug="logement")
    ccas = StructureFactory(name="Centre communal d'action sociale", slug="ccas", acronym="CCAS")
    annex = StructureFactory(name="Restos du cœur", slug="restos", annex=True)
    service = ServiceFactory(
        structure=ccas, title="Aide au logement", slug="aide-logement", themes=[theme]
    )
    ServiceFactory(structure=annex, title="Colis alimentaires", slug="colis", themes=[theme])
    ServiceFactory(
        structure=ccas, title="Fiche retirée", slug="retiree", themes=[theme], inactive=True
    )
    ContactFactory(structure=ccas, service=service, name="Nadia Exemple", phone="04 65 71 10 10")
    return {"theme": theme, "structure": ccas, "service": service, "annex": annex}


def page_urls(directory):
    return [
        reverse("structures:home"),
        reverse("structures:theme_detail", args=["logement"]),
        reverse("structures:structure_list"),
        reverse("structures:structure_detail", args=["ccas"]),
        directory["service"].get_absolute_url(),
        reverse("structures:annex_list"),
        reverse("structures:search") + "?q=logement",
    ]


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("partner", 200), ("coordinator", 200)]
)
def test_access(directory, who, expected, client_for, partner_a, coordinator):
    user = {"anonymous": None, "partner": partner_a, "coordinator": coordinator}[who]
    client = client_for(user)
    for url in page_urls(directory):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("login"))


def test_the_theme_tab_lists_services_by_structure_then_the_annexes(directory, partner_client):
    response = partner_client.get(reverse("structures:theme_detail", args=["logement"]))
    html = response.content.decode()
    assert "Aide au logement" in html
    assert "Fiche retirée" not in html
    assert html.index("Centre communal d&#x27;action sociale") < html.index("Annexes :")
    assert html.index("Annexes :") < html.index("Colis alimentaires")
    assert 'aria-current="page"' in html


def test_the_service_page_shows_its_headings_contacts_and_update_date(directory, partner_client):
    response = partner_client.get(directory["service"].get_absolute_url())
    html = response.content.decode()
    for heading in ["Objectifs", "Public", "Conditions d'accès", "Déroulement"]:
        assert heading in html
    assert "Documents à apporter" in html
    assert "Nadia Exemple" in html
    assert 'href="tel:+33465711010"' in html
    assert "Mise à jour le" in html


def test_an_inactive_service_is_hidden_from_partners_but_previewed_by_the_coordinator(
    directory, partner_client, coordinator_client
):
    url = reverse("structures:service_detail", args=["ccas", "retiree"])
    assert partner_client.get(url).status_code == 404
    assert "désactivée" in coordinator_client.get(url).content.decode()


def test_the_home_counts_active_services_per_theme(directory, partner_client):
    html = partner_client.get(reverse("structures:home")).content.decode()
    assert "2 fiches" in html


def test_the_structure_page_groups_services_by_theme(directory, partner_client):
    url = reverse("structures:structure_detail", args=["ccas"])
    html = partner_client.get(url).content.decode()
    assert "Aide au logement" in html
    assert "Fiche retirée" not in html
    assert "Nadia Exemple" in html


def test_the_annexes_page_lists_annex_structures_by_theme(directory, partner_client):
    html = partner_client.get(reverse("structures:annex_list")).content.decode()
    assert "Restos du cœur" in html
    assert "Colis alimentaires" in html
    assert "Aide au logement" not in html


def test_user_text_is_escaped(db, partner_client):
    StructureFactory(slug="xss", name="<script>alert(1)</script>")
    html = partner_client.get(reverse("structures:structure_detail", args=["xss"])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_pages_answer_a_french_404(partner_client):
    response = partner_client.get("/structures/inconnue/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_login_with_username_or_email(db, client, partner_a):
    for identifier in ["partenaire-a", partner_a.email.upper()]:
        response = client.post(
            reverse("login"), {"username": identifier, "password": "mot-de-passe-de-test"}
        )
        assert response.status_code == 302, identifier
        client.logout()


def test_a_failed_login_says_why_in_french(db, client, partner_a):
    response = client.post(reverse("login"), {"username": "partenaire-a", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_logout_is_a_post(partner_client):
    response = partner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert partner_client.get(reverse("structures:home")).status_code == 302


def test_the_home_lists_themes_in_the_coordinators_order(db, partner_client):
    ThemeFactory(name="Accès aux droits", slug="droits", order=20)
    ThemeFactory(name="Logement", slug="logement", order=10)
    html = partner_client.get(reverse("structures:home")).content.decode()
    main = html.split('id="contenu"', 1)[1]
    assert main.index("Logement") < main.index("Accès aux droits")


def test_structures_a_to_z_sort_accented_names_with_their_letter(db, partner_client):
    for name in ["Foyer", "Écrivain public", "Centre social", "Espace emploi"]:
        StructureFactory(name=name)
    html = partner_client.get(reverse("structures:structure_list")).content.decode()
    positions = [
        html.index(name) for name in ["Centre social", "Écrivain public", "Espace emploi", "Foyer"]
    ]
    assert positions == sorted(positions)
    assert "?lettre=%C3%89" not in html  # É is filed under E
    assert 'href="?lettre=E"' in html
    html = partner_client.get(reverse("structures:structure_list"), {"lettre": "e"}).content
    assert "Écrivain public" in html.decode()
    assert "Espace emploi" in html.decode()
    assert "Foyer" not in html.decode()
