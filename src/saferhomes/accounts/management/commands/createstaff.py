"""`saferhomes createstaff USERNAME --role ROLE`: create a staff account from the command line.

Apps above accounts add options for some roles through `accounts.extensions.STAFF_OPTIONS` (referrals: `--agency
CODE` for a partner user); each is applied in the transaction that creates the account.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from saferhomes.accounts.extensions import StaffOption, staff_options
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import staff_create, team_get_or_create
from saferhomes.core.errors import DomainError


def _roles_help() -> str:
    return ", ".join(f"{role.value} ({role.label})" for role in Role)


class Command(BaseCommand):
    help = "Create a staff account in a role. Without --password, asks for one (or leaves it to the reset link)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"One of: {_roles_help()}.")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None, help="Avoid on shared machines: it stays in shell history.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--team", default="", help="Team name; created if it does not exist.")
        for option in staff_options():
            roles = ", ".join(sorted(option.roles))
            parser.add_argument(
                option.flag, dest=option.dest, default="", metavar=option.metavar, help=f"{option.help} ({roles})."
            )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        role: str = options["role"].strip().lower()
        if role not in Role.values:
            raise CommandError(f"Unknown role '{options['role']}'. Choose one of: {_roles_help()}.")
        if not username:
            raise CommandError("Give a username.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A staff account called '{username}' already exists.")
        extras = _extra_options(role, options)
        # Validate against a draft user so the similarity check can compare with the name and email.
        draft = User(
            username=username,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
        )
        password = options["password"]
        if password is None and sys.stdin.isatty():
            password = self._prompt_password(draft)
        elif password is not None:
            self._validate(password, draft)
        try:
            with transaction.atomic():
                team = team_get_or_create(actor=None, name=options["team"]) if options["team"].strip() else None
                user = staff_create(
                    actor=None,
                    username=username,
                    role=role,
                    email=options["email"],
                    password=password or None,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    team=team,
                )
                applied = [option.apply(user, value) for option, value in extras]
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.get_role_display()} '{user.username}'")
            + (f" in team '{team.name}'" if team else "")
            + "".join(f" {words}" for words in applied if words)
            + "."
        )
        if not password:
            reset = reverse("accounts:password-reset")
            if user.email:
                self.stdout.write(
                    f"No password set. Ask {user.username} to use 'Forgotten your password?' ({reset}) "
                    f"with {user.email} to choose one."
                )
            else:
                self.stdout.write(
                    "No password set and no email address: add an email address in the configuration admin, "
                    f"then they can set a password at {reset}."
                )
        self.stdout.write("They will set up an authenticator app the first time they sign in.")

    def _validate(self, password: str, draft: User) -> None:
        try:
            validate_password(password, user=draft)
        except ValidationError as error:
            raise CommandError("The password is not allowed: " + " ".join(error.messages)) from error

    def _prompt_password(self, draft: User) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            if not first:
                self.stderr.write("Enter a password (or press Ctrl+C and use the reset link instead).")
                continue
            if getpass.getpass("Password again: ") != first:
                self.stderr.write("The passwords do not match. Try again.")
                continue
            try:
                validate_password(first, user=draft)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first
        raise CommandError("No acceptable password after 3 tries: no account was created.")


def _extra_options(role: str, options: dict[str, Any]) -> list[tuple[StaffOption, str]]:
    """The registered options given (each with its value), checked against the role: required for the roles that
    need it, refused for the others."""
    given = []
    for option in staff_options():
        value = str(options.get(option.dest) or "").strip()
        if role in option.roles and not value:
            raise CommandError(f"A {Role(role).label.lower()} needs {option.flag} {option.metavar}: {option.help}.")
        if value and role not in option.roles:
            wanted = " or ".join(sorted(option.roles))
            raise CommandError(f"{option.flag} is only for the role {wanted}, not {role}.")
        if value:
            given.append((option, value))
    return given
