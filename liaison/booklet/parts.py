"""Render the booklet in parts, on every core, and assemble them into one PDF.

WeasyPrint lays a document out in one process, with all its pages in memory: a big
directory (300 structures × 5 fiches, ~950 pages) took a minute and a gigabyte. Each part
of the booklet (cover, contents, one part per theme, structures A–Z, annexes, index) opens
on a right-hand page, so the parts can be rendered separately, in a pool of processes:

1. the cover, the body parts and the contents (with placeholder page numbers) are
   rendered in parallel; each returns its PDF and the ids found on each of its pages;
2. the page of every heading follows from the parts' page counts (a part with an odd
   count is followed by a blank page, as WeasyPrint would do), so the contents and the
   index are rendered again with their page numbers written in (again if the contents
   changed length);
3. the running header (current part, territory) and the footer ("page X / Y", edition
   date) of every page are rendered as one overlay document and stamped over the pages
   with pypdf.

Workers only receive HTML strings rendered here and use the same static-files-only URL
fetcher as every PDF of the project.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from multiprocessing import get_context

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from ..pdf import RenderedPdf, pdf_render_html

PART_TEMPLATE = "liaison/booklet/part.html"
OVERLAY_TEMPLATE = "liaison/booklet/overlay.html"
A4_POINTS = (595.28, 841.89)


@dataclass
class ContentsEntry:
    label: str
    target: str
    level: str  # "theme" or "structure": the CSS class of the line
    page: int = 0


@dataclass
class Part:
    template: str
    section: str  # the running header of its pages
    extra: dict = field(default_factory=dict)
    numbered: bool = False  # prints page numbers: rendered again once they are known
    rendered: RenderedPdf | None = None
    first_page: int = 0

    @property
    def page_count(self) -> int:
        return len(self.rendered.anchors)


@dataclass
class Sheet:
    number: int
    section: str


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


def _parts(context, contents) -> list[Part]:
    parts = [
        Part("liaison/booklet/_cover.html", ""),
        Part("liaison/booklet/_contents.html", "Sommaire", {"contents": contents}, numbered=True),
    ]
    for theme, groups in context["sections"]:
        extra = {"theme": theme, "groups": groups}
        parts.append(Part("liaison/booklet/_theme_part.html", theme.name, extra))
    if context["structures"]:
        parts.append(Part("liaison/booklet/_structures_part.html", "Les structures de A à Z"))
    if context["annex_structures"]:
        parts.append(Part("liaison/booklet/_annexes_part.html", "Annexes : hors du territoire"))
    if context["index"]:
        index_title = "Index des structures et des sigles"
        parts.append(Part("liaison/booklet/_index.html", index_title, numbered=True))
    return parts


def _html(part: Part, context: dict) -> str:
    return render_to_string(
        PART_TEMPLATE, {**context, **part.extra, "part_template": part.template}
    )


def _paginate(parts: list[Part]) -> dict[str, int]:
    """Number the parts' pages from 1, each part on a right-hand (odd) page; the anchors' pages."""
    pages, number = {}, 1
    for part in parts:
        part.first_page = number
        for offset, anchors in enumerate(part.rendered.anchors):
            for anchor in anchors:
                pages.setdefault(anchor, number + offset)
        number += part.page_count + part.page_count % 2
    return pages


def _number(context, contents: list[ContentsEntry], pages: dict[str, int] | None = None):
    """Write the page numbers in the contents and the index (placeholders if none yet)."""
    index_entries = [entry for _, entries in context["index"] for entry in entries]
    for entry in [*contents, *index_entries]:
        # The placeholder is as wide as three digits: DejaVu Sans digits share one width.
        entry.page = 888 if pages is None else pages.get(entry.target, 0)


def _overlay_html(part: Part, *, blank_back: bool, total: int, context: dict) -> str:
    """One sheet per page of the part (and its blank back): running header and footer."""
    sheets = [Sheet(part.first_page + offset, part.section) for offset in range(part.page_count)]
    if blank_back:
        sheets.append(Sheet(part.first_page + part.page_count, ""))
    return render_to_string(
        OVERLAY_TEMPLATE,
        {
            "sheets": sheets,
            "total": total,
            "territory_label": context["territory"].name or "Le territoire",
            "produced_at": context["produced_at"],
        },
    )


def part_finish(
    *, rendered: RenderedPdf | None, html: str | None, overlay_html: str, blank_back: bool
) -> RenderedPdf:
    """Render the part if given its HTML, add its blank back, stamp its header and footer.

    Runs in a worker; the anchors returned are those of the part's own pages.
    """
    if html is not None:
        rendered = pdf_render_html(html)
    writer = PdfWriter(clone_from=BytesIO(rendered.pdf))
    if blank_back:
        writer.add_blank_page(*A4_POINTS)
    stamps = PdfReader(BytesIO(pdf_render_html(overlay_html).pdf)).pages
    if len(stamps) != len(writer.pages):  # the page count changed: the caller starts again
        return rendered
    for page, stamp in zip(writer.pages, stamps, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()
    output = BytesIO()
    writer.write(output)
    return RenderedPdf(pdf=output.getvalue(), anchors=rendered.anchors)


def booklet_parts_render(*, context: dict) -> bytes:
    """The whole booklet described by `context` (see booklet_context) as PDF bytes."""
    contents = _contents(context)
    parts = _parts(context, contents)
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        _number(context, contents)
        # The biggest parts first, so that the workers finish together.
        sources = sorted(((_html(part, context), part) for part in parts), key=_length)
        futures = [(part, pool.submit(pdf_render_html, html)) for html, part in sources]
        for part, future in futures:
            part.rendered = future.result()
        while True:
            pages = _paginate(parts)
            _number(context, contents, pages)
            total = parts[-1].first_page + parts[-1].page_count - 1
            futures = []
            for part in parts:
                blank_back = bool(part.page_count % 2) and part is not parts[-1]
                overlay_html = _overlay_html(
                    part, blank_back=blank_back, total=total, context=context
                )
                html = _html(part, context) if part.numbered else None
                rendered = None if part.numbered else part.rendered
                futures.append(
                    pool.submit(
                        part_finish,
                        rendered=rendered,
                        html=html,
                        overlay_html=overlay_html,
                        blank_back=blank_back,
                    )
                )
            finished = [future.result() for future in futures]
            if all(len(f.anchors) == p.page_count for f, p in zip(finished, parts, strict=True)):
                break
            for part, result in zip(parts, finished, strict=True):
                part.rendered = result if part.numbered else part.rendered
    writer = PdfWriter(clone_from=BytesIO(finished[0].pdf))  # with the title of the cover
    for result in finished[1:]:
        writer.append(BytesIO(result.pdf))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _length(source):
    return -len(source[0])
