from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from threading import Thread

import pytest
from PIL import Image
from weasyprint import HTML

from liaison.pdf import PDF_BASE_URL, FetchRefused, StaticFilesOnlyFetcher, pdf_render
from structures.models import Territory

from .pdf_utils import image_count, is_a4, pdf_pages_text, pdf_text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret.css",
        "https://example.org/logo.png",
        PDF_BASE_URL + "static/../../../../etc/passwd",
        PDF_BASE_URL + "static/%2e%2e/%2e%2e/settings.py",
        PDF_BASE_URL + "admin/",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(FetchRefused):
        StaticFilesOnlyFetcher().fetch(url)


def test_the_fetcher_serves_our_stylesheet():
    response = StaticFilesOnlyFetcher().fetch(PDF_BASE_URL + "static/css/printable.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.fixture
def png_server():
    """A web server on this machine that serves a real PNG image to anyone who asks."""
    image = BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="PNG")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(image.getvalue())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/logo.png"
    server.shutdown()


@pytest.mark.parametrize(
    ("fetcher", "images"),
    [
        pytest.param(None, 2, id="weasyprint-default-fetches-both"),
        pytest.param(StaticFilesOnlyFetcher(), 0, id="ours-fetches-neither"),
    ],
)
def test_html_cannot_make_the_pdf_read_a_local_file_or_call_a_server(
    tmp_path, png_server, fetcher, images
):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (8, 8), "blue").save(secret)
    html = f'<p>Bonjour</p><img src="file://{secret}"><img src="{png_server}">'
    options = {"url_fetcher": fetcher} if fetcher else {}
    pdf = HTML(string=html, base_url=PDF_BASE_URL, **options).write_pdf()
    # WeasyPrint's own fetcher reads both images (so this test can fail); ours, neither.
    assert image_count(pdf) == images
    assert "Bonjour" in pdf_text(pdf)


def test_the_printable_base_renders_an_a4_page_with_its_page_number(db):
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône"
    pdf = pdf_render(
        template_name="printable/base_printable.html", context={"territory": territory}
    )
    pages = pdf_pages_text(pdf)
    assert is_a4(pdf)
    assert len(pages) == 1
    assert "Bellecombe-sur-Saône" in pages[0]
    assert "page 1 / 1" in pages[0]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("fonts/noto/NotoSansArabic-Regular.ttf", "font/ttf"),
        ("img/pictos/bus.svg", "image/svg+xml"),
    ],
)
def test_the_fetcher_serves_our_fonts_and_pictograms(path, content_type):
    response = StaticFilesOnlyFetcher().fetch(PDF_BASE_URL + "static/" + path)
    assert response.content_type == content_type
    assert len(response.read()) > 100
