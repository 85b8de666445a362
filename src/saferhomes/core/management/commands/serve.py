"""`saferhomes serve`: the production web server (gunicorn with `saferhomes.config.gunicorn`), in this process."""

from __future__ import annotations

import os
import shutil
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from saferhomes.core.static_check import static_files_collected_or_refuse

GUNICORN_CONFIG = "python:saferhomes.config.gunicorn"


class Command(BaseCommand):
    help = (
        "Serve Saferhomes with gunicorn (workers from the CPUs, access log on stdout with private links redacted). "
        "Run `saferhomes migrate` and, in production, `saferhomes collectstatic --noinput` first. "
        "Extra arguments after -- go to gunicorn."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default="", help="Address to listen on (default GUNICORN_BIND or 0.0.0.0:8000).")
        parser.add_argument(
            "--workers", type=int, default=0, help="Worker processes (default: WEB_CONCURRENCY or from CPUs)."
        )
        parser.add_argument("gunicorn_args", nargs="*", help="More gunicorn options, after --.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            static_files_collected_or_refuse()
        except ImproperlyConfigured as refused:
            raise CommandError(str(refused)) from refused
        gunicorn = shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment: run `uv sync` (it is a dependency).")
        argv = ["gunicorn", "-c", GUNICORN_CONFIG]
        if options["bind"]:
            argv += ["--bind", options["bind"]]
        if options["workers"]:
            argv += ["--workers", str(options["workers"])]
        argv += options["gunicorn_args"]
        self.stdout.write(f"Starting gunicorn: {' '.join(argv)}")
        self.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606 - gunicorn from this environment; signals then reach it directly
