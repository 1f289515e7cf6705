"""Time to generate a fiche liaison and a five-contact fiche parcours, in French and in
Arabic (Django test client). The Arabic handout is reported beside the French one, its
anchor measured in the same run, as a ratio."""

from django.test import Client
from django.utils import timezone

from tests.bench import fresh_database, median_ms

STRUCTURES, SERVICES = 60, 5


def run(report):
    from liaison.models import DocumentUse
    from structures.management.commands.seed_synthetic import seed_synthetic
    from structures.models import Service, User

    fresh_database()
    seed_synthetic(structures=STRUCTURES, services_per_structure=SERVICES)
    user = User.objects.create_user("bench", password="bench-password-123")
    client = Client()
    client.force_login(user)
    services = list(Service.objects.active().order_by("pk")[:: STRUCTURES * SERVICES // 5][:5])
    recipient = services[0]
    liaison = {
        "date": timezone.localdate().isoformat(),
        "sender_name": "Dominique Partenaire",
        "sender_structure": "Centre social",
        "recipient_structure": str(recipient.structure),
        "last_name": "Exemple",
        "first_name": "Camille",
        "phone": "06 00 00 00 00",
        "request_themes": [theme.pk for theme in recipient.themes.all()],
        "request_text": "Une demande d'aide ponctuelle.",
        "situation": "Quelques lignes de situation. " * 10,
        "urgency": "normale",
        "documents": "Pièce d'identité\nAvis d'imposition",
        "consent": "on",
    }
    liaison_url = f"/liaison/nouvelle/?service={recipient.pk}"
    for service in services:
        client.post(f"/parcours/ajouter/{service.pk}/")
    assert len(client.session["parcours"]) == 5
    parcours = {
        "first_name": "Camille",
        "difficulties_text": "Payer le loyer.",
        "notes": "Garder cette feuille.",
        "rdv-TOTAL_FORMS": "3",
        "rdv-INITIAL_FORMS": "0",
        "rdv-0-date": timezone.localdate().isoformat(),
        "rdv-0-time": "10:30",
        "rdv-0-with_whom": "Mme Roux",
        "rdv-0-place": "Mairie",
        "action": "pdf",
    }

    def post(url, data):
        response = client.post(url, data)
        assert response["Content-Type"] == "application/pdf", response.content[:300]

    arabic = {**parcours, "language": "ar"}
    documents = {
        "fiche liaison (POST → PDF)": lambda: post(liaison_url, liaison),
        "fiche parcours, 5 contacts (POST → PDF)": lambda: post("/parcours/", parcours),
        "fiche parcours en arabe, 5 contacts (POST → PDF)": lambda: post("/parcours/", arabic),
        "fiche liaison vierge": lambda: client.get("/liaison/vierge.pdf"),
        "fiche parcours vierge": lambda: client.get("/parcours/vierge.pdf"),
        "fiche parcours vierge en arabe": lambda: client.get("/parcours/vierge.pdf?langue=ar"),
    }
    print("\nFiches à imprimer, médiane de 15 générations (objectif : moins de 1 s) :")
    timings = {}
    for label, generate in documents.items():
        timings[label] = median_ms(generate)
        report(f"  {label}", timings[label])
    ratio = (
        timings["fiche parcours en arabe, 5 contacts (POST → PDF)"]
        / timings["fiche parcours, 5 contacts (POST → PDF)"]
    )
    report("  fiche parcours en arabe / en français", ratio, "×")
    DocumentUse.objects.all().delete()
