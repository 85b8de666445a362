"""Extension points of accounts, filled from `AppConfig.ready()` by apps above it in the layers (which accounts must
never import); listed in docs/architecture.md.

`STAFF_OPTIONS` (`register_staff_option`): options `saferhomes createstaff` takes for some roles, each applied to
the new account in the transaction that creates it, so a refused value leaves no account behind. Referrals adds
`--agency CODE`, which a partner user needs (a partner without an agency sees nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from saferhomes.accounts.models import User


@dataclass(frozen=True)
class StaffOption:
    """An option of `saferhomes createstaff`: required for `roles`, refused for any other role.

    `apply(user, value)` runs after the account is created, in the same transaction; it raises a DomainError to refuse
    the value (no account is then created) and returns words for the confirmation ("at the Council ASB Team")."""

    flag: str
    metavar: str
    help: str
    roles: frozenset[str]
    apply: Callable[[User, str], str]

    @property
    def dest(self) -> str:
        """The option's name in the command's parsed options (`--agency` -> `agency`)."""
        return self.flag.lstrip("-").replace("-", "_")


STAFF_OPTIONS: dict[str, StaffOption] = {}


def register_staff_option(option: StaffOption) -> None:
    """Add (or, under the same flag, replace) an option of `saferhomes createstaff` (idempotent)."""
    STAFF_OPTIONS[option.flag] = option


def staff_options() -> list[StaffOption]:
    """The registered options, in the order registered."""
    return list(STAFF_OPTIONS.values())
