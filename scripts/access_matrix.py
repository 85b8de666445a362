"""Write docs/access-matrix.md from the access-matrix tests' own tables (`make access-matrix`); --check only compares.

Usage: uv run python scripts/access_matrix.py [--check]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    """Render the document; write it, or with --check exit 1 when the committed file differs."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
    import django

    django.setup()
    from tests.access.document import DOCUMENT, render, write

    relative = DOCUMENT.relative_to(ROOT)
    if "--check" in argv:
        same = DOCUMENT.exists() and DOCUMENT.read_text(encoding="utf-8") == render()
        print(f"{relative} is up to date" if same else f"{relative} differs from the tables: run make access-matrix")
        return 0 if same else 1
    print(f"{relative} {'written' if write() else 'unchanged'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
