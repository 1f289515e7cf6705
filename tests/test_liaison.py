import re

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import DocumentKind, DocumentUse

from .form_data import filled_liaison, liaison_url
from .html_utils import checkbox_labels
from .pdf_utils import (
    image_count,
    is_a4,
    pdf_dotted_rules,
    pdf_font_names,
    pdf_keep,
    pdf_lines,
    pdf_pages_text,
    pdf_text,
    squash,
)


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("partner", 200), ("coordinator", 200)]
)
def test_access_to_every_liaison_view(recipient, who, expected, client_for, partner_a, coordinator):
    client = client_for({"anonymous": None, "partner": partner_a, "coordinator": coordinator}[who])
    urls = [
        reverse("liaison:liaison_new"),
        liaison_url(recipient),
        reverse("liaison:liaison_new") + "?structure=ccas",
        reverse("liaison:liaison_blank"),
        reverse("liaison:liaison_blank") + f"?service={recipient.pk}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("login"))
    response = client.post(liaison_url(recipient), filled_liaison())
    assert response.status_code == expected
    if expected == 302:
        assert DocumentUse.objects.count() == 0


def test_the_form_is_prefilled_with_the_sender_and_the_recipient(recipient, partner_client):
    html = partner_client.get(liaison_url(recipient)).content.decode()
    assert 'value="Dominique Partenaire' in html
    assert 'value="Centre social des Alouettes (ST' in html
    assert "Nadia Exemple, Conseillère" in html
    assert "12 rue des Tilleuls, 69300 Bellecombe-sur-Saône" in html
    # The request's checkboxes are the recipient service's themes only.
    assert checkbox_labels(html, "request_themes") == ["Logement", "Santé"]
    assert "La personne a été informée de cette transmission et l&#x27;a acceptée" in html


def test_the_structure_form_offers_the_themes_of_its_services(recipient, partner_client):
    html = partner_client.get(reverse("liaison:liaison_new") + "?structure=ccas").content.decode()
    assert "Centre communal d&#x27;action sociale (CCAS)" in html
    assert "Logement" in checkbox_labels(html, "request_themes")
    assert "Emploi et insertion" not in checkbox_labels(html, "request_themes")


@pytest.mark.parametrize("query", ["?service=999999", "?service=abc", "?structure=inconnue"])
def test_an_unknown_recipient_is_a_404(db, partner_client, query):
    assert partner_client.get(reverse("liaison:liaison_new") + query).status_code == 404


def test_without_recipient_the_page_asks_to_choose_a_structure(recipient, partner_client):
    html = partner_client.get(reverse("liaison:liaison_new")).content.decode()
    assert "Structure destinataire" in html
    assert '<option value="ccas">' in html


def test_submitting_returns_an_a4_pdf_with_the_whole_referral(recipient, partner_client):
    logement = recipient.themes.get(slug="logement")
    response = partner_client.post(
        liaison_url(recipient), filled_liaison(request_themes=[logement.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="fiche-liaison-ccas-2026-11-25.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert is_a4(pdf)
    pages = pdf_pages_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    for expected in [
        "Fiche liaison partenaire",
        "25 novembre 2026",
        "Rapide (dans la semaine)",
        "Dominique Partenaire",
        "Centre social des Alouettes",
        "Centre communal d'action sociale (CCAS)",
        "Nadia Exemple, Conseillère",
        "12 rue des Tilleuls, 69300 Bellecombe-sur-Saône",
        "Zerbinati",
        "Amina",
        "06 99 88 77 66",
        "14 mars 1980",
        "arabe, français (un peu)",
        "Interprète : nécessaire",
        "La joindre : 06 99 88 77 66",
        "Logement",
        "Demande d'aide pour payer la caution d'un nouveau logement.",
        "entrée prévue le 1er décembre",
        "Copie de la pièce d'identité",
        "Avis d'imposition",
        "La personne a été informée de cette transmission et l'a acceptée",
        "Signature du professionnel",
        "Signature de la personne",
        "Document confidentiel — partage d'informations limité à ce qui est nécessaire "
        "à l'accompagnement",
        "page 1 / 1",
    ]:
        assert squash(expected) in squash(text), expected
    assert "Santé" not in text  # offered but not ticked


def test_a_long_situation_flows_onto_a_second_page_with_the_footer(recipient, partner_client):
    situation = "\n".join(f"Ligne {n} de la situation." for n in range(60))
    response = partner_client.post(
        liaison_url(recipient), filled_liaison(situation=situation[:2000])
    )
    pages = pdf_pages_text(response.content)
    assert len(pages) == 2
    assert "page 2 / 2" in pages[1]
    assert "Document confidentiel" in pages[1]


def test_it_keeps_an_anonymous_count_of_the_referral(recipient, partner_client, partner_a):
    logement = recipient.themes.get(slug="logement")
    partner_client.post(liaison_url(recipient), filled_liaison(request_themes=[logement.pk]))
    use = DocumentUse.objects.get()
    assert use.kind == DocumentKind.LIAISON
    assert use.sender_structure == partner_a.structure
    assert use.recipient_structure == recipient.structure
    assert use.recipient_service == recipient
    assert list(use.themes.all()) == [logement]


def test_missing_consent_is_refused_and_everything_typed_is_kept(recipient, partner_client):
    response = partner_client.post(liaison_url(recipient), filled_liaison(consent=None))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "qu&#x27;avec l&#x27;accord de la personne" in html
    assert 'value="Zerbinati"' in html
    assert "Demande d&#x27;aide pour payer la caution" in html
    assert re.search(r'value="rapide"[^>]*checked', html)
    assert DocumentUse.objects.count() == 0


def test_invalid_fields_come_back_with_french_messages(recipient, partner_client):
    response = partner_client.post(
        liaison_url(recipient),
        filled_liaison(
            last_name="", phone="12345", birth_date="2999-01-01", request_text="", date="hier"
        ),
    )
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "n&#x27;est pas un numéro de téléphone français" in html
    assert "La date de naissance ne peut pas être dans le futur." in html
    assert "Indiquez l&#x27;objet de la demande" in html
    assert "Saisissez une date valide." in html
    assert 'value="Amina"' in html
    assert DocumentUse.objects.count() == 0


ORDINARY = {
    # What the partners write on an ordinary day, every field filled in.
    "sender_structure": "Centre social et culturel des Alouettes, accueil de la Montée",
    "recipient_structure": "Caisse d'allocations familiales du Rhône – point d'accueil de "
    "Bellecombe (CAF)",
    "recipient_service": "Aide personnalisée au logement (APL) et aides à l'installation",
    "recipient_contact": "Nadia Exemple, Conseillère — 04 65 71 14 55",
    "address": "3 impasse des Lilas, bâtiment B, 69300 Bellecombe-sur-Saône",
    "email": "amina.zerbinati@example.org",
    "request_text": "Demande d'aide pour payer la caution d'un nouveau logement, et ouverture "
    "des droits à l'aide personnalisée au logement dès l'entrée dans les lieux. " * 2,
    "situation": (
        "Vient de trouver un logement social après six mois d'hébergement chez un tiers. "
        "Entrée prévue le 1er décembre. Deux enfants scolarisés à l'école Jean-Moulin. "
        "Revenus : RSA. La personne n'a pas encore de compte sur le site de la CAF et "
        "souhaite être accompagnée pour la demande. "
    )
    * 3,
    "documents": "Copie de la pièce d'identité\nAvis d'imposition\nBail signé\n"
    "Attestation d'hébergement",
}


def test_an_ordinary_fiche_fits_one_page_with_its_consent_and_signatures(recipient, partner_client):
    response = partner_client.post(liaison_url(recipient), filled_liaison(**ORDINARY))
    pdf = response.content
    pdf_keep(pdf, "fiche-liaison")
    pages = pdf_pages_text(pdf)
    assert len(pages) == 1
    for expected in ["Documents joints", "Attestation d'hébergement", "Signature de la personne"]:
        assert expected in pages[0], expected
    assert "La personne a été informée" in pages[0]


def test_no_phone_number_is_split_across_two_lines(
    recipient, partner_client, coordinated_territory
):
    phones = ["04 65 71 10 14", "04 65 71 14 55", "06 99 88 77 66", "04 65 71 00 00"]
    situation = "Joignable le matin au 06 99 88 77 66, sinon au 04 65 71 14 55. " * 6
    data = filled_liaison(**{**ORDINARY, "situation": situation}, via_sender="on")
    response = partner_client.post(liaison_url(recipient), data)
    lines = [line for page in pdf_lines(response.content) for line in page]
    text = " ".join(lines)
    for phone in phones:
        assert phone in text, phone
        printed = text.count(phone)
        assert printed == sum(line.count(phone) for line in lines), f"{phone} split"


def test_long_texts_flow_onto_a_second_page_with_the_signatures(recipient, partner_client):
    long_texts = {
        "request_text": ("Une demande longue et détaillée. " * 40)[:1000],
        "situation": ("Une situation longue, décrite avec soin. " * 60)[:2000],
    }
    pdf = partner_client.post(liaison_url(recipient), filled_liaison(**{**ORDINARY, **long_texts}))
    pdf = pdf.content
    pdf_keep(pdf, "fiche-liaison-longue")
    pages = pdf_pages_text(pdf)
    assert len(pages) == 2
    assert "Situation" in pages[0]
    assert "Une situation longue" in pages[1]  # the text runs on, the signatures follow it
    assert "Signature de la personne" in pages[1]
    assert "page 2 / 2" in pages[1]


@pytest.mark.parametrize(
    ("reach", "printed"),
    [
        ({"phone": "0699887766"}, "La joindre : 06 99 88 77 66"),
        ({"phone": "", "email": "amina@example.org"}, "La joindre : amina@example.org"),
        (
            {"phone": "", "via_sender": "on"},
            "La joindre : par l'intermédiaire de l'accueillant (Dominique Partenaire, "
            "04 65 71 00 00)",
        ),
    ],
)
def test_the_person_is_reached_by_phone_email_or_through_the_sender(
    recipient, partner_client, reach, printed
):
    response = partner_client.post(liaison_url(recipient), filled_liaison(**reach))
    assert response["Content-Type"] == "application/pdf"
    assert squash(printed) in squash(pdf_text(response.content))


def test_a_person_with_no_way_to_be_reached_gets_a_french_message(recipient, partner_client):
    response = partner_client.post(liaison_url(recipient), filled_liaison(phone=""))
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Indiquez comment joindre la personne : son téléphone, son courriel" in html
    assert 'value="Zerbinati"' in html
    assert DocumentUse.objects.count() == 0


def test_the_filled_fiche_uses_only_the_fonts_shipped_with_the_project(recipient, partner_client):
    pdf = partner_client.post(liaison_url(recipient), filled_liaison()).content
    assert pdf_font_names(pdf) <= {"Noto-Sans", "Noto-Sans-Bold"}


def test_the_blank_fiche_has_the_headings_and_empty_fields(db, partner_client):
    response = partner_client.get(reverse("liaison:liaison_blank"))
    assert response["Content-Disposition"] == 'attachment; filename="fiche-liaison-vierge.pdf"'
    pdf = response.content
    pdf_keep(pdf, "fiche-liaison-vierge")
    # Lines long enough to write by hand: 5.5 cm at least; 12 cm or more for the
    # structures, services, contacts, addresses and e-mails.
    rules = [rule for page in pdf_dotted_rules(pdf) for rule in page]
    assert min(rules) >= 55
    assert sum(rule >= 120 for rule in rules) >= 7
    assert is_a4(pdf)
    pages = pdf_pages_text(pdf)
    # Page 1: who and what; page 2: room to write the situation, then the signatures.
    assert len(pages) == 2
    for heading in [
        "Fiche liaison partenaire",
        "Émetteur",
        "Destinataire",
        "La personne",
        "La demande",
    ]:
        assert heading in pages[0], heading
    for heading in [
        "Situation",
        "Documents joints",
        "Signature du professionnel",
        "Signature de la personne",
        "La personne a été informée de cette transmission",
    ]:
        assert heading in pages[1], heading
    # Empty fields: each label is followed by nothing but the next label.
    assert "Nom : Téléphone : Structure : Courriel :" in pages[0]
    assert "Structure : Service : Contact : Adresse :" in pages[0]
    assert "Nom : Prénom : Né(e) le : Langues parlées : Adresse :" in pages[0]
    assert "Ni téléphone ni courriel : la joindre par l'intermédiaire de l'accueillant" in pages[0]
    assert "Normale" in pages[0]
    assert "Urgente (dans les 48 heures)" in pages[0]
    assert all("Document confidentiel" in page for page in pages)
    assert "page 2 / 2" in pages[1]
    assert DocumentUse.objects.get().kind == DocumentKind.LIAISON_BLANK


def test_the_blank_fiche_from_a_service_page_has_only_the_recipient(recipient, partner_client):
    url = reverse("liaison:liaison_blank") + f"?service={recipient.pk}"
    response = partner_client.get(url)
    assert response["Content-Disposition"] == (
        'attachment; filename="fiche-liaison-ccas-vierge.pdf"'
    )
    text = pdf_text(response.content)
    assert "Centre communal d'action sociale (CCAS)" in text
    assert "Nadia Exemple, Conseillère" in text
    assert "12 rue des Tilleuls" in text
    assert "Dominique" not in text  # the sender is left blank
    assert "Nom : Prénom : Né(e) le :" in text
    use = DocumentUse.objects.get()
    assert (use.kind, use.recipient_service) == (DocumentKind.LIAISON_BLANK, recipient)


HOSTILE = '<img src="file:///etc/passwd"> http://127.0.0.1:9/piege.png'


def test_typed_html_and_urls_are_printed_literally_and_nothing_is_fetched(
    recipient, partner_client, monkeypatch, caplog
):
    from liaison.pdf import StaticFilesOnlyFetcher

    fetched = []
    original = StaticFilesOnlyFetcher.fetch

    def spy(self, url, *args, **kwargs):
        fetched.append(url)
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(StaticFilesOnlyFetcher, "fetch", spy)
    response = partner_client.post(
        liaison_url(recipient),
        filled_liaison(
            request_text=HOSTILE,
            situation=f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css"> {HOSTILE}',
            address="<b>gras</b>",
        ),
    )
    text = pdf_text(response.content)
    assert '<img src="file:///etc/passwd">' in text
    assert "http://127.0.0.1:9/piege.png" in text
    assert "<b>gras</b>" in text
    assert image_count(response.content) == 0
    # Only our stylesheets, fonts and pictograms, from the static files.
    assert "https://repertoire.invalid/static/css/printable.css" in fetched
    assert all(url.startswith("https://repertoire.invalid/static/") for url in fetched)
    assert "refused" not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        lambda service: service.get_absolute_url(),
        lambda service: service.structure.get_absolute_url(),
    ],
)
def test_service_and_structure_pages_offer_the_fiche_liaison(recipient, partner_client, url):
    html = partner_client.get(url(recipient)).content.decode()
    assert re.search(
        r'href="/liaison/nouvelle/\?(service|structure)=[^"]+">Fiche liaison</a>', html
    )
    assert reverse("liaison:liaison_blank") in html


def test_the_admin_shows_the_counts_by_kind_and_structure(
    recipient, partner_client, coordinator_client
):
    logement = recipient.themes.get(slug="logement")
    partner_client.post(liaison_url(recipient), filled_liaison(request_themes=[logement.pk]))
    partner_client.get(reverse("liaison:liaison_blank"))
    partner_client.get(reverse("liaison:parcours_blank"))
    response = coordinator_client.get(reverse("admin:liaison_documentuse_changelist"))
    assert response.status_code == 200
    counts = dict(response.context["counts_by_kind"])
    assert counts == {"Fiche liaison": 1, "Fiche liaison vierge": 1, "Fiche parcours vierge": 1}
    assert [row["count"] for row in response.context["counts_by_recipient"]] == [1]
    assert list(response.context["counts_by_theme"]) == [{"themes__name": "Logement", "count": 1}]
    html = response.content.decode()
    assert "Comptage des documents" in html
    filtered = coordinator_client.get(
        reverse("admin:liaison_documentuse_changelist") + "?kind=liaison"
    )
    assert dict(filtered.context["counts_by_kind"]) == {"Fiche liaison": 1}
    today = timezone.localdate()
    this_month = coordinator_client.get(
        reverse("admin:liaison_documentuse_changelist")
        + f"?created_on__year={today.year}&created_on__month={today.month}"
    )
    assert sum(dict(this_month.context["counts_by_kind"]).values()) == 3
    last_year = coordinator_client.get(
        reverse("admin:liaison_documentuse_changelist") + f"?created_on__year={today.year - 1}"
    )
    assert list(last_year.context["counts_by_kind"]) == []
    assert coordinator_client.get(reverse("admin:liaison_documentuse_add")).status_code == 403


def test_partners_cannot_see_the_counts_in_the_admin(partner_client):
    response = partner_client.get(reverse("admin:liaison_documentuse_changelist"))
    assert response.status_code == 302


def test_an_inactive_service_offers_no_document(recipient, coordinator_client):
    recipient.is_active = False
    recipient.save()
    html = coordinator_client.get(recipient.get_absolute_url()).content.decode()
    assert f"?service={recipient.pk}" not in html
    assert "Ajouter au parcours" not in html
    assert coordinator_client.get(liaison_url(recipient)).status_code == 404


def test_the_form_leaves_required_fields_to_the_french_server_messages(recipient, partner_client):
    html = partner_client.get(liaison_url(recipient)).content.decode()
    assert re.search(r"<form[^>]*novalidate", html)
    assert "Les champs marqués d'un astérisque (*) sont obligatoires." in html
