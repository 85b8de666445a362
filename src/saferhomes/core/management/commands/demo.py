"""`saferhomes demo`: migrate, load the demo landlord if the register is empty, print logins, serve on 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from saferhomes.core.console import console_for
from saferhomes.core.management.commands.seed import run_seed
from saferhomes.core.seed import demo_logins, demo_logins_ensure, seed_found

WORKER_COMMAND = ["worker"]  # background tasks and the periodic schedule (core/management/commands/worker.py)


class Command(BaseCommand):
    help = (
        "Try Saferhomes: migrate the database, load the synthetic demo landlord if the register is empty, print the "
        "demo logins and URLs, then run the background worker and the web server on http://127.0.0.1:8000/. "
        "Not for production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Do everything except starting the servers.")
        parser.add_argument("--homes", type=int, default=2000, help="Homes to seed into an empty register.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed for the demo data (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "saferhomes demo is for trying Saferhomes out and will not run with SAFERHOMES_ENV=production: "
                "it creates logins with a published password."
            )
        started = time.perf_counter()
        console = console_for(self.stdout)
        console.print("Bringing the database up to date…")
        call_command("migrate", interactive=False, verbosity=0)
        found = seed_found()
        if found:
            for what in found:
                console.print(f"{what}: keeping them.")
            created = demo_logins_ensure()
            if created:
                console.print(f"Created demo logins: {', '.join(created)}.")
        else:
            console.print(f"Loading the demo landlord ({options['homes']:,} homes)…")
            run_seed(console, homes=options["homes"], seed=options["seed"])
        port: int = options["port"]
        console.print(_welcome(port=port, seconds=time.perf_counter() - started, serving=not options["no_serve"]))
        if not options["no_serve"]:
            _serve(console, port=port)


def _welcome(*, port: int, seconds: float, serving: bool) -> Panel:
    base = f"http://127.0.0.1:{port}"
    urls = Table.grid(padding=(0, 2))
    urls.add_row("Public site", f"{base}/")
    urls.add_row("Staff site", f"{base}/staff/")
    urls.add_row("API docs", f"{base}/api/v1/docs")
    logins = Table(title="Demo logins (every one has the same password)", title_justify="left", expand=False)
    logins.add_column("Username")
    logins.add_column("Role")
    logins.add_column("Password")
    for login in demo_logins():
        logins.add_row(login.username, login.role, login.password)
    two_factor = Text.assemble(
        "Sign-in codes (2FA): every demo login has an authenticator app already. Get its current code with\n",
        ("  uv run saferhomes totp-code USERNAME", "bold"),
        "\nor enrol your own app: make a login with ",
        ("uv run saferhomes createstaff NAME --role officer --password ...", "bold"),
        "\nand sign in as it; you will be shown a QR code to scan.",
    )
    footer = (
        f"Ready in {seconds:.1f} s. Serving on {base}/; press Ctrl+C to stop."
        if serving
        else f"Ready in {seconds:.1f} s. Not serving (--no-serve): run `uv run saferhomes demo` to serve."
    )
    return Panel(
        Group(urls, Text(""), logins, Text(""), two_factor, Text(""), Text(footer, style="bold")),
        title="Saferhomes demo: synthetic data only",
        expand=False,
    )


def _serve(console: Console, *, port: int) -> None:
    """Run the background worker as a child process and the web server in this one; stop the worker on exit."""
    # The worker gets its own session so that Ctrl+C reaches only the server; we stop the worker ourselves.
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command, no shell
        [sys.executable, "-m", "saferhomes.cli", *WORKER_COMMAND], start_new_session=True
    )
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not leave the worker running
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        console.print("Stopped the web server and the background worker.")
