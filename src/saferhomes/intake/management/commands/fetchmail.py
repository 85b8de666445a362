"""`saferhomes fetchmail`: read the intake mailbox (IMAP) into draft reports for triage (issue 6 part 4)."""

from __future__ import annotations

import imaplib
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saferhomes.intake.services.email import MailboxSettings, mailbox_fetch


class Command(BaseCommand):
    help = "Read unseen messages in the intake mailbox into draft reports (SAFERHOMES_INTAKE_IMAP_* settings)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", help="IMAP host (default SAFERHOMES_INTAKE_IMAP_HOST)")
        parser.add_argument("--port", type=int, help="IMAP port (default SAFERHOMES_INTAKE_IMAP_PORT, 993)")
        parser.add_argument("--mailbox", help="Mailbox to read (default SAFERHOMES_INTAKE_IMAP_MAILBOX, INBOX)")
        parser.add_argument("--no-ssl", action="store_true", help="Plain IMAP (for a local test server only)")

    def handle(self, *args: Any, **options: Any) -> None:
        values = dict(settings.INTAKE_IMAP)
        for name in ("host", "port", "mailbox"):
            if options.get(name):
                values[name] = options[name]
        if options.get("no_ssl"):
            values["ssl"] = False
        if not values.get("host"):
            raise CommandError("No intake mailbox: set SAFERHOMES_INTAKE_IMAP_HOST (and _USER, _PASSWORD) or --host.")
        try:
            result = mailbox_fetch(mailbox=MailboxSettings.from_settings(values))
        except (imaplib.IMAP4.error, OSError) as exc:
            raise CommandError(f"Could not read the intake mailbox at {values['host']}: {exc}") from None
        self.stdout.write(
            f"{result.seen} unseen message(s): {result.created} new draft report(s), "
            f"{result.duplicates} already received, {result.failed} failed (left unseen for the next run)."
        )
