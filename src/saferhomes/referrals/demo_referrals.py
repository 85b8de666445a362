"""Demo referrals and support offers (stub, filled in below)."""

from __future__ import annotations

from saferhomes.core.seed import SeedContext, seed_step_register


def seed_referrals(ctx: SeedContext) -> None:
    """Police referrals and support offers on the demo cases."""


def register_seed_step() -> None:
    """Make `seed_referrals` a step of the demo seed, after risk (60) and before the reports (70)."""
    seed_step_register("referrals", seed_referrals, order=65)
