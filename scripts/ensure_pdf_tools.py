"""Make sure WeasyPrint can draw PDFs here: Pango, HarfBuzz and the fonts the PDF stylesheet names (Debian packages).

Usage: uv run python scripts/ensure_pdf_tools.py [--poppler]
Draws a one-page PDF; when that fails (Pango missing) or a font is missing, installs the packages with apt-get
(needs root, or sudo without a password), then tries again. `--poppler` also makes sure `pdftoppm` is there
(poppler-utils), for `scripts/pdf_screenshot.py`. Exits non-zero, loudly, if PDFs still cannot be drawn.
Run by `make install`, as `scripts/ensure_chromium.py` is by `make test-browser`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

# What WeasyPrint needs from Debian (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html), and the fonts
# `templates/pdf/base.html` asks for: Liberation Sans (Arial's metric twin), DejaVu Sans as the fallback.
PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-liberation", "fonts-dejavu-core"]
FONTS = [
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
]
POPPLER = ["poppler-utils"]

console = Console(stderr=True)


def _apt_get(*args: str) -> None:
    """Run apt-get non-interactively (as root, or through sudo when that exists)."""
    command = ["apt-get", *args]
    if os.geteuid() != 0 and shutil.which("sudo"):
        command = ["sudo", "-n", *command]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(command, check=True, env=env)  # noqa: S603


def install(packages: list[str]) -> None:
    """Install Debian packages with apt-get."""
    if shutil.which("apt-get") is None:
        raise SystemExit(f"apt-get is not available: install {' '.join(packages)} (or their equivalents) by hand.")
    console.rule(f"Installing {' '.join(packages)} with apt-get (one-off)")
    _apt_get("update", "-qq")
    _apt_get("install", "-y", "-qq", "--no-install-recommends", *packages)
    console.rule()


def pdf_problem() -> str:
    """Why a PDF cannot be drawn here ('' when one can), in a fresh interpreter so a failed import is not cached."""
    script = (
        "from weasyprint import HTML\n"
        "pdf = HTML(string='<p>Saferhomes</p>').write_pdf()\n"
        "assert pdf.startswith(b'%PDF'), 'not a PDF'\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode == 0:
        return ""
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def main(argv: list[str] | None = None) -> int:
    """Install what is missing, then check a PDF can be drawn; non-zero exit if it still cannot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poppler", action="store_true", help="also make sure pdftoppm (poppler-utils) is there")
    options = parser.parse_args(argv)
    missing: list[str] = []
    problem = pdf_problem()
    if problem:
        console.print(f"[yellow]WeasyPrint cannot draw a PDF yet: {problem}[/yellow]")
        missing += PACKAGES
    elif not all(font.exists() for font in FONTS):
        console.print("[yellow]The fonts the PDF stylesheet names are missing[/yellow]")
        missing += PACKAGES
    if options.poppler and shutil.which("pdftoppm") is None:
        missing += POPPLER
    if missing:
        try:
            install(missing)
        except subprocess.CalledProcessError as exc:
            console.print(f"[bold red]apt-get failed ({exc.returncode}): PDFs cannot be drawn here.[/bold red]")
            return 1
        problem = pdf_problem()
    if problem:
        console.print(f"[bold red]WeasyPrint still cannot draw a PDF: {problem}[/bold red]")
        return 1
    if options.poppler and shutil.which("pdftoppm") is None:
        console.print("[bold red]pdftoppm is still missing after apt-get[/bold red]")
        return 1
    console.print("[green]✓[/green] WeasyPrint draws PDFs" + (" and pdftoppm is there" if options.poppler else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
