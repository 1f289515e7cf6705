"""The editions of the paper directory: the latest PDF of each document, and its builds.

An Edition is the latest PDF of the whole directory, of a theme, of a structure's sheet
(kept editions: once asked for, they are rebuilt after every change of the directory) or
of another choice of the /imprimer/ form (a selection: built on request, removed a day
after it was produced). A web request never renders: it serves the latest file at once,
and asks the task workers for a newer one when the directory changed since
(`editions_refresh`, `edition_request`). The queue runs one build for all the requests
made within BOOKLET_BUILD_DELAY_SECONDS, and one worker at a time, across all servers,
builds an edition (structures/background/jobs.py).

`directory_fingerprint` tells cheaply whether the directory changed since an edition was
built (`Edition.source`). A build produces a new edition only if what it prints changed
(`Edition.content`, the hash of its parts, parts.py): « Édition du … » is the date of the
latest change the edition shows. Its parts and file are in Django's storage, which every
application server and every task worker share.
"""

import hashlib
import json
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from structures.background.jobs import JobRun, job_request
from structures.background.pool import WorkerPool
from structures.models import (
    Contact,
    Job,
    Service,
    Structure,
    TemporaryChange,
    Territory,
    Theme,
)

from ..models import BookletPart, Edition, EditionKind
from .context import WHOLE_DIRECTORY, BookletOptions, booklet_context
from .parts import BookletRender

EDITIONS_DIRECTORY = "livrets"
SELECTION_LIFETIME = timedelta(days=1)
UNUSED_PARTS_LIFETIME = timedelta(days=1)
SHEETS_JOB = "fiches-structures"
# Someone is waiting for a selection; the whole directory before the themes and sheets.
PRIORITIES = {
    EditionKind.SELECTION: 30,
    EditionKind.DIRECTORY: 20,
    EditionKind.THEME: 10,
    EditionKind.STRUCTURE: 0,
}


def directory_fingerprint() -> str:
    """Changes whenever anything that a printed document shows changes.

    Themes and the territory are few rows: every one of their fields is hashed, so a new
    field is followed without anyone thinking of it. Structures, services and contacts
    are many: their count catches deletions and their latest `updated_at` every save;
    the theme links, their count and the sum of their ids; the temporary changes current
    today. Seven small queries.
    """
    fiches = [
        model.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        for model in (Structure, Service, Contact)
    ]
    # A temporary change prints while it is current: which ones are, today, is hashed.
    current_changes = TemporaryChange.objects.current_on(timezone.localdate())
    parts = [
        list(Theme.objects.order_by("pk").values_list()),
        list(current_changes.order_by("pk").values_list("pk", "updated_at")),
        list(Territory.objects.values_list()),
        *fiches,
        Service.themes.through.objects.aggregate(count=Count("pk"), total=Sum("pk")),
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return digest[:16]


DIRECTORY_KEY = "repertoire"


def theme_edition_key(slug: str) -> str:
    return f"thematique-{slug}"


def structure_edition_key(slug: str) -> str:
    return f"structure-{slug}"


def booklet_edition(options: BookletOptions) -> Edition:
    """The edition of these options: a new one, without a file yet, if never asked for.

    Keys, written in _edition_status_line.html too: « repertoire », « thematique-<slug> »,
    « structure-<slug> », « selection-<hash of the options> ».
    """
    if options == WHOLE_DIRECTORY:
        key, kind, label = DIRECTORY_KEY, EditionKind.DIRECTORY, "Répertoire complet"
    elif slug := options.single_theme:
        name = Theme.objects.filter(slug=slug).values_list("name", flat=True).first()
        key, kind, label = theme_edition_key(slug), EditionKind.THEME, f"Thématique « {name} »"
    else:
        key, kind, label = f"selection-{options.variant}", EditionKind.SELECTION, ""
        label = _selection_label(options)
    return _edition_get(
        key=key, kind=kind, label=label, options=options.as_json(), job_key=f"edition-{key}"
    )


def structure_edition(structure: Structure) -> Edition:
    """The edition of one structure's sheet (liaison/booklet/sheets.py)."""
    return _edition_get(
        key=structure_edition_key(structure.slug),
        kind=EditionKind.STRUCTURE,
        label=f"Fiche de {structure.name}"[:300],
        options={"structure": structure.pk},
        job_key=SHEETS_JOB,
        job_label="Fiches PDF des structures",
    )


def _selection_label(options: BookletOptions) -> str:
    names = Theme.objects.filter(slug__in=options.theme_slugs).order_by("order", "name")
    label = "Sélection : " + (", ".join(t.name for t in names) or "tout le répertoire")
    if not options.with_annexes:
        label += ", sans les annexes"
    if not options.with_contacts:
        label += ", sans les personnes à contacter"
    if not options.two_sided:
        label += ", recto seul"
    return label[:300]


def _edition_get(*, key, kind, label, options, job_key, job_label=None) -> Edition:
    edition = Edition.objects.select_related("job").filter(key=key).first()
    if edition is not None:
        return edition
    job, _ = Job.objects.get_or_create(key=job_key, defaults={"label": job_label or label})
    edition, _ = Edition.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "label": label,
            "options": options,
            "job": job,
            "expires_at": timezone.now() + SELECTION_LIFETIME
            if kind == EditionKind.SELECTION
            else None,
        },
    )
    return Edition.objects.select_related("job").get(pk=edition.pk)


