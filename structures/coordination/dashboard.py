"""What the coordinator's dashboard shows: stale fiches, partners' changes, gaps, dormant accounts.

Each function runs a fixed number of queries, whatever the size of the directory.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from ..models import Contact, Role, Service, Structure, User

DORMANT_AFTER_DAYS = 30 * 6
RECENT_CHANGES_DAYS = 30
RECENT_CHANGES_LIMIT = 20


def _editors():
    return Prefetch(
        "users",
        queryset=User.objects.filter(is_editor=True, is_active=True).order_by("username"),
        to_attr="editors",
    )


@dataclass
class StaleStructure:
    structure: Structure
    identity_is_stale: bool
    stale_services: list


def stale_fiches() -> list[StaleStructure]:
    """Structures whose identity sheet or an active service is stale, with their éditeurs."""
    stale_ids = set(Structure.objects.stale().values_list("pk", flat=True))
    services_by_structure = {}
    for service in Service.objects.active().stale().order_by("title"):
        services_by_structure.setdefault(service.structure_id, []).append(service)
    structures = (
        Structure.objects.filter(pk__in=stale_ids | services_by_structure.keys())
        .prefetch_related(_editors())
        .order_by("name")
    )
    return [
        StaleStructure(
            structure=structure,
            identity_is_stale=structure.pk in stale_ids,
            stale_services=services_by_structure.get(structure.pk, []),
        )
        for structure in structures
    ]


@dataclass
class PartnerChange:
    when: object
    who: User
    kind: str
    label: str
    action: str
    fields: list[str]
    history_url: str


ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


def _changed_fields(record) -> list[str]:
    if record.history_type != "~":
        return []
    previous = record.prev_record
    if previous is None:
        return []
    model = record.instance_type
    delta = record.diff_against(previous, excluded_fields=["updated_at"])
    return [str(model._meta.get_field(name).verbose_name) for name in delta.changed_fields]


def recent_partner_changes() -> list[PartnerChange]:
    """The last changes made by partner accounts, newest first, with what changed."""
    since = timezone.now() - timedelta(days=RECENT_CHANGES_DAYS)
    records = []
    for model in (Structure, Service, Contact):
        records += list(
            model.history.filter(history_date__gte=since, history_user__role=Role.PARTENAIRE)
            .select_related("history_user")
            .order_by("-history_date")[:RECENT_CHANGES_LIMIT]
        )
    records.sort(key=lambda record: record.history_date, reverse=True)
    changes = []
    for record in records[:RECENT_CHANGES_LIMIT]:
        model = record.instance_type
        opts = model._meta
        changes.append(
            PartnerChange(
                when=record.history_date,
                who=record.history_user,
                kind=str(opts.verbose_name),
                label=getattr(record, "title", None) or record.name,
                action=ACTIONS[record.history_type],
                fields=_changed_fields(record),
                history_url=reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.id]
                ),
            )
        )
    return changes


def incomplete_structures():
    """Structures without any service or without any contact."""
    return (
        Structure.objects.annotate(
            service_count=Count("services", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
        .filter(Q(service_count=0) | Q(contact_count=0))
        .order_by("name")
    )


def dormant_accounts():
    """Active accounts never used, or not for six months."""
    threshold = timezone.now() - timedelta(days=DORMANT_AFTER_DAYS)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=threshold))
        .select_related("structure")
        .order_by(F("last_login").asc(nulls_first=True), "username")
    )
