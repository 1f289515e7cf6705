"""PDF rendering with WeasyPrint, for every printed document of the répertoire.

WeasyPrint only ever reads the project's own static files: the URL fetcher refuses
anything else (local files, the network), so text typed by a user can never make it
read /etc/passwd or call a server.
"""

import gc
import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A base URL that cannot exist on any network: relative links resolve against it.
PDF_BASE_URL = "https://repertoire.invalid/"


class FetchRefused(ValueError):
    """A URL that a PDF may not read: anything but the project's own static files."""


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves /static/… (stylesheets, fonts, pictograms) from the project's static files and
    refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        base = urlsplit(PDF_BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
            static_prefix
        ):
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise FetchRefused("Only the project's static files may be used in a PDF.")
        relative = posixpath.normpath(unquote(parts.path[len(static_prefix) :]))
        if relative.startswith(("..", "/")):
            raise FetchRefused("Path outside the static files.")
        path = finders.find(relative)
        if path is None:
            raise FetchRefused(f"Unknown static file: {relative}")
        with open(path, "rb") as file:
            body = file.read()
        content_type, _ = mimetypes.guess_type(relative)
        headers = {"Content-Type": content_type} if content_type else {}
        return URLFetcherResponse(url, body, headers)


def pdf_render(*, template_name: str, context: dict) -> bytes:
    """Render a template of the printable base to PDF bytes."""
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
    return document.write_pdf()


@dataclass
class RenderedPdf:
    pdf: bytes
    anchors: list[list[str]]  # the ids found on each page, page after page


@lru_cache(maxsize=8)
def static_stylesheet(name: str) -> CSS:
    """A stylesheet of the static files, parsed once per process: the booklet's hundred
    parts, rendered by the same few processes, share it (parsing is a sixth of a small
    part's time)."""
    url = f"{PDF_BASE_URL}{settings.STATIC_URL.strip('/')}/{name}"
    return CSS(url=url, url_fetcher=StaticFilesOnlyFetcher())


def pdf_render_html(html: str, stylesheets: tuple[str, ...] = ()) -> RenderedPdf:
    """Render an HTML string of the printable base; a picklable result for process pools.

    `stylesheets`: static files given apart (static_stylesheet) to a document that does
    not link them; WeasyPrint applies them as user stylesheets.

    The cyclic garbage collector is paused meanwhile: WeasyPrint creates millions of
    objects, and collecting them over and over costs a fifth of the time. What the
    render made is then all in the youngest generation, collected alone.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        html_document = HTML(
            string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
        )
        document = html_document.render(stylesheets=[static_stylesheet(n) for n in stylesheets])
        anchors = [list(page.anchors) for page in document.pages]
        pdf = document.write_pdf()
        del html_document, document
    finally:
        if collecting:
            gc.enable()
            gc.collect(0)  # not the whole heap: a full collection costs 70 ms in a worker
    return RenderedPdf(pdf=pdf, anchors=anchors)


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
