"""Render the booklet in parts on every core, keep every rendered part, assemble them.

WeasyPrint lays a document out in one process with all its pages in memory: the whole
directory at once (300 structures × 5 fiches, ~950 pages) takes minutes and a gigabyte.
So the booklet is cut into chunks, rendered apart in the task worker's processes
(structures/background/pool.py), and every rendered chunk is kept:

- the cover, the contents, each theme, the structures A–Z, the annexes and the index are
  parts, each opening on a right-hand page (`two_sided`; a blank back when needed);
- the themes and the A–Z are cut into chunks of about CHUNK_STRUCTURES structures, each
  starting on a new page. A cut falls after every structure whose id hashes to a
  multiple of CHUNK_STRUCTURES (`_cuts_after`): adding or removing a structure moves no
  other cut, and an edited fiche or identity sheet re-renders one chunk;
- chunks are rendered with equal side margins (booklet-part.css) and moved towards the
  binding when stamped (BINDING_SHIFT): a chunk does not depend on the side of the page
  it starts on, so a kept chunk stays right whatever changes before it;
- a rendered chunk is a BookletPart kept under the hash of its HTML and of the
  stylesheets (`_key`): only chunks with a new hash are rendered.

`BookletRender.prepare` renders the new chunks, finds the page of every heading from the
chunks' page counts and renders the contents and the index with the numbers written in
(again if that changed their length, at most MAX_NUMBERING_ROUNDS times). `finish` puts
the cover of the day, stamps every chunk with its running header (current part,
territory) and footer (« page X / Y », edition date) from an overlay document, adds its
blank back (stamped chunks are kept too, so only chunks whose numbers changed are stamped
again) and appends them into one PDF.

Workers only receive HTML strings rendered here and use the same static-files-only URL
fetcher as every PDF of the project.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pikepdf
import weasyprint
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from structures.background.pool import WorkerPool

from ..models import BookletPart, booklet_part_file_name
from ..pdf import pdf_render_html
from .assembly import (
    BINDING_SHIFT,
    OVERLAY_STYLESHEETS,
    BookletLayoutError,
    Stamp,
    booklet_assemble,
    part_stamp,
)

PART_TEMPLATE = "liaison/booklet/part.html"
OVERLAY_TEMPLATE = "liaison/booklet/overlay.html"
# Given to the workers apart from the chunks' HTML, which links none: each worker parses
# them once for all its chunks instead of once a chunk.
PART_STYLESHEETS = ("css/printable.css", "css/booklet.css", "css/booklet-part.css")
STYLESHEETS = [*PART_STYLESHEETS, *OVERLAY_STYLESHEETS]
CHUNK_STRUCTURES = 20
MAX_NUMBERING_ROUNDS = 5
# Change it when the way parts are rendered or stamped changes: kept parts are redone.
RENDERING_VERSION = "chunks-4"


@dataclass
class ContentsEntry:
    label: str
    target: str
    level: str  # "theme" or "structure": the CSS class of the line
    page: int = 0


@dataclass
class Chunk:
    template: str
    section: str  # the running header of its pages
    extra: dict = field(default_factory=dict)
    opens: bool = True  # the first chunk of a part: opens on a right-hand page
    numbered: bool = False  # prints page numbers: rendered again once they are known
    key: str = ""
    part: BookletPart | None = None
    first_page: int = 0
    blank_back: bool = False
    stamped_key: str = ""
    stamped: BookletPart | None = None

    @property
    def pages(self) -> int:
        return self.part.pages


@dataclass
class Sheet:
    """One page of the overlay: the running header and footer of one page."""

    number: int
    section: str
    verso: bool


@dataclass
class AssembledBooklet:
    pdf: bytes
    pages: int
    content: str  # the hash of what it prints, its date included (see prepare)
    parts: list[str]  # the keys of the BookletParts used
    rendered: int  # chunks rendered by this build (the others were kept)
    chunks: int


def _contents(context) -> list[ContentsEntry]:
    entries = []
    for theme, groups in context["sections"]:
        entries.append(ContentsEntry(theme.name, f"theme-{theme.slug}", "theme"))
        for structure, _ in groups:
            target = f"theme-{theme.slug}-structure-{structure.pk}"
            entries.append(ContentsEntry(structure.display_name, target, "structure"))
    if context["structures"]:
        entries.append(ContentsEntry("Les structures de A à Z", "structures", "theme"))
    if context["annex_structures"]:
        entries.append(ContentsEntry("Annexes : hors du territoire", "annexes", "theme"))
        for theme, groups in context["annex_sections"]:
            for structure, _ in groups:
                label = f"{structure.display_name} — {theme.name}"
                target = f"annexes-{theme.slug}-structure-{structure.pk}"
                entries.append(ContentsEntry(label, target, "structure"))
    if context["index"]:
        entries.append(ContentsEntry("Index des structures et des sigles", "index", "theme"))
    return entries


def _cuts_after(structure) -> bool:
    digest = hashlib.blake2b(str(structure.pk).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % CHUNK_STRUCTURES == 0


def _cut(items: list, *, structure: Callable) -> list[list]:
    """Items in order, cut after each item whose structure `_cuts_after`."""
    pieces, piece = [], []
    for item in items:
        piece.append(item)
        if _cuts_after(structure(item)):
            pieces.append(piece)
            piece = []
    return [*pieces, piece] if piece else pieces


def _chunks(context, contents) -> list[Chunk]:
    """The chunks in print order. Each starts on a new page; in the whole directory each
    part also opens on a right-hand page, while a theme booklet, a few sheets that are
    read through, only puts its contents there: no blank page between its parts."""
    whole = context["options"].is_whole
    chunks = [
        Chunk("liaison/booklet/_cover.html", ""),
        Chunk("liaison/booklet/_contents.html", "Sommaire", {"contents": contents}, numbered=True),
    ]
    for theme, groups in context["sections"]:
        for number, piece in enumerate(_cut(groups, structure=lambda group: group[0])):
            extra = {"theme": theme, "groups": piece, "continued": number > 0}
            opens = whole and number == 0
            chunks.append(Chunk("liaison/booklet/_theme_part.html", theme.name, extra, opens))
    a_to_z = "Les structures de A à Z"
    for number, piece in enumerate(_cut(context["structures"], structure=lambda s: s)):
        extra = {"structures": piece, "continued": number > 0}
        opens = whole and number == 0
        chunks.append(Chunk("liaison/booklet/_structures_part.html", a_to_z, extra, opens))
    if context["annex_structures"]:
        annexes = "Annexes : hors du territoire"
        chunks.append(Chunk("liaison/booklet/_annexes_part.html", annexes, opens=whole))
    if context["index"]:
        index_title = "Index des structures et des sigles"
        chunks.append(Chunk("liaison/booklet/_index.html", index_title, opens=whole, numbered=True))
    return chunks


def _number(context, contents: list[ContentsEntry], pages: dict[str, int] | None = None):
    """Write the page numbers in the contents and the index (placeholders if none yet)."""
    index_entries = [entry for _, entries in context["index"] for entry in entries]
    for entry in [*contents, *index_entries]:
        # The placeholder is as wide as three digits: DejaVu Sans digits share one width.
        entry.page = 888 if pages is None else pages.get(entry.target, 0)


def _paginate(chunks: list[Chunk], *, two_sided: bool) -> dict[str, int]:
    """Number the pages from 1, each part on a right-hand page if two-sided; the anchors' pages."""
    pages, number = {}, 1
    for index, chunk in enumerate(chunks):
        chunk.blank_back = False
        if two_sided and chunk.opens and index and number % 2 == 0:
            chunks[index - 1].blank_back = True
            number += 1
        chunk.first_page = number
        for offset, anchors in enumerate(chunk.part.anchors):
            for anchor in anchors:
                pages.setdefault(anchor, number + offset)
        number += chunk.pages
    return pages


