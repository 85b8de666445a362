"""PDF documents, written once for the whole product: the MARAC referral form today; warning letters, Case Review
letters, court bundles, subject access exports and the monthly report as they arrive.

`render_pdf(template_name, context, title=..., marking=...)` renders a template that extends `pdf/base.html` with
WeasyPrint: A4, GOV.UK-like typography in fonts Debian ships (Liberation Sans, Arial's metric twin, then DejaVu
Sans), the protective marking (Government Security Classifications: OFFICIAL, OFFICIAL-SENSITIVE) at the top and
bottom of every page, the landlord's name (settings.LANDLORD_NAME) and "Page X of Y". The PDF is tagged, so a screen
reader can follow its headings and tables. `pdf_response(pdf, filename)` sends one as a download that is never cached.

WeasyPrint is imported inside `render_pdf`: it takes about a second to load, and most processes never draw a PDF
(tests/core/test_startup.py). It needs Pango at run time; `scripts/ensure_pdf_tools.py` (run by `make install`)
installs it with apt when it is missing. A document fetches nothing from the network: only `data:` URLs, and files
under `base_url` when one is given, are read (no server-side request forgery through a rendered document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PDF_CONTENT_TYPE = "application/pdf"
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PdfPage:
    """What `pdf/base.html` prints around every document: its title, marking, landlord and when it was produced."""

    title: str
    marking: str
    landlord: str
    produced_at: datetime


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    title: str,
    marking: str = "OFFICIAL-SENSITIVE",
    base_url: str | None = None,
) -> bytes:
    """The template rendered to PDF bytes; the template extends `pdf/base.html` and reads its page as `pdf`."""
    if marking not in MARKINGS:
        raise ValueError(f"Unknown protective marking {marking!r}: use one of {', '.join(MARKINGS)}.")
    from weasyprint import HTML  # about a second to import: only when a document is drawn
    from weasyprint.urls import URLFetcher

    page = PdfPage(
        title=title, marking=marking, landlord=settings.LANDLORD_NAME, produced_at=timezone.localtime(timezone.now())
    )
    html = render_to_string(template_name, {**context, "pdf": page})
    allowed = ("data", "file") if base_url else ("data",)
    fetcher = URLFetcher(allowed_protocols=allowed, timeout=5)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf


def pdf_filename(name: str) -> str:
    """A download name safe in a header: letters, digits, dot, dash and underscore, ending in .pdf."""
    stem = _SAFE_FILENAME.sub("-", PurePath(name).stem).strip("-.") or "document"
    return f"{stem[:100]}.pdf"


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """The PDF as a download: an attachment, never cached (it holds personal data), never sniffed as anything else."""
    response = HttpResponse(pdf_bytes, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(filename)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
