"""The cost of the usage counts, and the statistics page on a year of daily data (300 × 5)."""

import statistics
from unittest import mock

from tests.bench import median_ms, synthetic_client

STRUCTURES, SERVICES = 300, 5


def _counting(report, client):
    from structures.models import Service
    from structures.usage import usage_count

    service = Service.objects.order_by("pk")[STRUCTURES * SERVICES // 2]
    url = service.get_absolute_url()
    assert client.get(url).status_code == 200
    counted, plain = [], []
    for _ in range(31):  # interleaved, so that the load of the machine weighs on both
        counted.append(median_ms(lambda: client.get(url), repeat=1, warmup=0))
        with mock.patch("structures.directory.views.usage_count"):
            plain.append(median_ms(lambda: client.get(url), repeat=1, warmup=0))
    counted, plain = statistics.median(counted), statistics.median(plain)
    upsert = median_ms(lambda: usage_count(event="vue_fiche", structure_id=1, subject_id=1))
    print("\nComptage anonyme, médiane de 31 requêtes de la fiche service, alternées :")
    report("  fiche service sans comptage (ancre)", plain)
    report("  fiche service avec comptage", counted)
    report("  rapport avec / sans", counted / plain, unit="×")
    report("  un comptage seul (upsert)", upsert)


def _statistics(report, client):
    from django.test import Client

    from structures.coordination.demo_usage import usage_demo_seed
    from structures.models import Service, UsageCount, User

    rows = usage_demo_seed(days=365)
    coordinator = Client()
    coordinator.force_login(User.objects.create_user("bench-coordination", role="coordination"))
    anchor_url = Service.objects.order_by("pk").first().get_absolute_url()
    pages = {
        "statistiques, l'année": "/coordination/statistiques/?periode=annee",
        "statistiques, un mois": "/coordination/statistiques/?periode=mois",
        "téléchargement .xlsx de l'activité par structure, l'année": (
            "/coordination/statistiques/activite-par-structure.xlsx?periode=annee"
        ),
    }
    print(
        f"\nStatistiques : un an de comptages ({UsageCount.objects.count()} lignes, "
        f"{rows} écrites), {STRUCTURES} × {SERVICES}, médiane de 15 :"
    )
    anchor = median_ms(lambda: coordinator.get(anchor_url))
    report("  fiche service (ancre)", anchor)
    for label, url in pages.items():
        assert coordinator.get(url).status_code == 200, url
        took = median_ms(lambda url=url: coordinator.get(url))
        report(f"  {label}", took)
        report("    rapport à l'ancre", took / anchor, unit="×")
    from django.utils import timezone

    from structures.coordination.periods import period_containing
    from structures.coordination.report import activity_report_pdf

    year = period_containing(timezone.localdate(), "annee")
    took = median_ms(lambda: activity_report_pdf(period=year), repeat=3, warmup=0)
    report("  rapport d'activité PDF de l'année, par la tâche (médiane de 3)", took)
    report("    rapport à l'ancre", took / anchor, unit="×")


def run(report):
    client = synthetic_client(structures=STRUCTURES, services=SERVICES)
    _counting(report, client)
    _statistics(report, client)
