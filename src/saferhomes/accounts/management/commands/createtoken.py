"""`saferhomes createtoken USERNAME`: make an API token; the token alone is the last line of output."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhomes.accounts.models import User
from saferhomes.accounts.services import token_create
from saferhomes.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a personal API token for a user. Prints it once, alone on the last line; only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Command line", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No staff account is called '{options['username']}'.")
        try:
            token, raw = token_create(actor=None, user=user, name=options["name"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Created API token '{token.name}' ({token.key_prefix}…) for {user.username}. "
            "Copy it now: it is not stored and cannot be shown again."
        )
        self.stdout.write(raw)
