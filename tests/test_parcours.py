import re
from datetime import date
from io import BytesIO

import pdfplumber
import pytest
from django.urls import reverse

from liaison.models import DocumentKind, DocumentUse
from liaison.parcours.selection import SESSION_KEY
from liaison.parcours.wording import with_article
from structures.models import Theme
from structures.text import french_date

from .factories import ServiceFactory, StructureFactory, ThemeFactory
from .form_data import PARCOURS_URL, add, parcours_form
from .pdf_utils import is_a4, pdf_keep, pdf_lines, pdf_pages_text, pdf_text, pdf_text_sizes, squash


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("partner", 200), ("coordinator", 200)]
)
def test_access_to_every_parcours_view(services, who, expected, client_for, partner_a, coordinator):
    client = client_for({"anonymous": None, "partner": partner_a, "coordinator": coordinator}[who])
    responses = [
        client.get(PARCOURS_URL),
        client.get(reverse("liaison:parcours_blank")),
        add(client, services[0], next_url=PARCOURS_URL),
        client.post(PARCOURS_URL, parcours_form()),
    ]
    for response in responses:
        if expected == 302:
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        else:
            assert response.status_code in (200, 302)
    if expected == 200:
        assert responses[2].url == PARCOURS_URL
        assert responses[3]["Content-Type"] == "application/pdf"
    else:
        assert DocumentUse.objects.count() == 0


def test_adding_needs_a_post_and_an_active_service(services, partner_client):
    url = reverse("liaison:parcours_add", args=[services[0].pk])
    assert partner_client.get(url).status_code == 405
    inactive = ServiceFactory(inactive=True)
    assert add(partner_client, inactive).status_code == 404


def test_adding_goes_back_to_the_page_and_never_to_another_site(services, partner_client):
    theme_url = reverse("structures:theme_detail", args=["logement"])
    assert add(partner_client, services[0], next_url=theme_url).url == theme_url
    response = add(partner_client, services[1], next_url="https://example.org/")
    assert response.url == services[1].get_absolute_url()
    assert partner_client.session[SESSION_KEY] == [services[0].pk, services[1].pk]


def test_adding_twice_keeps_one_entry(services, partner_client):
    add(partner_client, services[0])
    add(partner_client, services[0])
    assert partner_client.session[SESSION_KEY] == [services[0].pk]


def test_service_pages_and_theme_lists_have_the_add_button(services, partner_client):
    service_html = partner_client.get(services[0].get_absolute_url()).content.decode()
    theme_html = partner_client.get(
        reverse("structures:theme_detail", args=["logement"])
    ).content.decode()
    add_url = reverse("liaison:parcours_add", args=[services[0].pk])
    for html in (service_html, theme_html):
        form = re.search(rf'<form[^>]*action="{add_url}".*?</form>', html, re.S).group(0)
        assert 'method="post"' in form
        assert "csrfmiddlewaretoken" in form
        assert "Ajouter au parcours" in form
    add(partner_client, services[0])
    theme_html = partner_client.get(
        reverse("structures:theme_detail", args=["logement"])
    ).content.decode()
    assert "Dans le parcours ✓" in theme_html
    assert f'action="{add_url}"' not in theme_html


def test_the_parcours_page_lists_the_selection_in_order(services, partner_client):
    for service in (services[2], services[0]):
        add(partner_client, service)
    html = partner_client.get(PARCOURS_URL).content.decode()
    assert html.index("Aide numéro 3") < html.index("Aide numéro 1")
    assert "Vider le parcours" in html


def test_reordering_removing_and_clearing_keep_what_was_typed(services, partner_client):
    for service in services[:3]:
        add(partner_client, service)
    first, second, third = (service.pk for service in services[:3])
    typed = parcours_form(action=f"down:{first}")
    response = partner_client.post(PARCOURS_URL, typed)
    assert partner_client.session[SESSION_KEY] == [second, first, third]
    html = response.content.decode()
    assert 'value="Amina"' in html
    assert "Payer le loyer de décembre." in html
    assert 'value="Mme Roux"' in html
    assert 'value="2026-12-03"' in html
    assert "is-invalid" not in html

    partner_client.post(PARCOURS_URL, parcours_form(action=f"up:{third}"))
    assert partner_client.session[SESSION_KEY] == [second, third, first]
    partner_client.post(PARCOURS_URL, parcours_form(action=f"remove:{third}"))
    assert partner_client.session[SESSION_KEY] == [second, first]
    response = partner_client.post(PARCOURS_URL, parcours_form(action="clear"))
    assert SESSION_KEY not in partner_client.session
    assert 'value="Amina"' in response.content.decode()
    assert DocumentUse.objects.count() == 0


