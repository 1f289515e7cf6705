"""Write a planned import: every record in bulk, and its entry in the fiches' history."""

from django.utils import timezone

from ..models import Service
from ..search.index import search_index_refresh
from .records import MODELS


def plan_save(plan):
    now = timezone.now()
    for theme in plan.created["thematiques"] + plan.updated["thematiques"]:
        theme.save()
    for table in ["structures", "services", "contacts", "changements"]:
        model = MODELS[table]
        for instance in plan.created[table] + plan.updated[table]:
            instance.updated_at = now  # bulk writes skip auto_now; the PDF cache relies on it
        if hasattr(model, "version"):
            for instance in plan.updated[table]:
                # A form opened before the import cannot save over it (structures/conflicts.py).
                instance.version += 1
        model.objects.bulk_create(plan.created[table], batch_size=500)
        fields = [item.name for item in model._meta.concrete_fields if not item.primary_key]
        fields = [name for name in fields if name not in {"created_at", "uid"}]
        model.objects.bulk_update(plan.updated[table], fields, batch_size=500)
    links = Service.themes.through
    services = [plan.services_by_uid[uid] for uid in plan.new_themes]
    links.objects.filter(service__in=[service.pk for service in services]).delete()
    links.objects.bulk_create(
        [
            links(service_id=service.pk, theme_id=plan.themes[slug].pk)
            for service in services
            for slug in plan.new_themes[service.uid]
        ],
        batch_size=1000,
    )
    # Bulk writes skip save(): the search index of what changed is refreshed here.
    search_index_refresh(
        structure_ids=[item.pk for item in plan.created["structures"] + plan.updated["structures"]],
        service_ids=[item.pk for item in plan.created["services"] + plan.updated["services"]],
    )


def history_save(plan, *, user, reason):
    """One history entry per created or changed record, as a save() would have written.

    Bulk writes skip django-simple-history's signals, so the entries, and the themes of
    each service's entry, are written here.
    """
    service_entries = []
    for table in ["structures", "services", "contacts", "changements"]:
        history = MODELS[table].history
        for objects, update in [(plan.created[table], False), (plan.updated[table], True)]:
            entries = history.bulk_history_create(
                objects, update=update, default_user=user, default_change_reason=reason
            )
            if table == "services":
                service_entries += entries or []
    theme_history = Service.history.model.themes.model
    links = Service.themes.through.objects.filter(
        service_id__in=[entry.id for entry in service_entries]
    ).values_list("id", "service_id", "theme_id")
    links_by_service = {}
    for link_id, service_id, theme_id in links:
        links_by_service.setdefault(service_id, []).append((link_id, theme_id))
    theme_history.objects.bulk_create(
        [
            theme_history(history=entry, id=link_id, service_id=entry.id, theme_id=theme_id)
            for entry in service_entries
            for link_id, theme_id in links_by_service.get(entry.id, [])
        ],
        batch_size=1000,
    )
