"""Make sure Debian's chromium is installed for the browser tests (Playwright drives it; it never downloads one).

Usage: uv run python scripts/ensure_chromium.py
Installs `chromium`, `chromium-driver` and `fonts-liberation` with apt-get when /usr/bin/chromium is missing
(needs root), then prints the version. Exits non-zero, loudly, if chromium is still not there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

CHROMIUM = Path("/usr/bin/chromium")
# fonts-liberation gives Arial's metric twin, so pages and screenshots render as they do for residents.
PACKAGES = ["chromium", "chromium-driver", "fonts-liberation"]
ARIAL_TWIN = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")

console = Console(stderr=True)


def _apt_get(*args: str) -> None:
    """Run apt-get non-interactively (as root, or through sudo when that exists)."""
    command = ["apt-get", *args]
    if os.geteuid() != 0 and shutil.which("sudo"):
        command = ["sudo", "-n", *command]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(command, check=True, env=env)  # noqa: S603


def install() -> None:
    """Install Debian's chromium and chromium-driver."""
    if shutil.which("apt-get") is None:
        raise SystemExit(f"{CHROMIUM} is missing and apt-get is not available: install Chromium by hand.")
    console.rule(f"Installing {' '.join(PACKAGES)} with apt-get (one-off, a minute or so)")
    _apt_get("update", "-qq")
    _apt_get("install", "-y", "-qq", "--no-install-recommends", *PACKAGES)
    console.rule()


def main() -> int:
    """Install chromium if missing, then print its version; non-zero exit if it still is not usable."""
    if not CHROMIUM.exists() or not ARIAL_TWIN.exists():
        console.print(f"[yellow]{CHROMIUM} or {ARIAL_TWIN.name} not found[/yellow]")
        try:
            install()
        except subprocess.CalledProcessError as exc:
            console.print(f"[bold red]apt-get failed ({exc.returncode}): cannot run the browser tests.[/bold red]")
            return 1
    if not CHROMIUM.exists():
        console.print(f"[bold red]{CHROMIUM} is still missing after apt-get: cannot run the browser tests.[/bold red]")
        return 1
    result = subprocess.run(  # noqa: S603
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    if result.returncode != 0:
        console.print(f"[bold red]{CHROMIUM} --version failed:[/bold red] {result.stderr.strip()}")
        return 1
    console.print(f"[green]✓[/green] {result.stdout.strip()} at {CHROMIUM}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
