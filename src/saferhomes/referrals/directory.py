"""What the agency directory plugs into, from `ReferralsConfig.ready()`: `saferhomes createstaff`'s `--agency CODE`
for partner users (`accounts.extensions`, since accounts may not import referrals) and the demo seed's agencies step.
"""

from __future__ import annotations

from saferhomes.accounts.extensions import StaffOption, register_staff_option
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.referrals.selectors.agencies import agency_by_code
from saferhomes.referrals.services.membership import partner_membership_set


def partner_agency_apply(user: User, code: str) -> str:
    """`createstaff NAME --role partner --agency CODE`: the new partner user works for the agency with this code."""
    agency = agency_by_code(actor=None, code=code)
    partner_membership_set(actor=None, user=user, agency=agency)
    return f"at {agency.name} ({agency.code})"


AGENCY_OPTION = StaffOption(
    flag="--agency",
    metavar="CODE",
    help="the code of the agency a partner user works for, from the agency directory",
    roles=frozenset({Role.PARTNER.value}),
    apply=partner_agency_apply,
)


def register() -> None:
    """Plug the directory into createstaff and the demo seed (idempotent)."""
    from saferhomes.referrals.demo_agencies import register_seed_step

    register_staff_option(AGENCY_OPTION)
    register_seed_step()
