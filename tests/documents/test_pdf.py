"""PDF documents: Swedish text, page numbers, repeated headers, drafts, nothing fetched."""
from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from app.documents.pdf import (
    DOCUMENT_ORIGIN,
    ResourceRefused,
    StaticOnlyFetcher,
    render_pdf,
    static_url,
)
from app.documents.svg import (
    LEVEL_FILLS,
    LegendItem,
    MapArea,
    Series,
    county_map_svg,
    trend_chart_svg,
)

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "static"
LONG_COMMENT = "lång kommentar som radbryts i cellen " * 3


def table_rows(count: int) -> list[dict[str, object]]:
    return [{"name": f"Kommun {i}", "comment": LONG_COMMENT if i % 7 == 0 else "kort",
             "stock": i * 10} for i in range(1, count + 1)]


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def font_names(pdf: bytes) -> set[str]:
    """Base font names without the subset prefix ("ABCDEF+")."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_table_document_has_swedish_text_page_numbers_and_headers_on_every_page(
        document_app) -> None:
    pdf = render_pdf("test_documents/table.html", title="Lägesbild Västernorrland",
                     number="LB-2026-0012", rows=table_rows(110))
    pages = page_texts(pdf)

    assert pdf.startswith(b"%PDF-") and len(pages) >= 3
    assert "Lägesbild för Åre, Älvdalen och Örnsköldsvik." in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text
        assert "Lägesbild Västernorrland" in text and "LB-2026-0012" in text
        assert re.search(r"Kommun\s+Kommentar\s+Lager", text), f"no table header on {number}"
    assert "UTKAST" not in "".join(pages)
    assert font_names(pdf) <= {"Samordna-Sans", "Samordna-Sans-Bold"}


def test_rows_are_not_split_between_pages(document_app) -> None:
    pages = page_texts(render_pdf("test_documents/table.html", title="Rader",
                                  rows=table_rows(110)))
    for index in range(1, 111):
        start = next(i for i, text in enumerate(pages) if f"start-{index} " in text)
        assert f"slut-{index}" in pages[start], f"row {index} is split"


def test_a_draft_says_utkast_on_every_page(document_app) -> None:
    pages = page_texts(render_pdf("test_documents/table.html", title="Förslag", draft=True,
                                  rows=table_rows(110)))
    assert len(pages) >= 3
    assert all("UTKAST" in text for text in pages)


def test_an_english_document_says_page_n_of_m_and_draft(document_app) -> None:
    with force_locale("en"):
        pages = page_texts(render_pdf("test_documents/table.html", title="Proposal",
                                      draft=True, rows=table_rows(60)))
    assert len(pages) >= 2
    assert all(f"Page {n} of {len(pages)}" in text and "DRAFT" in text
               for n, text in enumerate(pages, start=1))


@pytest.mark.parametrize(("template", "context"), [
    ("test_documents/table.html", {"landscape": True, "rows": []}),
    ("test_documents/wide.html", {}),  # {% set landscape = true %}
])
def test_landscape_pages(document_app, template: str, context: dict[str, object]) -> None:
    pdf = render_pdf(template, title="Bred", **context)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        297, 210)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records (and blocks) every attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network used in a test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize("url", [
    "https://example.com/x.png",
    "http://localhost:5000/static/favicon.svg",
    "http://127.0.0.1/static/favicon.svg",
    "file:///etc/passwd",
    f"file://{STATIC}/favicon.svg",
    "data:image/svg+xml;base64,PHN2Zy8+",
    "ftp://example.com/x.png",
    f"{DOCUMENT_ORIGIN}/etc/passwd",
    f"{DOCUMENT_ORIGIN}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    f"{DOCUMENT_ORIGIN}/static/..%2f..%2fconfig.py",
    f"{DOCUMENT_ORIGIN}/static/does-not-exist.png",
    "//example.com/x.png",
])
def test_anything_but_a_static_file_is_refused_and_never_fetched(document_app, no_network,
                                                                 url: str) -> None:
    with pytest.raises(ResourceRefused):
        render_pdf("test_documents/resource.html", title="Bild", image=url)
    assert no_network == []


def test_urls_in_css_are_refused_too(document_app, no_network) -> None:
    with pytest.raises(ResourceRefused, match="example.com"):
        render_pdf("test_documents/resource.html", title="Bakgrund",
                   background="https://example.com/bg.png")
    assert no_network == []


def test_a_static_image_is_embedded(document_app) -> None:
    pdf = render_pdf("test_documents/resource.html", title="Bild",
                     image=static_url("favicon.svg"))
    assert "Bild:" in page_texts(pdf)[0]


@pytest.mark.parametrize(("filename", "content_type"), [
    ("fonts/DejaVuSans.ttf", "font/ttf"),
    ("css/document.css", "text/css"),
])
def test_the_fetcher_serves_static_files_as_they_are(document_app, filename: str,
                                                     content_type: str) -> None:
    fetcher = StaticOnlyFetcher(document_app.static_folder, document_app.static_url_path)
    response = fetcher.fetch(static_url(filename))
    assert response.read() == (STATIC / filename).read_bytes()
    assert response.content_type == content_type


def test_inline_svg_charts_render_with_their_colours(document_app) -> None:
    map_svg = county_map_svg("22", {"2281": MapArea("2281", "red", "Sundsvall: 3 dagar")},
                             title="Karta", description="Dagar av tillgång",
                             legend=[LegendItem("red", "Under 7 dagar")])
    chart_svg = trend_chart_svg(["v. 47", "v. 48"], [Series("Länet totalt", [3, 9])],
                                title="Trend", description="Dagar", y_label="Dagar",
                                thresholds=(7, 14))
    pdf = render_pdf("test_documents/graphics.html", title="Grafik", map=map_svg,
                     chart=chart_svg)
    text = "".join(page_texts(pdf))
    content = b"".join(page.get_contents().get_data()
                       for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "Örnsköldsvik" in text and "Under 7 dagar" in text and "Länet totalt" in text
    red = " ".join(f"{int(LEVEL_FILLS['red'][i:i + 2], 16) / 255:.6f}".rstrip("0")
                   for i in (1, 3, 5))
    assert f"{red} rg".encode() in content


BARE_MACHINE_SCRIPT = textwrap.dedent("""
    import sys, warnings
    from jinja2 import ChoiceLoader, FileSystemLoader
    warnings.simplefilter("ignore")  # "No fonts configured in FontConfig": that is the point
    from app import create_app
    from app.documents.pdf import render_pdf
    from app.documents.svg import Series, trend_chart_svg
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(sys.argv[1]), app.jinja_env.loader])
    with app.test_request_context():
        chart = trend_chart_svg(["v. 1"], [Series("Älmhult", [3])], title="t",
                                description="d", y_label="Dagar för å, ä och ö")
        sys.stdout.buffer.write(render_pdf("test_documents/graphics.html", title="Åtgärd",
                                           map="", chart=chart))
""")


def test_a_machine_without_fonts_still_renders_swedish_text(tmp_path: Path) -> None:
    """Fontconfig with no font directories: only the vendored font exists."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}</cachedir>'
                      "</fontconfig>")
    result = subprocess.run(
        [sys.executable, "-c", BARE_MACHINE_SCRIPT, str(Path(__file__).parent / "templates")],
        capture_output=True, cwd=ROOT, env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin"},
        timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    text = page_texts(result.stdout)[0]
    assert "Åtgärd" in text and "Älmhult" in text and "Dagar för å, ä och ö" in text
    assert font_names(result.stdout) == {"Samordna-Sans", "Samordna-Sans-Bold"}
