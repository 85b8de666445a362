"""The register's place among the demo seed's steps (core.seed): the staff, places, homes and tenancies steps of
`demo_data` first, before every app that builds on them; the audit record of what they made; the demo logins that
`saferhomes demo` prints and ensures; and "the register is not empty", which stops a seed over real data."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.roles import Role
from saferhomes.core import seed as core_seed
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.housing.demo_data import (
    DEMO_PASSWORD,
    DEMO_STAFF,
    SeedContext,
    seed_places,
    seed_properties,
    seed_staff,
    seed_tenancies,
)
from saferhomes.housing.models import Property


def seed_register_recorded(ctx: SeedContext) -> None:
    """One audit event for the demo register: how many of each thing the register's steps made."""
    audit(
        actor=None,
        verb=AuditVerb.HOUSING_SEEDED,
        object_type="housing.property",
        object_label=f"Demo data, seed {ctx.seed}",
        after={"homes": ctx.homes, "seed": ctx.seed, **ctx.counts},
    )


def demo_staff_ensure() -> list[str]:
    """Create any missing demo logins (and their authenticator apps); returns the usernames created."""
    ctx = SeedContext(homes=0, seed=1, today=timezone.localdate())
    with transaction.atomic():
        seed_staff(ctx)
    return ctx.staff_created


def demo_logins() -> list[core_seed.DemoLogin]:
    """The personas' logins, as `saferhomes demo` prints them."""
    labels = dict(Role.choices)
    return [core_seed.DemoLogin(p.username, str(labels[p.role]), DEMO_PASSWORD) for p in DEMO_STAFF]


def register_found() -> str | None:
    """What the register already holds, if anything: the demo seed fills only an empty one."""
    homes = Property.objects.count()
    return f"The housing register already has {homes:,} homes" if homes else None


# Where the register's steps run among the demo seed's (core.seed): first, before every app that builds on them.
SEED_ORDER = {"staff": 10, "places": 20, "properties": 30, "tenancies": 40, "register": 45}


def register_seed_steps() -> None:
    """Make the register the first steps of the demo seed, and tell `saferhomes demo` about its logins."""
    core_seed.seed_context_register(SeedContext)
    for name, run in (
        ("staff", seed_staff),
        ("places", seed_places),
        ("properties", seed_properties),
        ("tenancies", seed_tenancies),
        ("register", seed_register_recorded),
    ):
        core_seed.seed_step_register(name, run, order=SEED_ORDER[name])
    core_seed.seed_found_register(register_found)
    core_seed.demo_logins_register(listed=demo_logins, ensure=demo_staff_ensure)
