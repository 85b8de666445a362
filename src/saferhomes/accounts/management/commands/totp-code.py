"""`saferhomes totp-code USERNAME`: the current sign-in code for a demo user (development only)."""

# ruff: noqa: N999 - the file name is the command name, and the documented command has a hyphen.

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import totp_current_code, totp_device_confirmed


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code for a user's authenticator app (development and demo only)."
    # A read of one row: the system checks would import every URL, view and the API first (a second of start-up).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.ENVIRONMENT == "development"):
            raise CommandError(
                "totp-code only works in development (SAFERHOMES_ENV=development or DEBUG on): "
                "in production, codes come only from each person's own authenticator app."
            )
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No staff account is called '{options['username']}'.")
        device = totp_device_confirmed(user=user)
        if device is None:
            raise CommandError(f"'{user.username}' has not set up an authenticator app: sign in once to set one up.")
        self.stdout.write(totp_current_code(device))
