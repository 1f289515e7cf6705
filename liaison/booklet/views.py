"""The /imprimer/ page and the PDFs of the paper directory, of a theme and of a structure.

No view renders a booklet: a download serves the latest edition at once and, if the
directory changed since, asks the task workers for a new one (editions.py). Only when no
edition exists yet does it answer the progress page, which refreshes itself until the
PDF is ready.
"""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from structures.enums import UsageEvent
from structures.models import Structure, Theme
from structures.usage import usage_count

from ..models import Edition, EditionKind
from .context import WHOLE_DIRECTORY, BookletOptions
from .editions import (
    DIRECTORY_KEY,
    booklet_edition,
    directory_fingerprint,
    edition_is_stale,
    edition_request,
    editions_refresh,
    structure_edition,
    theme_edition_key,
)
from .forms import BookletForm


@dataclass
class EditionStatus:
    """What a page says about an edition: its date, and whether a newer one is coming."""

    key: str
    edition: Edition | None
    preparing: bool = False
    failed: bool = False

    @property
    def ready(self) -> bool:
        return bool(self.edition and self.edition.file)


def _status(key: str, edition: Edition | None, fingerprint: str | None) -> EditionStatus:
    if edition is None or fingerprint is None:
        return EditionStatus(key, edition)
    stale = edition_is_stale(edition, fingerprint)
    failed = not stale and edition.failed_source == fingerprint
    preparing = stale and edition.job.is_pending
    return EditionStatus(key, edition, preparing=preparing, failed=failed)


def booklet_page(request):
    fingerprint = editions_refresh()
    editions = {
        edition.key: edition
        for edition in Edition.objects.kept()
        .select_related("job")
        .exclude(kind=EditionKind.STRUCTURE)
    }
    themes = []
    for theme in Theme.objects.order_by("order", "name"):
        key = theme_edition_key(theme.slug)
        themes.append((theme, _status(key, editions.get(key), fingerprint)))
    context = {
        "form": BookletForm(),
        "whole": _status(DIRECTORY_KEY, editions.get(DIRECTORY_KEY), fingerprint),
        "themes": themes,
    }
    return render(request, "liaison/booklet/print_page.html", context)


def _filename(edition: Edition) -> str:
    options = edition.options
    if edition.kind == EditionKind.THEME:
        return f"repertoire-{options['theme_slugs'][0]}.pdf"
    if edition.kind == EditionKind.STRUCTURE:
        slug = Structure.objects.filter(pk=options["structure"]).values_list("slug", flat=True)
        return f"fiche-{slug.first() or options['structure']}.pdf"
    if edition.kind == EditionKind.SELECTION and options["theme_slugs"]:
        return "repertoire-extrait.pdf"
    return "repertoire.pdf"


def _count_download(edition: Edition, theme: Theme | None) -> None:
    if edition.kind == EditionKind.STRUCTURE:
        usage_count(
            event=UsageEvent.STRUCTURE_PDF_DOWNLOAD, structure_id=edition.options["structure"]
        )
    else:
        usage_count(event=UsageEvent.BOOKLET_DOWNLOAD, subject_id=theme.pk if theme else None)


def _edition_download(edition: Edition, *, theme: Theme | None = None):
    """The edition's latest PDF at once, or its progress page if it has none yet; a PDF
    served is counted as a download (of `theme`'s booklet, if given)."""
    fingerprint = directory_fingerprint()
    if edition_is_stale(edition, fingerprint) and not edition.job.is_waiting:
        edition_request(edition)
        edition.refresh_from_db()  # a backend that runs tasks at once (tests) built it
    editions_refresh(fingerprint=fingerprint)
    for _ in range(2):
        if not edition.file:
            break
        try:
            file = default_storage.open(edition.file)
        except FileNotFoundError:  # replaced by a newer edition meanwhile
            edition.refresh_from_db()
            continue
        _count_download(edition, theme)
        return FileResponse(
            file, as_attachment=True, filename=_filename(edition), content_type="application/pdf"
        )
    return redirect("liaison:edition_progress", key=edition.key)


def booklet_pdf(request):
    if not request.GET:
        return _edition_download(booklet_edition(WHOLE_DIRECTORY))
    form = BookletForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "whole": EditionStatus(DIRECTORY_KEY, None), "themes": []}
        return render(request, "liaison/booklet/print_page.html", context, status=400)
    return _edition_download(booklet_edition(form.options()))


def theme_pdf(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return _edition_download(
        booklet_edition(BookletOptions(theme_slugs=(theme.slug,))), theme=theme
    )


def structure_pdf(request, slug):
    structure = get_object_or_404(Structure, slug=slug)
    return _edition_download(structure_edition(structure))


def _edition(key: str) -> Edition | None:
    return Edition.objects.select_related("job").filter(key=key).first()


def _edition_or_404(key: str) -> Edition:
    edition = _edition(key)
    if edition is None:
        raise Http404("Ce document n'existe pas ou a été supprimé : demandez-le de nouveau.")
    return edition


def edition_progress(request, key):
    """Where a download without any edition yet waits: refreshes itself until it is ready."""
    status = _status(key, _edition_or_404(key), directory_fingerprint())
    return render(request, "liaison/booklet/progress.html", {"status": status})


def edition_file(request, key):
    """The latest PDF of an edition, by its key (the progress page's link)."""
    return _edition_download(_edition_or_404(key))


def edition_status(request, key):
    """The status line of an edition, for static/js/editions.js to refresh it in place."""
    edition = _edition(key)
    status = _status(key, edition, directory_fingerprint() if edition else None)
    return render(request, "liaison/booklet/_edition_status.html", {"status": status})
