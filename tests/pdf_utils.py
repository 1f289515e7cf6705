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
