"""Read PDFs back in tests: text page by page and line by line, sizes, fonts, rules drawn.

`pdf_keep` leaves a PDF and its pages as PNG under build/pdf/ (not committed) to look at.
"""

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

A4_POINTS = (595, 842)
MM_PER_POINT = 25.4 / 72
BUILD = Path(__file__).resolve().parent.parent / "build" / "pdf"


def squash(text: str) -> str:
    """Text without any whitespace: PDF line breaks (and hyphenation) cannot break a match."""
    return "".join(text.split()).replace("-", "")


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


def pdf_lines(pdf: bytes) -> list[list[str]]:
    """The lines of text of each page as printed, no-break spaces read as spaces."""
    with pdfplumber.open(BytesIO(pdf)) as document:
        return [
            (page.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ").splitlines()
            for page in document.pages
        ]


def pdf_dotted_rules(pdf: bytes) -> list[list[float]]:
    """The length in millimetres of each dotted line drawn (lines to write on), page by page."""
    with pdfplumber.open(BytesIO(pdf)) as document:
        return [
            [
                round((line["x1"] - line["x0"]) * MM_PER_POINT, 1)
                for line in page.lines
                if line.get("dash") and line["dash"][0] and line["top"] == line["bottom"]
            ]
            for page in document.pages
        ]


def pdf_font_names(pdf: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF, without their subset prefix."""
    names = set()
    for page in pdf_reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def pdf_keep(pdf: bytes, name: str) -> Path:
    """Keep a PDF under build/pdf/ with its pages rendered to PNG, to look at them."""
    BUILD.mkdir(parents=True, exist_ok=True)
    path = BUILD / f"{name}.pdf"
    path.write_bytes(pdf)
    for old in BUILD.glob(f"{name}-*.png"):
        if old.stem[len(name) + 1 :].isdigit():  # its own pages, not another PDF's
            old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(BUILD / name)], check=True)
    return path
