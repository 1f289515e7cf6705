"""One structure's sheet (/structures/<slug>/fiche.pdf): its identity and its active fiches.

Each sheet asked for once is an edition (editions.py) that the task workers keep up to
date: after a change of the directory, `sheets_build` renders the HTML of every sheet
again (cheap) and the PDF only of those whose HTML changed, in the task worker's
processes.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from structures.background.jobs import JobRun
from structures.hours.banners import current_banners_attach
from structures.models import Contact, Service, Structure, TemporaryChange, Territory

from ..models import Edition, EditionKind
from ..pdf import pdf_render_html
from .context import contacts_attach
from .editions import (
    booklet_pool,
    directory_fingerprint,
    edition_delete,
    edition_is_stale,
    edition_save,
    structure_edition_key,
)
from .parts import content_key, style_digest

SHEET_TEMPLATE = "liaison/booklet/structure_sheet.html"


def sheet_structures(pks):
    """The structures, with their contacts and active services, in four queries."""
    return Structure.objects.filter(pk__in=pks).prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("order", "name")),
        Prefetch(
            "services",
            queryset=Service.objects.active().prefetch_related("themes").order_by("title"),
            to_attr="active_services",
        ),
        Prefetch(
            "temporary_changes",
            queryset=TemporaryChange.objects.current_on(timezone.localdate()),
            to_attr="current_changes",
        ),
    )


def sheet_html(structure: Structure, *, territory: Territory, produced_at) -> str:
    contacts_attach([structure], structure.active_services, structure.contacts.all())
    today = timezone.localdate()
    changes = getattr(structure, "current_changes", None)
    if changes is None:
        changes = structure.temporary_changes.current_on(today)
    current_banners_attach([structure], structure.active_services, changes, today=today)
    context = {
        "territory": territory,
        "structure": structure,
        "services": structure.active_services,
        "produced_at": produced_at,
    }
    return render_to_string(SHEET_TEMPLATE, context)


def sheets_build(*, run: JobRun) -> dict:
    """Bring every sheet edition up to date. Runs in a task (tasks.py)."""
    fingerprint = directory_fingerprint()
    editions = [
        edition
        for edition in Edition.objects.filter(kind=EditionKind.STRUCTURE)
        if edition_is_stale(edition, fingerprint)
    ]
    structures = {s.pk: s for s in sheet_structures([e.options["structure"] for e in editions])}
    territory = Territory.load()
    style = style_digest()
    now = timezone.now()
    todo = []
    for edition in editions:
        structure = structures.get(edition.options["structure"])
        if structure is None or edition.key != structure_edition_key(structure.slug):
            edition_delete(edition)
            continue
        html = sheet_html(structure, territory=territory, produced_at=edition.produced_at or now)
        if edition.file and content_key(style, html) == edition.content:
            Edition.objects.filter(pk=edition.pk).update(source=fingerprint)
            continue
        html = sheet_html(structure, territory=territory, produced_at=now)
        todo.append((edition, html))
    run.progress(done=0, total=len(todo))
    saved = set()
    try:
        with booklet_pool(beat=run.progress) as pool:
            documents = [html for _, html in todo]
            for done, (index, rendered) in enumerate(
                pool.completed(pdf_render_html, documents), start=1
            ):
                _sheet_save(todo[index], rendered, fingerprint=fingerprint, style=style, now=now)
                saved.add(index)
                run.progress(done=done)
    except Exception:
        failed = [edition.pk for index, (edition, _) in enumerate(todo) if index not in saved]
        Edition.objects.filter(pk__in=failed).update(failed_source=fingerprint)
        raise
    return {"built": bool(todo), "rendered": len(todo)}


def _sheet_save(item, rendered, *, fingerprint, style, now):
    edition, html = item
    edition_save(
        edition,
        pdf=rendered.pdf,
        produced_at=now,
        pages=len(rendered.anchors),
        source=fingerprint,
        content=content_key(style, html),
        parts_rendered=1,
        parts_total=1,
    )
