"""Keep role groups in step with ROLE_PERMISSIONS after every migrate (infrastructure, not business logic)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions


def sync_roles_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from saferhomes.accounts.services import roles_sync

    # Permissions of apps later in INSTALLED_APPS are created by their own post_migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()
