"""The seeded database the fuzz runs against: the synthetic demo landlord (core.seed, Faker en_GB), an API token for
each role that the operations need, and the identifiers that exist, so that generated path parameters reach real
records as well as missing ones (issue 21 part 2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.core.seed import seed_demo

HOMES = 150  # about 20 cases, with referrals, shares, interventions, letters, reviews, holds, runs and rights requests
FUZZ_RATE_LIMIT = 1_000_000  # requests a minute for the fuzz tokens: the fuzz reaches the handlers, not the limiter

# The role whose token calls an operation: the first rule whose path prefix matches, else the manager (who may do
# most case work). A new router gets the manager's token until a rule names another role.
ROLE_RULES: list[tuple[str, str, str]] = [
    ("*", "/api/v1/retention", Role.DPO),
    ("*", "/api/v1/cases/{reference}/retention", Role.DPO),
    ("*", "/api/v1/legal-holds", Role.MANAGER),
    ("*", "/api/v1/rights-requests", Role.DPO),
    ("*", "/api/v1/oversight", Role.DPO),
    ("*", "/api/v1/shared-cases", Role.PARTNER),
    ("POST", "/api/v1/agencies", Role.ADMIN),
]
DEFAULT_ROLE = Role.MANAGER


def role_for(method: str, path: str) -> str:
    for rule_method, prefix, role in ROLE_RULES:
        if rule_method in ("*", method.upper()) and path.startswith(prefix):
            return role
    return DEFAULT_ROLE


@dataclass(frozen=True)
class Seeded:
    tokens: dict[str, str]  # role -> raw bearer token

    def authorization(self, method: str, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role_for(method, path)]}"}


def seed() -> Seeded:
    """Seed an empty database and return the tokens and the identifiers (call inside a test database)."""
    seed_demo(homes=HOMES, seed=1)
    tokens: dict[str, str] = {}
    for role in {DEFAULT_ROLE, *(rule[2] for rule in ROLE_RULES)}:
        user = User.objects.filter(role=role, is_active=True).order_by("username").first()
        assert user is not None, f"the demo seed has no {role}"
        _token, tokens[role] = token_create(actor=None, user=user, name="fuzz")
    return Seeded(tokens=tokens)


def _values(model: type[models.Model], field: str) -> list[Any]:
    return list(model._default_manager.order_by("pk").values_list(field, flat=True)[:50])


def known_values(name: str) -> list[Any]:
    """Values that exist for a path parameter, found by its name so new routers are covered without a list:
    `reference` and `code` from every model with such a field, `<model>_id` from that model's primary keys
    (`share_id` from CaseShare, `request_id` from RightsRequest: a model whose name ends with the word)."""
    found: list[Any] = []
    if name.endswith("_id"):
        word = name.removesuffix("_id").replace("_", "")
        matches = [m for m in apps.get_models() if m._meta.model_name == word]
        matches = matches or [m for m in apps.get_models() if m._meta.model_name.endswith(word)]  # type: ignore[union-attr]
        for model in matches:
            found += _values(model, "pk")
        return sorted(set(found))
    for model in apps.get_models():
        if any(f.name == name and f.concrete for f in model._meta.get_fields()):
            found += _values(model, name)
    return sorted({v for v in found if isinstance(v, str) and v})


# Path parameter name -> values that exist, filled by `seed()` for the parameters the schema declares.
KNOWN: dict[str, list[Any]] = {}


def remember_known(names: set[str]) -> None:
    KNOWN.clear()
    for name in names:
        KNOWN[name] = known_values(name)
