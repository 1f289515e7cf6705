"""What the coordinator's dashboard shows: stale fiches, partners' changes, gaps, dormant accounts.

Each function runs a fixed number of queries, whatever the size of the directory, and
returns at most DASHBOARD_ROWS rows with the total.
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from ..models import Contact, Role, Service, Structure, User
from ..usage import freshness_now

DORMANT_AFTER_MONTHS = 6
RECENT_CHANGES_DAYS = 30
RECENT_CHANGES_LIMIT = 20
DASHBOARD_ROWS = 50  # a list longer than this shows its first rows and its total


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


def stale_fiches(*, limit: int = DASHBOARD_ROWS) -> tuple[list[StaleStructure], int]:
    """Structures whose identity sheet or an active service is stale, with their éditeurs:
    the first `limit` by name, and how many there are in all."""
    stale_services = Service.objects.active().stale()
    stale_identities = Structure.objects.stale()
    structures = Structure.objects.filter(
        Q(pk__in=stale_identities.values("pk")) | Q(pk__in=stale_services.values("structure_id"))
    )
    shown = list(structures.prefetch_related(_editors()).order_by("name")[:limit])
    shown_ids = [structure.pk for structure in shown]
    stale_ids = set(stale_identities.filter(pk__in=shown_ids).values_list("pk", flat=True))
    services_by_structure = {}
    for service in stale_services.filter(structure__in=shown_ids).order_by("title"):
        services_by_structure.setdefault(service.structure_id, []).append(service)
    rows = [
        StaleStructure(
            structure=structure,
            identity_is_stale=structure.pk in stale_ids,
            stale_services=services_by_structure.get(structure.pk, []),
        )
        for structure in shown
    ]
    return rows, structures.count()


@dataclass
class PartnerChange:
    when: object
    who: User
    kind: str
    label: str
    action: str
    fields: list[str]
    history_url: str


ACTIONS = {"+": "création", "-": "suppression"}
# Not shown as changes: kept by the application, or said by the action itself.
NOT_SHOWN = {"updated_at", "is_active", "version"}


def _previous_versions(model, records) -> dict:
    """{history_id: the version before it} for the given history records, in two queries."""
    history = model.history
    previous_id = Subquery(
        history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date")
        .values("history_id")[:1]
    )
    links = dict(
        history.filter(history_id__in=[record.history_id for record in records])
        .annotate(previous_id=previous_id)
        .values_list("history_id", "previous_id")
    )
    previous = history.in_bulk([pk for pk in links.values() if pk is not None])
    return {history_id: previous.get(pk) for history_id, pk in links.items()}


def _theme_ids(model, records) -> dict:
    """{history_id: set of theme ids} of the versions of a model with themes (one query)."""
    if not hasattr(model.history.model, "themes"):
        return {}
    links = model.history.model.themes.model.objects.filter(
        history_id__in=[record.history_id for record in records]
    )
    themes = {}
    for history_id, theme_id in links.values_list("history_id", "theme_id"):
        themes.setdefault(history_id, set()).add(theme_id)
    return themes


def _changed_fields(record, previous, themes) -> list[str]:
    """The verbose names of the fields that differ between a version and the one before."""
    opts = record.instance_type._meta
    names = [
        field.verbose_name
        for field in opts.concrete_fields
        if field.attname not in NOT_SHOWN
        and getattr(record, field.attname) != getattr(previous, field.attname)
    ]
    if themes.get(record.history_id, set()) != themes.get(previous.history_id, set()):
        names.append(opts.get_field("themes").verbose_name)
    return [str(name) for name in names]


def _action(record, previous, fields) -> str:
    """What the partner did, in a word; "" for a save that changed nothing."""
    if record.history_type in ACTIONS:
        return ACTIONS[record.history_type]
    if previous is None:  # the first version kept of a fiche made before its history
        return "modification"
    was_active = getattr(previous, "is_active", None)
    if was_active is not None and record.is_active != was_active:
        return "réactivée" if record.is_active else "désactivée"
    return "modification" if fields else ""


def recent_partner_changes(*, since=None, until=None) -> list[PartnerChange]:
    """The last changes made by partner accounts (the last RECENT_CHANGES_DAYS days, or
    between `since` and `until`), newest first, with what changed.

    Saves that changed nothing (a form sent again as it was) are not changes. A fixed
    number of queries: three models × (changes, previous versions, their themes).
    """
    since = since or timezone.now() - timedelta(days=RECENT_CHANGES_DAYS)
    until = until or timezone.now()
    changes = []
    for model in (Structure, Service, Contact):
        records = list(
            model.history.filter(
                history_date__gte=since,
                history_date__lte=until,
                history_user__role=Role.PARTENAIRE,
            )
            .select_related("history_user")
            .order_by("-history_date")[: RECENT_CHANGES_LIMIT * 2]
        )
        previous = _previous_versions(model, records)
        themes = _theme_ids(model, [*records, *filter(None, previous.values())])
        for record in records:
            before = previous.get(record.history_id)
            fields = _changed_fields(record, before, themes) if before else []
            action = (
                _action(record, before, fields)
                if before
                else ACTIONS.get(record.history_type, "modification")
            )
            if action:
                changes.append(_partner_change(record, action=action, fields=fields))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:RECENT_CHANGES_LIMIT]


def _history_url(opts, pk) -> str:
    """The coordination's history page of a structure or service; the admin's for a contact."""
    if opts.model_name in {"structure", "service"}:
        return reverse("structures:coordination_history", args=[opts.model_name, pk])
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])


def _partner_change(record, *, action, fields) -> PartnerChange:
    opts = record.instance_type._meta
    return PartnerChange(
        when=record.history_date,
        who=record.history_user,
        kind=str(opts.verbose_name),
        label=getattr(record, "title", None) or record.name,
        action=action,
        fields=fields,
        history_url=_history_url(opts, record.id),
    )


def incomplete_structures(*, limit: int = DASHBOARD_ROWS) -> tuple[list[Structure], int]:
    """Structures without any service or without any contact (the first `limit`, the total)."""
    structures = (
        Structure.objects.annotate(
            service_count=Count("services", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
        .filter(Q(service_count=0) | Q(contact_count=0))
        .order_by("name")
    )
    return list(structures[:limit]), structures.count()


def dormant_accounts(*, limit: int = DASHBOARD_ROWS) -> tuple[list[User], int]:
    """Active accounts never used, or not for six months (the first `limit`, the total)."""
    threshold = timezone.now() - relativedelta(months=DORMANT_AFTER_MONTHS)
    accounts = (
        User.objects.filter(is_active=True)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=threshold))
        .select_related("structure")
        .order_by(F("last_login").asc(nulls_first=True), "username")
    )
    return list(accounts[:limit]), accounts.count()


CLOSURES_AHEAD_DAYS = 60


def current_and_coming_closures(*, limit: int = DASHBOARD_ROWS):
    """The temporary changes going on today or starting in the next CLOSURES_AHEAD_DAYS
    days (closures first), with their total."""
    from ..hours.banners import change_banner
    from ..models import TemporaryChange

    today = timezone.localdate()
    changes = TemporaryChange.objects.overlapping(
        today, today + timedelta(days=CLOSURES_AHEAD_DAYS)
    ).select_related("structure", "service")
    shown = list(changes.order_by("starts_on", "structure__name", "pk")[:limit])
    for change in shown:
        change.banner = change_banner(change, today=today)
    return shown, changes.count()


@dataclass
class Summary:
    fiches: int
    stale: int
    fresh_percent: int
    partner_changes: int
    dormant: int


def summary_figures() -> Summary:
    """The figures at the top of the dashboard (a fixed number of queries)."""
    freshness = freshness_now()
    since = timezone.now() - timedelta(days=RECENT_CHANGES_DAYS)
    changes = sum(
        model.history.filter(history_date__gte=since, history_user__role=Role.PARTENAIRE).count()
        for model in (Structure, Service, Contact)
    )
    threshold = timezone.now() - relativedelta(months=DORMANT_AFTER_MONTHS)
    dormant = (
        User.objects.filter(is_active=True)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=threshold))
        .count()
    )
    stale = freshness.fiches - freshness.fresh
    return Summary(freshness.fiches, stale, freshness.percent, changes, dormant)
