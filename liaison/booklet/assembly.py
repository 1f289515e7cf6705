"""Put the rendered parts of a booklet together: binding margin, header and footer, one PDF.

pikepdf (qpdf) does it without parsing the pages' content: a part's content is wrapped in
a move towards the binding, the overlay page (running header and footer, parts.py) is
drawn over it as a form, and the parts are appended with their bookmarks.
"""

from dataclasses import dataclass
from io import BytesIO

import pikepdf

from structures.background.jobs import JobFailure

from ..pdf import pdf_render_html

A4_POINTS = (595.28, 841.89)
# booklet-part.css gives every page 17 mm on each side; booklet.css wants 20 mm on the
# binding side and 14 mm outside: 3 mm to the right on a recto, to the left on a verso.
BINDING_SHIFT = 3 * 72 / 25.4
OVERLAY_STYLESHEETS = ("css/booklet-overlay.css",)


class BookletLayoutError(JobFailure):
    pass


@dataclass
class Stamp:
    """What a worker needs to stamp one chunk."""

    pdf: bytes
    overlay_html: str
    shifts: list[float]  # the horizontal move of each page, the blank back included
    blank_back: bool


def part_stamp(stamp: Stamp) -> bytes:
    """Move the pages to the binding, add the blank back, stamp the header and footer.

    Runs in a worker process.
    """
    pdf = pikepdf.open(BytesIO(stamp.pdf))
    if stamp.blank_back:
        pdf.add_blank_page(page_size=A4_POINTS)
    overlay = pdf_render_html(stamp.overlay_html, stylesheets=OVERLAY_STYLESHEETS)
    overlays = pikepdf.open(BytesIO(overlay.pdf))
    if len(overlays.pages) != len(pdf.pages):
        raise BookletLayoutError(
            "L'en-tête et le pied de page ne tiennent pas sur une page : vérifiez "
            "static/css/booklet-overlay.css."
        )
    for page, overlay, shift in zip(pdf.pages, overlays.pages, stamp.shifts, strict=True):
        page.contents_add(
            pikepdf.Stream(pdf, f"q 1 0 0 1 {shift:.4f} 0 cm\n".encode()), prepend=True
        )
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
        page.add_overlay(overlay)
    output = BytesIO()
    pdf.save(output, compress_streams=True)
    return output.getvalue()


def booklet_assemble(pdfs: list[bytes]) -> bytes:
    """The parts one after the other, their bookmarks too; the metadata of the first."""
    booklet = pikepdf.open(BytesIO(pdfs[0]))
    bookmarks = _bookmarks(booklet, offset=0)
    for data in pdfs[1:]:
        part = pikepdf.open(BytesIO(data))
        bookmarks += _bookmarks(part, offset=len(booklet.pages))
        booklet.pages.extend(part.pages)
    with booklet.open_outline() as outline:
        outline.root[:] = bookmarks
    output = BytesIO()
    booklet.save(output, compress_streams=True)
    return output.getvalue()


def _bookmarks(pdf: pikepdf.Pdf, *, offset: int) -> list[pikepdf.OutlineItem]:
    with pdf.open_outline() as outline:
        return [_bookmark(pdf, item, offset) for item in outline.root]


def _bookmark(pdf, item, offset) -> pikepdf.OutlineItem:
    page = pdf.pages.index(pikepdf.Page(item.destination[0])) if item.destination else 0
    copy = pikepdf.OutlineItem(item.title, offset + page)
    copy.children[:] = [_bookmark(pdf, child, offset) for child in item.children]
    return copy
