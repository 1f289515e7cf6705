"""Browsing the directory: home, theme tabs, structures A–Z, identity sheets, fiches."""

from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Contact, Service, Structure, Theme
from ..text import normalize_for_search
from .grouping import group_by_structure, group_by_theme
from .search import search_directory


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
    services = (
        Service.objects.active()
        .in_theme(theme)
        .select_related("structure")
        .order_by("structure__name", "title")
    )
    local = [s for s in services if not s.structure.is_annex]
    annexes = [s for s in services if s.structure.is_annex]
    context = {
        "theme": theme,
        "groups": group_by_structure(local),
        "annex_groups": group_by_structure(annexes),
    }
    return render(request, "structures/directory/theme_detail.html", context)


def structure_list(request):
    structures = Structure.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    )
    # Sorted and grouped without accents, whatever the database's collation: É with E.
    structures = sorted(structures, key=lambda structure: normalize_for_search(structure.name))
    by_letter = groupby(
        structures, lambda structure: normalize_for_search(structure.name)[:1].upper()
    )
    letters = [(letter, list(items)) for letter, items in by_letter]
    return render(request, "structures/directory/structure_list.html", {"letters": letters})


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
    context = {
        "service": service,
        "structure": service.structure,
        "structure_contacts": structure_contacts,
    }
    return render(request, "structures/directory/service_detail.html", context)


def annex_list(request):
    services = (
        Service.objects.active()
        .annexes()
        .select_related("structure")
        .prefetch_related("themes")
        .order_by("structure__name", "title")
    )
    themes = [(theme, group_by_structure(items)) for theme, items in group_by_theme(services)]
    structures = Structure.objects.annexes().order_by("name")
    return render(
        request,
        "structures/directory/annex_list.html",
        {"themes": themes, "structures": structures},
    )


def search(request):
    query = request.GET.get("q", "")
    results = search_directory(query=query)
    return render(request, "structures/directory/search.html", {"query": query, "results": results})