def style_digest() -> str:
    digest = hashlib.sha256(
        f"{RENDERING_VERSION} {weasyprint.__version__} {pikepdf.__version__}".encode()
    )
    for name in STYLESHEETS:
        with open(finders.find(name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


def content_key(*texts: str) -> str:
    """The hash that identifies what was rendered from these texts."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()


def _read(part: BookletPart) -> bytes:
    with default_storage.open(part.file_name) as file:
        return file.read()


def _kept(keys: set[str]) -> dict[str, BookletPart]:
    """The parts already rendered among `keys`, marked as used now."""
    found = {part.key: part for part in BookletPart.objects.filter(key__in=keys)}
    BookletPart.objects.filter(key__in=list(found)).update(used_at=timezone.now())
    return found


def _keep(key: str, pdf: bytes, anchors: list[list[str]]) -> BookletPart:
    name = booklet_part_file_name(key)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(pdf))
        if saved != name:  # another build saved the same part meanwhile: same content
            default_storage.delete(saved)
    part, _ = BookletPart.objects.update_or_create(
        key=key, defaults={"pages": len(anchors), "anchors": anchors, "used_at": timezone.now()}
    )
    return part


class BookletRender:
    """One booklet: `prepare()` renders what changed, `finish()` assembles the PDF."""

    def __init__(
        self,
        *,
        context: dict,
        pool: WorkerPool | None,
        two_sided: bool = True,
        progress: Callable[..., object] = lambda **counts: None,
    ):
        self.context = context
        self.pool = pool
        self.two_sided = two_sided
        self.progress = progress
        self.style = style_digest()
        self.contents = _contents(context)
        _number(context, self.contents)
        self.chunks = _chunks(context, self.contents)
        self.rendered = 0
        self.ready = 0

    def prepare(self) -> str:
        """Render the chunks whose content is new and number the pages; the content's hash.

        The hash covers everything the booklet prints, the cover's date included (the
        context's `produced_at`): give it the date of the previous edition, and the same
        hash means nothing else changed.
        """
        self.progress(done=0, total=len(self.chunks))
        self._render(self.chunks, count=True)
        self._number_pages()
        return self._content()

    def finish(self, *, produced_at) -> AssembledBooklet:
        """The booklet dated `produced_at`, as one PDF."""
        self.context["produced_at"] = produced_at
        self._render(self.chunks[:1])  # the cover prints the date
        self._paginate()
        total = self.chunks[-1].first_page + self.chunks[-1].pages - 1
        self._stamp(total)
        pdf = booklet_assemble([_read(chunk.stamped) for chunk in self.chunks])
        keys = {chunk.key for chunk in self.chunks} | {chunk.stamped.key for chunk in self.chunks}
        return AssembledBooklet(
            pdf=pdf,
            pages=total,
            content=self._content(),
            parts=sorted(keys),
            rendered=self.rendered,
            chunks=len(self.chunks),
        )

    def source_keys(self) -> list[str]:
        """The key of every chunk, page numbers left out, without rendering anything."""
        return [content_key(self.style, self._html(chunk)) for chunk in self.chunks]

    def _html(self, chunk: Chunk) -> str:
        return render_to_string(
            PART_TEMPLATE, {**self.context, **chunk.extra, "part_template": chunk.template}
        )

    def _content(self) -> str:
        return content_key(*(chunk.key for chunk in self.chunks))

    def _render(self, chunks: list[Chunk], *, count: bool = False):
        """Give each chunk its HTML's key and its rendering, kept or made now."""
        sources = {}
        for chunk in chunks:
            html = self._html(chunk)
            chunk.key = content_key(self.style, html)
            sources[chunk.key] = html
        parts = _kept(set(sources))
        new = sorted(set(sources) - set(parts), key=lambda key: -len(sources[key]))  # big first
        if count:
            self.ready = len(chunks) - sum(1 for chunk in chunks if chunk.key in new)
            self.progress(done=self.ready)
        documents = [sources[key] for key in new]
        render = partial(pdf_render_html, stylesheets=PART_STYLESHEETS)
        for index, rendered in self.pool.completed(render, documents):
            parts[new[index]] = _keep(new[index], rendered.pdf, rendered.anchors)
            self.rendered += 1
            if count:
                self.ready += sum(1 for chunk in chunks if chunk.key == new[index])
                self.progress(done=self.ready)
        for chunk in chunks:
            chunk.part = parts[chunk.key]

    def _paginate(self) -> dict[str, int]:
        return _paginate(self.chunks, two_sided=self.two_sided)

    def _number_pages(self):
        numbered = [chunk for chunk in self.chunks if chunk.numbered]
        for _ in range(MAX_NUMBERING_ROUNDS):
            _number(self.context, self.contents, self._paginate())
            before = [chunk.pages for chunk in numbered]
            self._render(numbered)
            if [chunk.pages for chunk in numbered] == before:
                return
        raise BookletLayoutError(
            f"La numérotation des pages ne se stabilise pas après {MAX_NUMBERING_ROUNDS} "
            "essais : le sommaire ou l'index change de longueur à chaque fois."
        )

    def _verso(self, number: int) -> bool:
        return self.two_sided and number % 2 == 0

    def _stamp(self, total: int):
        stamps = {}
        for chunk in self.chunks:
            numbers = range(chunk.first_page, chunk.first_page + chunk.pages + chunk.blank_back)
            sheets = [Sheet(number, chunk.section, self._verso(number)) for number in numbers]
            if chunk.blank_back:
                sheets[-1].section = ""
            overlay_html = render_to_string(
                OVERLAY_TEMPLATE,
                {
                    "sheets": sheets,
                    "total": total,
                    "territory_label": self.context["territory"].name or "Le territoire",
                    "produced_at": self.context["produced_at"],
                },
            )
            shifts = [-BINDING_SHIFT if sheet.verso else BINDING_SHIFT for sheet in sheets]
            chunk.stamped_key = content_key(chunk.key, overlay_html, repr(shifts))
            stamps[chunk.stamped_key] = (chunk, overlay_html, shifts)
        parts = _kept(set(stamps))
        new = [key for key in stamps if key not in parts]
        work = [
            Stamp(
                _read(stamps[key][0].part),
                stamps[key][1],
                stamps[key][2],
                stamps[key][0].blank_back,
            )
            for key in new
        ]
        for index, pdf in self.pool.completed(part_stamp, work):
            chunk = stamps[new[index]][0]
            parts[new[index]] = _keep(new[index], pdf, [[]] * (chunk.pages + chunk.blank_back))
        for chunk in self.chunks:
            chunk.stamped = parts[chunk.stamped_key]
