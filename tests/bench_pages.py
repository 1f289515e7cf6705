"""Server time of the main pages on a 300 × 5 synthetic territory (Django test client)."""

from tests.bench import median_ms, synthetic_client

STRUCTURES, SERVICES = 300, 5


def run(report):
    from structures.models import Structure, Theme

    client = synthetic_client(structures=STRUCTURES, services=SERVICES)
    theme = Theme.objects.first()
    structure = Structure.objects.order_by("pk")[STRUCTURES // 2]
    service = structure.services.first()
    pages = {
        "accueil": "/",
        f"onglet « {theme.name} »": theme.get_absolute_url(),
        "structures A–Z": "/structures/",
        "fiche d'une structure": structure.get_absolute_url(),
        "fiche service": service.get_absolute_url(),
        "recherche « accompagnement social »": "/recherche/?q=accompagnement+social",
    }
    print(f"\nPages ({STRUCTURES} structures × {SERVICES} fiches), médiane de 15 requêtes :")
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        report(f"  {label}", median_ms(lambda url=url: client.get(url)))
