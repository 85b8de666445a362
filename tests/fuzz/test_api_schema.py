"""Schemathesis against /api/v1/openapi.json, in-process through the WSGI application (issue 21 part 2): every
operation in the schema (so routers added later are fuzzed without a change here), every check schemathesis has,
and a stateful run that follows the links schemathesis infers between operations (a POST's answer feeding the
GET, transition, close... of what it made). Generated path parameters reach the seeded records as well as missing
ones (`reach_seeded_records`). The budget is budget.EXAMPLES per operation: small in `make test`, large in
`make fuzz`."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode

from saferhomes.api.api import api
from saferhomes.config.wsgi import application
from tests.fuzz import budget
from tests.fuzz.seeded import KNOWN, Seeded, remember_known, role_for

pytestmark = pytest.mark.django_db
RAW = api.get_openapi_schema(path_prefix="/api/v1/")
PATH_PARAMETERS = {
    p["name"] for ops in RAW["paths"].values() for op in ops.values() for p in op.get("parameters", [])
    if p.get("in") == "path"
}  # fmt: skip
FUZZ_SETTINGS = settings(
    max_examples=budget.EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)

# 422 is documented for a value that breaks a business rule (an unknown team name, a closed case...), which
# schema-valid data can do; `valid_data_is_not_called_invalid` keeps the other half of the check: schema-valid data
# is never refused as not matching the schema.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis's default
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        "phases": {"coverage": {"enabled": budget.COVERAGE}},
    }
)
schema = schemathesis.openapi.from_dict(RAW, config=CONFIG)
TOKENS: dict[str, str] = {}  # role -> the seeded raw token, filled by the `reachable` fixture
schema.app = application
SCHEMA_LOCATIONS = ("body", "query", "path", "header")


@schemathesis.check
def valid_data_is_not_called_invalid(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request answered 422 names only business-rule fields, never a `body.`/`query.`/`path.`
    location (which would mean the schema and the validation disagree)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    fields = [str(error.get("field", "")) for error in response.json().get("errors", [])]
    refused = [field for field in fields if field.split(".")[0] in SCHEMA_LOCATIONS]
    if refused:
        raise AssertionError(f"Schema-valid data refused as not matching the schema: {', '.join(refused)}")
    return None


def all_checks() -> list[Any]:
    """Every check schemathesis registers (status codes, content types, headers, response schemas, negative data
    rejected, positive data accepted, auth not ignored, use after free, resources available, ...)."""
    load_all_checks()
    return list(CHECKS.get_all())


@schema.hook("flatmap_case")
def reach_seeded_records(context: Any, case: Any) -> st.SearchStrategy[Any]:
    """Half the time, a case with valid path parameters gets values that exist in the seeded database instead (a
    random reference is nearly always a 404). Negative path parameters are left as generated."""
    names = list(case.path_parameters or {})
    meta = case.meta
    component = meta.components.get(ParameterLocation.PATH) if meta is not None else None
    if not names or (component is not None and component.mode != GenerationMode.POSITIVE):
        return st.just(case)
    choices = {name: KNOWN.get(name) or [case.path_parameters[name]] for name in names}

    def with_values(values: dict[str, Any]) -> Any:
        case.path_parameters = {**case.path_parameters, **values}  # a fresh case per draw: changed in place
        return case

    existing = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})
    return st.one_of(st.just(case), existing.map(with_values))


@schema.auth(refresh_interval=None)
class RoleToken:
    """The seeded token of the role that may call the operation (seeded.role_for). Set through schemathesis's auth
    hook, so the `ignored_auth` check knows which header to take away or spoil."""

    def get(self, case: Any, context: Any) -> str:
        return TOKENS.get(role_for(case.method, case.path), "not-seeded-yet")  # examples are built at collection

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def reachable(seeded: Seeded) -> Seeded:
    remember_known(PATH_PARAMETERS)
    TOKENS.clear()
    TOKENS.update(seeded.tokens)
    return seeded


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_within_its_schema(case: Any, reachable: Seeded) -> None:
    response = case.call()
    budget.record("api", response.status_code)
    case.validate_response(response, checks=all_checks())


def test_linked_operations_answer_within_their_schema(reachable: Seeded) -> None:
    class Linked(schema.as_state_machine()):  # type: ignore[misc]
        """Each run starts from the seeded database: what a run made is rolled back (a savepoint), so a replayed run
        sees the same answers and hypothesis can shrink it."""

        def setup(self) -> None:
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            super().setup()

        def before_call(self, case: Any) -> None:
            """A fresh Idempotency-Key for each create in a run. The API answers a reused key as the first request
            did, whatever the body (documented: "a retry with the same key creates nothing"), so a link read from
            the second body would name a record that was never made (schemathesis's ensure_resource_availability
            found exactly that: POST /agencies then GET /agencies/{code}). Refusing a reused key with a different
            body needs the body's hash stored with the key: a migration, left to a later change."""
            headers = case.headers or {}
            key = headers.get("Idempotency-Key")
            if isinstance(key, str) and len(key) <= 190:  # a longer one is refused anyway: left as generated
                self.keys = getattr(self, "keys", 0) + 1
                case.headers = {**headers, "Idempotency-Key": f"{key}-{self.keys}"}
            super().before_call(case)

        def teardown(self) -> None:
            try:
                super().teardown()
            finally:
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            budget.record("api-stateful", response.status_code)
            super().validate_response(response, case, **kwargs)  # every check the configuration enables: all of them

    # Hypothesis discards a whole stateful run when one of its steps cannot be built (schemathesis rejects the draw,
    # e.g. a link whose value the previous answer lacks), and reports Unsatisfiable when every run of an example was
    # discarded: the generator failing to generate, not the API failing. Long runs make it likely (20 steps failed
    # in 5 of 7 `make fuzz` runs; 8 steps passed every time), so `make fuzz` uses 8 steps, and a run that ends
    # Unsatisfiable is tried again from a new random start, at most three times in all; a third fails the test.
    for attempt in range(1, 4):
        try:
            run_state_machine_as_test(
                Linked, settings=settings(FUZZ_SETTINGS, stateful_step_count=budget.STATEFUL_STEPS)
            )
            return
        except Unsatisfiable:
            if attempt == 3:
                raise
