"""Mon espace, the coordination dashboard and remind_stale on a 300 × 5 synthetic territory."""

from datetime import timedelta

from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone

from tests.bench import fresh_database, median_ms

STRUCTURES, SERVICES = 300, 5


def run(report):
    from structures.coordination.reminders import reminders_send
    from structures.management.commands.seed_synthetic import seed_synthetic
    from structures.models import Role, Service, StaleReminder, Structure, User

    connections.close_all()  # the previous section's file is about to be replaced
    fresh_database()
    seed_synthetic(structures=STRUCTURES, services_per_structure=SERVICES)
    long_ago = timezone.now() - timedelta(days=400)
    # A third of the directory is stale, and every structure has an éditeur.
    stale_ids = list(Structure.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Structure.objects.filter(pk__in=stale_ids).update(last_reviewed_at=long_ago)
    Service.objects.filter(structure__in=stale_ids).update(last_reviewed_at=long_ago)
    editors = User.objects.bulk_create(
        User(
            username=f"editeur-{structure.pk}",
            email=f"editeur-{structure.pk}@example.org",
            structure=structure,
            is_editor=True,
        )
        for structure in Structure.objects.all()
    )
    coordinator = User.objects.create_user("bench-coordination", role=Role.COORDINATION)
    editor = editors[0]
    editor_client, coordinator_client = Client(), Client()
    editor_client.force_login(editor)
    coordinator_client.force_login(coordinator)
    # Partner changes for the dashboard: each éditeur of the first 50 confirms a service.
    for other in editors[:50]:
        client = Client()
        client.force_login(other)
        service = other.structure.services.first()
        client.post(f"/mon-espace/services/{service.pk}/a-jour/")
    service = editor.structure.services.first()
    pages = {
        "mon espace": "/mon-espace/",
        "mon espace : fiche d'identité": "/mon-espace/fiche/",
        "mon espace : personnes à contacter": "/mon-espace/contacts/",
        "mon espace : fiche service": f"/mon-espace/services/{service.pk}/",
    }
    print(f"\nMon espace et coordination ({STRUCTURES} structures × {SERVICES} fiches) :")
    for label, url in pages.items():
        assert editor_client.get(url).status_code == 200, url
        report(f"  {label}", median_ms(lambda url=url: editor_client.get(url)))
    assert coordinator_client.get("/coordination/").status_code == 200
    report(
        "  tableau de bord /coordination/",
        median_ms(lambda: coordinator_client.get("/coordination/")),
    )

    def send_all():
        StaleReminder.objects.all().delete()
        return reminders_send()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        sent = send_all()
        report(f"  remind_stale ({sent} courriels)", median_ms(send_all, repeat=5, warmup=1))
