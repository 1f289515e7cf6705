import pytest
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


def test_raw_html_cannot_make_weasyprint_read_a_local_file(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    html = f'<p>Bonjour</p><img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
    fetcher = StaticFilesOnlyFetcher()
    pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert image_count(pdf) == 0
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