def test_the_pdf_lists_the_contacts_in_the_chosen_order(services, partner_client):
    for service in services:
        add(partner_client, service)
    order = [services[i] for i in (4, 0, 3, 1, 2)]
    partner_client.post(PARCOURS_URL, parcours_form(action=f"up:{services[4].pk}"))
    for _ in range(3):  # 4 moves to the top
        partner_client.post(PARCOURS_URL, parcours_form(action=f"up:{services[4].pk}"))
    partner_client.post(PARCOURS_URL, parcours_form(action=f"down:{services[2].pk}"))
    partner_client.post(PARCOURS_URL, parcours_form(action=f"down:{services[1].pk}"))
    assert partner_client.session[SESSION_KEY] == [service.pk for service in order]

    sante = ThemeFactory(slug="sante")
    response = partner_client.post(PARCOURS_URL, parcours_form(difficulty_themes=[sante.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="fiche-parcours-\d{4}-\d\d-\d\d\.pdf"',
        response["Content-Disposition"],
    )
    pdf = response.content
    assert is_a4(pdf)
    pages = pdf_pages_text(pdf)
    assert len(pages) <= 3  # five contacts
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]
    text = squash(pdf_text(pdf))
    positions = [text.index(squash(f"Aide numéro {services.index(s) + 1}")) for s in order]
    assert positions == sorted(positions)
    for expected in [
        "Mon parcours",
        "Amina",
        "Mes difficultés",
        "Santé",
        "Payer le loyer de décembre.",
        "Centre d'information sur les droits des femmes et des familles (CIDFF)",
        "Centre communal d'action sociale (CCAS)",
        "Ce qu'elle fait pour moi : Aide numéro 5. Ce que fait la structure 5.",
        "Adresse : 5 rue de la Paix, 69300 Bellecombe-sur-Saône",
        "Bus : ligne C5, arrêt « Arrêt 5 »",
        "Le lundi de 12 h à 12 h",
        "Le lundi de 8 h à 12 h",
        "Téléphone : 04 65 71 00 14",
        "Qui demander : Conseillère 5 (Assistante sociale)",
        "Pièce d'identité",
        "Justificatif de domicile",
        "Mes rendez-vous",
        "jeudi 3 décembre",
        "10 h 30",
        "Mme Roux",
        "Mairie, bureau 4",
        "Mes démarches",
        "Aller à mes rendez-vous",
        "Préparer mes papiers, puis contacter la Mission locale : 04 65 71 00 12",
        "Préparer mes papiers, puis contacter la Caisse d'allocations familiales : 04 65 71 00 11",
        "Préparer mes papiers, puis contacter le Centre communal d'action sociale : 04 65",
        "Notes : Garder cette feuille avec mes papiers.",
    ]:
        assert squash(expected) in text, expected
    use = DocumentUse.objects.get()
    assert (use.kind, list(use.themes.all())) == (DocumentKind.PARCOURS, [sante])


def test_the_pdf_body_text_is_at_least_14_points(services, partner_client):
    add(partner_client, services[0])
    pdf = partner_client.post(PARCOURS_URL, parcours_form()).content
    sizes = dict(pdf_text_sizes(pdf))
    for text in ["Mon parcours", "Adresse :", "Payer le loyer de décembre."]:
        assert sizes[text] >= 14, text
    body = [size for text, size in pdf_text_sizes(pdf) if not text.startswith("page ")]
    assert min(body) >= 14


def test_an_appointment_without_date_comes_back_with_a_french_message(services, partner_client):
    add(partner_client, services[0])
    response = partner_client.post(
        PARCOURS_URL,
        parcours_form(**{"rdv-0-date": "", "rdv-1-with_whom": "Assistante sociale"}),
    )
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.count("Indiquez la date du rendez-vous.") == 2
    assert 'value="Amina"' in html
    assert 'value="Assistante sociale"' in html
    assert DocumentUse.objects.count() == 0


def test_the_blank_parcours_has_the_headings_and_empty_fields(db, partner_client):
    ThemeFactory(name="Logement", slug="logement")
    response = partner_client.get(reverse("liaison:parcours_blank"))
    assert response["Content-Disposition"] == 'attachment; filename="fiche-parcours-vierge.pdf"'
    pdf = response.content
    assert is_a4(pdf)
    pdf_keep(pdf, "fiche-parcours-vierge")
    pages = pdf_pages_text(pdf)
    assert len(pages) == 2
    text = " ".join(pages)
    for heading in [
        "Mon parcours",
        "Mon prénom :",
        "Mes difficultés",
        "Logement",
        "Qui peut m'aider",
        "Mes rendez-vous",
        "Mes démarches",
        "Notes",
    ]:
        assert heading in text, heading
    # Three empty contact blocks: each label followed directly by the next one.
    assert text.count("Nom : Adresse : Quand y aller : Téléphone : Ce que j'apporte :") == 3
    assert "Date Heure Avec qui Où" in text
    assert DocumentUse.objects.get().kind == DocumentKind.PARCOURS_BLANK


def test_typed_html_is_printed_literally_in_the_parcours(services, partner_client):
    add(partner_client, services[0])
    hostile = '<img src="file:///etc/passwd"> http://127.0.0.1:9/x.png'
    response = partner_client.post(
        PARCOURS_URL, parcours_form(first_name="<b>Amina</b>", notes=hostile)
    )
    text = pdf_text(response.content)
    assert "<b>Amina</b>" in text
    assert '<img src="file:///etc/passwd">' in text
    assert "http://127.0.0.1:9/x.png" in text


def test_the_parcours_holds_at_most_twelve_contacts(db, partner_client):
    many = ServiceFactory.create_batch(13)
    for service in many:
        response = add(partner_client, service)
    assert len(partner_client.session[SESSION_KEY]) == 12
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages[-1] == (
        "Le parcours compte déjà 12 contacts : retirez-en un avant d'en ajouter un autre."
    )


@pytest.fixture
def three(services):
    """Three ordinary contacts, as a worker picks them for one person."""
    return services[:3]


def test_three_contacts_fit_on_two_pages(three, partner_client):
    for service in three:
        add(partner_client, service)
    pdf = partner_client.post(PARCOURS_URL, parcours_form()).content
    pdf_keep(pdf, "fiche-parcours")
    pages = pdf_pages_text(pdf)
    assert len(pages) <= 2
    assert "Mes démarches" in pages[-1]


def test_the_handout_has_no_header_of_the_partners_directory(
    three, partner_client, coordinated_territory
):
    add(partner_client, three[0])
    text = pdf_text(partner_client.post(PARCOURS_URL, parcours_form()).content)
    assert "Répertoire des compétences sociales" not in text
    assert "Coordination" not in text
    assert "04 65 71 10 14" not in text


def test_my_difficulties_are_printed_in_the_persons_words(three, partner_client):
    logement = Theme.objects.get(slug="logement")
    logement.person_label = "Trouver un logement"
    logement.save()
    add(partner_client, three[0])
    sante = Theme.objects.get(slug="sante")  # no label for the person: its name
    data = parcours_form(difficulty_themes=[logement.pk, sante.pk])
    text = pdf_text(partner_client.post(PARCOURS_URL, data).content)
    difficulties = text[text.index("Mes difficultés") : text.index("Qui peut m'aider")]
    assert "Trouver un logement" in difficulties
    assert "Logement" not in difficulties
    assert "Santé" in difficulties


def test_the_form_shows_the_persons_words_beside_the_theme_name(three, partner_client):
    Theme.objects.filter(slug="logement").update(person_label="Trouver un logement")
    html = partner_client.get(PARCOURS_URL).content.decode()
    assert "Logement — « Trouver un logement »" in html


def test_the_sentences_have_their_articles_and_elisions(db, partner_client):
    for name, acronym in [
        ("Caisse d'allocations familiales", "CAF"),
        ("OPAC du Rhône", ""),
        ("Centre communal d'action sociale", "CCAS"),
        ("France Travail", ""),
    ]:
        structure = StructureFactory(name=name, acronym=acronym)
        add(partner_client, ServiceFactory(structure=structure, documents="Pièce d'identité"))
    text = squash(pdf_text(partner_client.post(PARCOURS_URL, parcours_form()).content))
    for sentence in [
        "puis contacter la Caisse d'allocations familiales :",
        "puis contacter l'OPAC du Rhône :",
        "puis contacter le Centre communal d'action sociale :",
        "puis contacter France Travail :",
    ]:
        assert squash(sentence) in text, sentence
    assert squash("contacter Caisse") not in text


def test_times_and_phones_are_never_split(three, partner_client):
    for service in three:
        add(partner_client, service)
    data = parcours_form(**{"rdv-0-time": "14:00", "rdv-0-place": "Mairie " * 12})
    lines = [
        line for page in pdf_lines(partner_client.post(PARCOURS_URL, data).content) for line in page
    ]
    assert any("14 h 00" in line for line in lines)
    for phone in ["04 65 71 00 10", "04 65 71 00 11", "04 65 71 00 12"]:
        assert any(phone in line for line in lines), phone


def test_the_pictograms_are_the_projects_own_svg(three, partner_client, monkeypatch):
    from liaison.pdf import StaticFilesOnlyFetcher

    fetched = []
    original = StaticFilesOnlyFetcher.fetch

    def spy(self, url, *args, **kwargs):
        fetched.append(url.rsplit("/", 1)[-1])
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(StaticFilesOnlyFetcher, "fetch", spy)
    add(partner_client, three[0])
    partner_client.post(PARCOURS_URL, parcours_form())
    for picto in ["adresse", "bus", "horaires", "telephone", "papiers", "rendez-vous"]:
        assert f"{picto}.svg" in fetched, picto


def test_the_page_offers_the_blank_handout_in_a_language(db, partner_client):
    html = partner_client.get(PARCOURS_URL).content.decode()
    form = re.search(r'<form method="get" action="/parcours/vierge.pdf".*?</form>', html, re.S)
    assert '<option value="ar">arabe — العربية</option>' in form.group(0)
    assert '<option value="" selected>français seulement</option>' in form.group(0)


def test_texts_at_their_maximum_length_stay_inside_the_page(db, partner_client):
    structure = StructureFactory(
        name="Structure " + "x" * 190,
        address="Adresse-sans-espace-" * 12,
        opening_hours="https://example.org/" + "horaires" * 40,
    )
    service = ServiceFactory(
        structure=structure, title="T" * 200, summary="Résumé " * 36, documents="Papier " * 140
    )
    add(partner_client, service)
    data = parcours_form(first_name="P" * 100, notes="N" * 1000, difficulties_text="D" * 1000)
    pdf = partner_client.post(PARCOURS_URL, data).content
    pdf_keep(pdf, "fiche-parcours-longue")
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            assert all(char["x0"] >= 0 and char["x1"] <= page.width for char in page.chars)


@pytest.mark.parametrize(
    ("name", "in_sentence"),
    [
        ("Caisse d'allocations familiales", "la Caisse d'allocations familiales"),
        ("OPAC du Rhône", "l'OPAC du Rhône"),
        ("Centre communal d'action sociale", "le Centre communal d'action sociale"),
        ("Espace santé jeunes", "l'Espace santé jeunes"),
        ("Hôpital Nord", "l'Hôpital Nord"),
        ("Mission locale", "la Mission locale"),
        ("Restos du cœur", "les Restos du cœur"),
        ("La Croix-Rouge française", "la Croix-Rouge française"),
        ("L'Ouvre-Boîte", "l'Ouvre-Boîte"),
        ("CAF", "la CAF"),
        ("CCAS", "le CCAS"),
        ("France Travail", "France Travail"),
        ("Emmaüs", "Emmaüs"),
    ],
)
def test_a_structure_name_takes_its_article_in_a_sentence(name, in_sentence):
    assert with_article(name) == in_sentence


@pytest.mark.parametrize(
    ("day", "written"),
    [(date(2026, 12, 1), "mardi 1er décembre 2026"), (date(2026, 12, 3), "jeudi 3 décembre 2026")],
)
def test_dates_are_written_with_the_french_ordinal(day, written):
    assert french_date(day, weekday=True) == written
