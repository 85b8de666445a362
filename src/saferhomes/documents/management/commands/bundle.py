"""`saferhomes bundle CASE-REF [--out FILE] [--user USERNAME]`: write a case's evidence bundle (issue 16 part 5).

Prints where it was written, its size, its SHA-256 and how long it took to build. Without --user the bundle is built
by the system (audited as such); with --user, as that member of staff, who must be able to work the case.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from saferhomes.accounts.commands import command_actor
from saferhomes.cases.models import Case
from saferhomes.documents.services.bundle import bundle_build

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Write a case's evidence bundle: one paginated, indexed PDF (redacted as ADR 0012 says)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("reference", help="The case reference, e.g. ASB-2026-000123.")
        parser.add_argument("--out", help="Where to write the PDF (default: bundle-REFERENCE.pdf here).")
        parser.add_argument("--user", help="Build it as this staff username (needs access to the case).")

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["reference"].strip().upper()
        actor = command_actor(options.get("user"), returncode=BAD_INPUT)
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise CommandError(f"There is no case {reference}.", returncode=BAD_INPUT)
        try:
            bundle = bundle_build(actor=actor, case=case)
        except (PermissionDenied, Http404):
            raise CommandError(
                f"{options.get('user')} cannot see or work case {reference}.", returncode=BAD_INPUT
            ) from None
        out = Path(options.get("out") or f"bundle-{reference}.pdf")
        out.write_bytes(bundle.pdf)
        self.stdout.write(
            f"Wrote {out} ({len(bundle.pdf):,} bytes, SHA-256 {bundle.sha256}) "
            f"with {len(bundle.sections)} sections in {bundle.seconds:.2f} seconds."
        )
