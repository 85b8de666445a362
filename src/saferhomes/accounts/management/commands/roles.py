"""`saferhomes roles`: bring role groups in line with roles.py and show what each role may do."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db.models import Count
from rich.console import Console
from rich.table import Table

from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import roles_sync


class Command(BaseCommand):
    help = "Sync role groups with their permissions, then print each role and what it may do."

    def handle(self, *args: Any, **options: Any) -> None:
        roles_sync()
        groups = {
            group.name: group
            for group in Group.objects.annotate(member_total=Count("user")).prefetch_related(
                "permissions__content_type"
            )
        }
        table = Table(title="Roles and their permissions", show_lines=True)
        table.add_column("Role")
        table.add_column("Name")
        table.add_column("Staff", justify="right")
        table.add_column("Permissions")
        for role in Role:
            group = groups[role.value]
            perms = sorted(f"{p.content_type.app_label}.{p.codename} - {p.name}" for p in group.permissions.all())
            table.add_row(role.value, role.label, str(getattr(group, "member_total", 0)), "\n".join(perms) or "(none)")
        buffer = io.StringIO()
        Console(file=buffer, width=160, force_terminal=False, color_system=None).print(table)
        self.stdout.write(buffer.getvalue().rstrip("\n"))
        self.stdout.write(self.style.SUCCESS("Role groups are in step with saferhomes/accounts/roles.py."))
