"""Browsing the directory: home, theme tabs, structures A–Z, identity sheets, fiches."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..enums import UsageEvent
from ..hours.state import hours_annotate
from ..models import Contact, Service, Structure, Theme
from ..search.query import MAX_QUERY_LENGTH
from ..usage import usage_count
from .filters import FILTERS, THEME, FilterSet
from .grouping import group_by_theme
from .listing import letters_count, structure_groups_page, structures_page
from .search import search_directory


def _first_page(request) -> bool:
    """A visit, not a turn of its pages (which is not counted again)."""
    return str(request.GET.get("page") or 1) == "1"


def home(request):
    themes = Theme.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("order", "name")  # Meta.ordering does not apply to aggregate queries
    recent = Service.objects.active().select_related("structure").order_by("-updated_at")[:8]
    return render(
        request, "structures/directory/home.html", {"themes": themes, "recent_services": recent}
    )


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    services = Service.objects.active().in_theme(theme)
    filters = FilterSet(request.GET)
    total = filters.count(services)
    listing = structure_groups_page(filters.apply(services), page_number=request.GET.get("page"))
    if _first_page(request):
        usage_count(event=UsageEvent.THEME_VIEW, subject_id=theme.pk)
    context = {"theme": theme, "filters": filters, "total": total, "listing": listing}
    return render(request, "structures/directory/theme_detail.html", context)


def structure_list(request):
    letters = letters_count()
    letter = request.GET.get("lettre", "")[:1].upper()
    if letter not in dict(letters):
        letter = ""
    page = structures_page(letter=letter, page_number=request.GET.get("page"))
    context = {"letters": letters, "letter": letter, "page": page}
    return render(request, "structures/directory/structure_list.html", context)


def structure_detail(request, slug):
    structure = get_object_or_404(
        Structure.objects.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.select_related("service")),
            Prefetch(
                "services",
                queryset=Service.objects.active().prefetch_related("themes").order_by("title"),
                to_attr="active_services",
            ),
        ),
        slug=slug,
    )
    for service in structure.active_services:
        service.structure = structure
    hours_annotate([structure, *structure.active_services])
    usage_count(event=UsageEvent.STRUCTURE_VIEW, structure_id=structure.pk)
    context = {
        "structure": structure,
        "services_by_theme": group_by_theme(structure.active_services),
    }
    return render(request, "structures/directory/structure_detail.html", context)


def service_detail(request, structure_slug, slug):
    service = get_object_or_404(
        Service.objects.select_related("structure").prefetch_related("themes", "contacts"),
        structure__slug=structure_slug,
        slug=slug,
    )
    if not service.is_active and not request.user.is_coordinator:
        raise Http404("Cette fiche n'est plus active.")
    structure_contacts = service.structure.contacts.filter(service__isnull=True)
    hours_annotate([service, service.structure])
    usage_count(
        event=UsageEvent.SERVICE_VIEW, structure_id=service.structure_id, subject_id=service.pk
    )
    context = {
        "service": service,
        "structure": service.structure,
        "structure_contacts": structure_contacts,
    }
    return render(request, "structures/directory/service_detail.html", context)


def annex_list(request):
    services = Service.objects.active().annexes()
    filters = FilterSet(request.GET, filters=[THEME, *FILTERS])
    total = filters.count(services)
    # Without a filter, every annex structure is listed, even one without a fiche yet.
    structures = None if filters.active else Structure.objects.annexes()
    listing = structure_groups_page(
        filters.apply(services), page_number=request.GET.get("page"), structures=structures
    )
    context = {"filters": filters, "total": total, "listing": listing}
    return render(request, "structures/directory/annex_list.html", context)


def search(request):
    query = request.GET.get("q", "")
    results = search_directory(query=query, params=request.GET, page_number=request.GET.get("page"))
    context = {"query": query[:MAX_QUERY_LENGTH], "results": results}
    return render(request, "structures/directory/search.html", context)


@login_not_required
def health(request):
    """/sante/: "ok" when the application answers, without touching the database; for a
    monitor, and the anchor of the load test (tests/loadtest.py)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
