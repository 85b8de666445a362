"""`saferhomes tokens list [USERNAME]` and `saferhomes tokens revoke PREFIX_OR_ID`."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from saferhomes.accounts.models import ApiToken, User
from saferhomes.accounts.services import token_find, token_revoke
from saferhomes.core.errors import DomainError


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "never"


class Command(BaseCommand):
    help = "List API tokens, or revoke one by its id or first characters."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,revoke}")
        listing = sub.add_parser("list", help="List tokens (all, or one user's).")
        listing.add_argument("username", nargs="?", default=None)
        revoke = sub.add_parser("revoke", help="Revoke a token so it stops working.")
        revoke.add_argument("prefix_or_id", help="The id, or the first characters shown by 'tokens list'.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["username"])
        else:
            self._revoke(options["prefix_or_id"])

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No staff account is called '{username}'.")
            tokens = tokens.filter(user=user)
        if not tokens:
            self.stdout.write("No API tokens." if not username else f"{username} has no API tokens.")
            return
        table = Table(title="API tokens")
        for column in ("Id", "Starts with", "User", "Name", "Created", "Last used", "Status"):
            table.add_column(column)
        for token in tokens:
            table.add_row(
                str(token.pk),
                f"{token.key_prefix}…",
                token.user.username,
                token.name or "-",
                _when(token.created_at),
                _when(token.last_used_at),
                "active" if token.is_active else f"revoked {_when(token.revoked_at)}",
            )
        buffer = io.StringIO()
        Console(file=buffer, width=140, force_terminal=False, color_system=None).print(table)
        self.stdout.write(buffer.getvalue().rstrip("\n"))

    def _revoke(self, prefix_or_id: str) -> None:
        try:
            token = token_revoke(actor=None, token=token_find(prefix_or_id=prefix_or_id))
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Revoked token {token.key_prefix}… ({token.name or 'no name'}) of {token.user.username}."
            )
        )
