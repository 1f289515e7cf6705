"""Read PDFs back in tests: text page by page, page size."""

from io import BytesIO

from pypdf import PdfReader

A4_POINTS = (595, 842)


def pdf_reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    return PdfReader(BytesIO(pdf))


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [" ".join((page.extract_text() or "").split()) for page in pdf_reader(pdf).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages_text(pdf))


def is_a4(pdf: bytes) -> bool:
    for page in pdf_reader(pdf).pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        if size != A4_POINTS:
            return False
    return True


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in pdf_reader(pdf).pages)


def pdf_text_sizes(pdf: bytes) -> list[tuple[str, float]]:
    """(text, font size in points) for every piece of text drawn, page after page."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            found.append((text.strip(), round(font_size * scale, 1)))

    for page in pdf_reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found