def booklet_pool(*, beat=lambda: None) -> WorkerPool:
    """The render processes of a build: BOOKLET_RENDER_WORKERS, BOOKLET_TIME_LIMIT_SECONDS."""
    return WorkerPool(
        workers=settings.BOOKLET_RENDER_WORKERS,
        time_limit=settings.BOOKLET_TIME_LIMIT_SECONDS,
        beat=beat,
    )


def edition_is_stale(edition: Edition, fingerprint: str) -> bool:
    """Made from an older state of the directory (or never made), and not failing on this one."""
    return (edition.source != fingerprint or not edition.file) and (
        edition.failed_source != fingerprint
    )


def edition_request(edition: Edition, *, force: bool = False) -> bool:
    """Ask the task workers for a new build of the edition; whether a task was enqueued.

    The first build of an edition, and any selection, start at once: someone waits for
    them. The others wait BOOKLET_BUILD_DELAY_SECONDS, so that the changes made meanwhile
    are built together. `force` builds even if the last build failed on this state.
    """
    from .tasks import edition_build_task, sheets_build_task  # the tasks use this module

    if force:
        Edition.objects.filter(pk=edition.pk).update(failed_source="", source="")
    waiting = edition.kind == EditionKind.SELECTION or not edition.file
    task, args = (
        (sheets_build_task, [])
        if edition.kind == EditionKind.STRUCTURE
        else (edition_build_task, [edition.key])
    )
    return job_request(
        key=edition.job.key,
        label=edition.job.label,
        task=task,
        args=args,
        delay=0 if waiting else settings.BOOKLET_BUILD_DELAY_SECONDS,
        priority=PRIORITIES[edition.kind],
    )


def editions_refresh(*, fingerprint: str | None = None) -> str | None:
    """Ask for a build of every kept edition made from an older state of the directory.

    Returns the directory's fingerprint, or None if no edition was ever asked for (then
    nothing is done, not even the fingerprint's six queries).
    """
    kept = Edition.objects.kept()
    if not kept.exists():
        return None
    fingerprint = fingerprint or directory_fingerprint()
    stale = (
        kept.filter(Q(job__queued_until__isnull=True))
        .filter(~Q(source=fingerprint) | Q(file=""))
        .exclude(failed_source=fingerprint)
    )
    one_per_job = stale.values("job").annotate(key=Min("key")).values_list("key", flat=True)
    for edition in Edition.objects.select_related("job").filter(key__in=list(one_per_job)):
        edition_request(edition)
    return fingerprint


