"""The /imprimer/ page and the PDFs of the paper directory, of a theme and of a structure."""

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from structures.models import Contact, Service, Structure, Territory, Theme

from ..pdf import pdf_render, pdf_response
from .cache import booklet_build, booklet_current_edition, booklet_get
from .context import BookletOptions
from .forms import BookletForm


def booklet_page(request):
    context = {
        "form": BookletForm(),
        "edition": booklet_current_edition(),
    }
    return render(request, "liaison/booklet/print_page.html", context)


def _edition_response(options: BookletOptions, *, filename: str) -> FileResponse:
    edition = booklet_get(options=options)
    try:
        file = default_storage.open(edition.name)
    except FileNotFoundError:  # replaced by another server in the meantime
        file = default_storage.open(booklet_build(options=options).name)
    return FileResponse(
        file,
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def booklet_pdf(request):
    if not request.GET:
        return _edition_response(BookletOptions(), filename="repertoire.pdf")
    form = BookletForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "edition": booklet_current_edition()}
        return render(request, "liaison/booklet/print_page.html", context, status=400)
    options = form.options()
    filename = "repertoire.pdf" if options.is_whole else "repertoire-extrait.pdf"
    return _edition_response(options, filename=filename)


def theme_pdf(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    options = BookletOptions(theme_slugs=(theme.slug,))
    return _edition_response(options, filename=f"repertoire-{theme.slug}.pdf")


def structure_pdf(request, slug):
    structure = get_object_or_404(
        Structure.objects.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("order", "name")),
            Prefetch(
                "services",
                queryset=Service.objects.active().prefetch_related("themes").order_by("title"),
                to_attr="active_services",
            ),
        ),
        slug=slug,
    )
    contacts = list(structure.contacts.all())
    structure.general_contacts = [c for c in contacts if c.service_id is None]
    for service in structure.active_services:
        service.own_contacts = [c for c in contacts if c.service_id == service.pk]
    context = {
        "territory": Territory.load(),
        "structure": structure,
        "services": structure.active_services,
        "produced_at": timezone.now(),
    }
    pdf = pdf_render(template_name="liaison/booklet/structure_sheet.html", context=context)
    return pdf_response(pdf, filename=f"fiche-{structure.slug}.pdf")
