"""A PNG of one page of a PDF, for docs/screenshots/ (the MARAC referral form, letters...).

Usage: uv run python scripts/pdf_screenshot.py FILE.pdf docs/screenshots/NAME.png [--page 1] [--resolution 60]
Runs poppler's `pdftoppm -png -r RESOLUTION -f PAGE -l PAGE -singlefile`; `scripts/ensure_pdf_tools.py --poppler`
installs poppler-utils when `pdftoppm` is missing. The PDF tests call it when SAFERHOMES_SCREENSHOTS=1
(`make screenshots`), on documents drawn from synthetic data only.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def pdf_page_png(pdf: Path, png: Path, *, page: int = 1, resolution: int = 60) -> Path:
    """Write page `page` of `pdf` to `png` at `resolution` dots per inch; returns the PNG's path."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is missing: run `uv run python scripts/ensure_pdf_tools.py --poppler`.")
    if page < 1 or not 20 <= resolution <= 600:
        raise SystemExit("The page starts at 1 and the resolution is between 20 and 600 dots per inch.")
    png.parent.mkdir(parents=True, exist_ok=True)
    stem = png.with_suffix("")
    command = [pdftoppm, "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(pdf), str(stem)], check=True, timeout=120)  # noqa: S603
    return stem.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--resolution", type=int, default=60)
    options = parser.parse_args(argv)
    written = pdf_page_png(options.pdf, options.png, page=options.page, resolution=options.resolution)
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