def edition_build(*, key: str, run: JobRun) -> dict:
    """Build the booklet edition `key` if the directory changed since its latest build.

    Runs in a task (tasks.py). Returns what it did, for the task's result.
    """
    edition = Edition.objects.filter(key=key).first()
    fingerprint = directory_fingerprint()
    if edition is None or not edition_is_stale(edition, fingerprint):
        return {"built": False}
    options = BookletOptions.from_json(edition.options)
    if options.theme_slugs and Theme.objects.filter(slug__in=options.theme_slugs).count() < len(
        options.theme_slugs
    ):
        edition_delete(edition)  # a theme it prints was removed or renamed
        return {"built": False, "removed": True}
    start = time.perf_counter()
    try:
        with booklet_pool(beat=run.progress) as pool:
            produced_at = edition.produced_at or timezone.now()
            context = booklet_context(options=options, produced_at=produced_at)
            render = BookletRender(
                context=context, pool=pool, two_sided=options.two_sided, progress=run.progress
            )
            content = render.prepare()
            if content == edition.content and edition.file and default_storage.exists(edition.file):
                Edition.objects.filter(pk=edition.pk).update(source=fingerprint)
                return {"built": False, "rendered": render.rendered}
            booklet = render.finish(produced_at=timezone.now())
    except Exception:
        Edition.objects.filter(pk=edition.pk).update(failed_source=fingerprint)
        raise
    edition_save(
        edition,
        pdf=booklet.pdf,
        pages=booklet.pages,
        produced_at=render.context["produced_at"],
        source=fingerprint,
        content=booklet.content,
        parts=booklet.parts,
        parts_rendered=booklet.rendered,
        parts_total=booklet.chunks,
        build_seconds=time.perf_counter() - start,
    )
    editions_clean()
    return {"built": True, "rendered": booklet.rendered, "chunks": booklet.chunks}


def edition_save(edition: Edition, *, pdf: bytes, produced_at, **fields) -> None:
    """Store a new file for the edition, then remove its previous one."""
    name = f"{EDITIONS_DIRECTORY}/{edition.key}-{timezone.localtime(produced_at):%Y%m%d-%H%M%S}.pdf"
    saved = default_storage.save(name, ContentFile(pdf))
    if edition.kind == EditionKind.SELECTION:
        fields["expires_at"] = produced_at + SELECTION_LIFETIME
    Edition.objects.filter(pk=edition.pk).update(
        file=saved, produced_at=produced_at, size=len(pdf), failed_source="", **fields
    )
    if edition.file and edition.file != saved:
        default_storage.delete(edition.file)


def edition_delete(edition: Edition) -> None:
    """Remove an edition, its file, and its job if no other edition shares it."""
    if edition.file:
        default_storage.delete(edition.file)
    job_id = edition.job_id
    edition.delete()
    Job.objects.filter(pk=job_id, editions__isnull=True).delete()


def editions_clean() -> None:
    """Remove the expired selections, and the parts no edition used for a day."""
    for edition in Edition.objects.expired():
        edition_delete(edition)
    used = {key for parts in Edition.objects.values_list("parts", flat=True) for key in parts}
    unused = [
        part
        for part in BookletPart.objects.filter(used_at__lt=timezone.now() - UNUSED_PARTS_LIFETIME)
        if part.key not in used
    ]
    for part in unused:
        default_storage.delete(part.file_name)
    BookletPart.objects.filter(pk__in=[part.pk for part in unused]).delete()


def booklet_render(*, options: BookletOptions = WHOLE_DIRECTORY, produced_at=None) -> bytes:
    """The booklet of these options as PDF bytes, rendered here (tests, benchmarks)."""
    with booklet_pool() as pool:
        produced_at = produced_at or timezone.now()
        context = booklet_context(options=options, produced_at=produced_at)
        render = BookletRender(context=context, pool=pool, two_sided=options.two_sided)
        render.prepare()
        return render.finish(produced_at=produced_at).pdf
