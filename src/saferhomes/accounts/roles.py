"""Staff roles (DESIGN.md §1) and the named permissions each holds. Groups are kept in step by `roles_sync`."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Housing officer"
    COORDINATOR = "coordinator", "Community safety coordinator"
    DA_SPECIALIST = "da_specialist", "Domestic abuse specialist"
    MANAGER = "manager", "Neighbourhood and communities manager"
    PARTNER = "partner", "Partner agency user"
    DPO = "dpo", "Data protection officer"
    ADMIN = "admin", "Administrator"


# Permission codenames ("app_label.codename") per role. Later capabilities add theirs here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
    ],
    Role.COORDINATOR: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
    ],
    Role.DA_SPECIALIST: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
    ],
    Role.MANAGER: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
    ],
    Role.PARTNER: [],
    Role.DPO: [
        "core.search_auditevent",
    ],
    Role.ADMIN: [
        "accounts.manage_staff",
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "housing.import_register",
    ],
}
