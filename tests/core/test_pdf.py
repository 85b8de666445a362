"""The shared PDF machinery (core/pdf.py): the protective marking on every page, "Page X of Y", the landlord's name,
nothing fetched from the network, and a download that is never cached or sniffed."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from saferhomes.core.pdf import pdf_filename, pdf_response, render_pdf

DOCUMENT = """{% extends "pdf/base.html" %}
{% block content %}<h1>{{ heading }}</h1>{% for n in paragraphs %}<p>Paragraph {{ n }} of the letter.</p>{% endfor %}
{{ extra|safe }}{% endblock content %}"""


@pytest.fixture
def document(settings: Settings, tmp_path: Path) -> str:
    (tmp_path / "document.html").write_text(DOCUMENT)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    return "document.html"


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_carries_the_marking_the_landlord_and_page_x_of_y(document: str, settings: Settings) -> None:
    settings.LANDLORD_NAME = "Example Homes"
    pdf = render_pdf(document, {"heading": "A long letter", "paragraphs": range(120)}, title="A long letter")

    pages = pages_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, text  # the top and the bottom of the page
        assert "Example Homes" in text
        assert f"Page {number} of {len(pages)}" in text
    assert "A long letter" in pages[0]
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == "A long letter"


def test_a_document_marked_official_says_so(document: str) -> None:
    pdf = render_pdf(document, {"heading": "Notice", "paragraphs": [1]}, title="Notice", marking="OFFICIAL")

    (text,) = pages_text(pdf)
    assert "OFFICIAL" in text
    assert "SENSITIVE" not in text
    assert "Page 1 of 1" in text


def test_an_unknown_marking_is_refused_before_anything_is_drawn(document: str) -> None:
    with pytest.raises(ValueError, match="Unknown protective marking"):
        render_pdf(document, {"heading": "x", "paragraphs": []}, title="x", marking="TOP SECRET")


def test_text_typed_by_people_is_printed_as_text_never_as_markup(document: str) -> None:
    pdf = render_pdf(document, {"heading": "<b>Smith & Sons</b>", "paragraphs": []}, title="x")

    assert "<b>Smith & Sons</b>" in pages_text(pdf)[0]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP server on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                hits.append(connection.recv(1024))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join()
    server.close()


def test_a_document_fetches_nothing_from_the_network(document: str, listener: tuple[str, list[bytes]]) -> None:
    address, hits = listener
    extra = f'<img src="{address}/tracker.png" alt=""><link rel="stylesheet" href="{address}/style.css">'

    pdf = render_pdf(document, {"heading": "Letter", "paragraphs": [1], "extra": extra}, title="Letter")

    assert pdf.startswith(b"%PDF")
    assert hits == []


def test_the_download_is_an_attachment_never_cached_nor_sniffed() -> None:
    response = pdf_response(b"%PDF-1.7 example", 'MARAC form "DA-2026-000042".pdf')

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="MARAC-form-DA-2026-000042.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"%PDF-1.7 example"


@pytest.mark.parametrize(
    ("name", "safe"),
    [("letter.pdf", "letter.pdf"), ("../../etc/passwd", "passwd.pdf"), ("\r\nSet-Cookie: x", "Set-Cookie-x.pdf")],
)
def test_download_names_are_safe_in_a_header(name: str, safe: str) -> None:
    assert pdf_filename(name) == safe
