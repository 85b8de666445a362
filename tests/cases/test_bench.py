"""`saferhomes bench` at a small scale: the generator makes consistent data the application can read, on SQLite and
PostgreSQL alike (COPY there, executemany here), and the harness returns well-formed results. No timing is
asserted: figures depend on the machine (bench/README.md has them)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from bench import cases_bench
from bench.generate import Scale, generate, verify
from bench.harness import Operation, measure, percentile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Q

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    Case,
    CaseType,
    Contact,
    ContactPurpose,
    Party,
    PartyRole,
    ReferenceCounter,
    Sensitivity,
    Status,
)
from saferhomes.cases.references import REFERENCE_RE, reference_allocate
from saferhomes.cases.selectors import case as selectors
from saferhomes.housing import rules
from saferhomes.housing.models import Property
from tests.housing.factories import PropertyFactory

pytestmark = pytest.mark.django_db

CASES = 300
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def generated() -> dict[str, int]:
    """A 300-case service (seed 7)."""
    return generate(cases=CASES, seed=7, today=TODAY).counts


def test_generator_makes_the_cases_asked_for_with_everything_on_them(generated: dict[str, int]) -> None:
    assert Case.objects.count() == CASES == generated["cases_case"]
    scale = Scale.for_cases(CASES)
    assert Property.objects.count() == scale.homes
    assert Party.objects.count() == generated["cases_party"] > CASES
    for table in ("cases_incident", "cases_contact", "cases_note", "cases_actionitem", "cases_contactplan"):
        assert generated[table] > 0, table
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)
    assert {Status.OPEN, Status.CLOSED} <= set(Case.objects.values_list("status", flat=True))


def test_generated_rows_all_point_at_rows_that_exist(generated: dict[str, int]) -> None:
    problems = verify()
    assert problems  # every foreign key of every generated table was checked
    assert {column: count for column, count in problems.items() if count} == {}


def test_generated_references_are_gap_free_per_prefix_and_year_and_counters_continue_them(
    generated: dict[str, int],
) -> None:
    numbers: dict[tuple[str, str], list[int]] = {}
    for reference, received in Case.objects.values_list("reference", "received_at"):
        match = REFERENCE_RE.match(reference)
        assert match, reference
        assert int(match["year"]) == received.year
        numbers.setdefault((match["prefix"], match["year"]), []).append(int(match["number"]))
    for (prefix, year), found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), (prefix, year)
        counter = ReferenceCounter.objects.get(prefix=prefix, year=int(year))
        assert counter.last_number == len(found)
    # A case made by the application afterwards takes the next number, not one the generator used.
    latest = Case.objects.filter(case_type=CaseType.ASB).latest("received_at")
    following = reference_allocate(case_type=CaseType.ASB, received_at=latest.received_at)
    last = max(
        n
        for (prefix, year), ns in numbers.items()
        if prefix == "ASB" and int(year) == latest.received_at.year
        for n in ns
    )
    assert following.endswith(f"-{last + 1:06d}")


def test_generated_cases_keep_the_rules_of_the_domain(generated: dict[str, int]) -> None:
    assert not Case.objects.filter(case_type=CaseType.DA).exclude(sensitivity=Sensitivity.DA).exists()
    assert not Case.objects.filter(status=Status.CLOSED).filter(Q(closed_at__isnull=True) | Q(outcome="")).exists()
    assert not Case.objects.exclude(status=Status.NEW).filter(triaged_at__isnull=True).exists()
    closed = Case.objects.filter(status=Status.CLOSED)
    discussed = closed.filter(contacts__purpose=ContactPurpose.OUTCOME_DISCUSSION).distinct()
    assert discussed.count() == closed.count()
    first_responses = Contact.objects.filter(
        purpose__in=[ContactPurpose.FIRST_RESPONSE, ContactPurpose.INITIAL_ASSESSMENT]
    )
    assert first_responses.count() == Case.objects.filter(responded_at__isnull=False).count()
    roles = Counter(Party.objects.values_list("role", flat=True))
    assert roles[PartyRole.REPORTER] > CASES * 0.8
    assert not Party.objects.filter(person__isnull=True, anonymous=False, first_name="", last_name="").exists()


def test_generated_homes_have_real_postcode_shapes_and_unique_references(generated: dict[str, int]) -> None:
    postcodes = list(Property.objects.values_list("postcode", flat=True))
    assert all(rules.normalise_postcode(p) == p for p in postcodes)
    assert not Property.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_generated_staff_hold_their_roles_and_cases_go_to_officers_of_the_right_kind(
    generated: dict[str, int],
) -> None:
    staff = User.objects.filter(username__startswith="bench7_")
    assert {u.role for u in staff} == {Role.OFFICER, Role.DA_SPECIALIST, Role.COORDINATOR, Role.MANAGER}
    coordinator = staff.filter(role=Role.COORDINATOR).first()
    assert coordinator is not None
    assert coordinator.has_perm("cases.view_all_cases")
    assert not staff.exclude(password__startswith="!").exists()  # nobody can sign in as a bench user
    da_officers = set(Case.objects.filter(case_type=CaseType.DA).values_list("assigned_officer__role", flat=True))
    assert da_officers <= {Role.DA_SPECIALIST, None}


def test_the_application_reads_generated_cases(generated: dict[str, int]) -> None:
    coordinator = User.objects.filter(username__startswith="bench7_", role=Role.COORDINATOR).first()
    case = Case.objects.filter(sensitivity=Sensitivity.NORMAL, parties__isnull=False).first()
    assert coordinator is not None
    assert case is not None
    assert selectors.case_get_for_actor(actor=coordinator, reference=case.reference) == case
    assert selectors.party_views(case=case)
    visible = selectors.cases_visible_to(actor=coordinator)
    assert visible.count() == Case.objects.filter(sensitivity=Sensitivity.NORMAL).count()


def test_generator_gives_ids_after_existing_rows() -> None:
    home = PropertyFactory.create()
    generate(cases=20, seed=2, today=TODAY)
    assert Property.objects.aggregate(m=Max("id"))["m"] > home.pk
    assert {c for c, n in verify().items() if n} == set()


# ---------------------------------------------------------------------------------------------------------------
# The harness


def test_percentiles_interpolate_between_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0
    assert percentile([], 50) == 0.0


def test_measure_reports_when_the_floor_fetched_different_rows() -> None:
    same = Operation("same", "", lambda p: [p, p + 1], lambda p: [p, p + 1], [1, 2])
    different = Operation("different", "", lambda p: [p], lambda p: [p + 1], [1])
    ok = measure(same, iterations=4)
    assert ok.same_rows
    assert ok.rows == 2
    assert len(ok.app_ms) == len(ok.floor_ms) == 4
    bad = measure(different, iterations=1)
    assert not bad.same_rows
    assert bad.mismatches


def test_bench_run_times_every_operation_against_a_floor_that_returns_the_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    report = cases_bench.run(cases_bench.BenchOptions(cases=CASES, seed=3, iterations=2, json_path=out))
    assert json.loads(out.read_text()) == report
    assert report["vendor"] == connection.vendor
    assert report["cases"] == CASES
    names = [op["name"] for op in report["operations"]]
    assert any(n.startswith("list") for n in names)
    assert "detail" in names
    assert {"search: reference", "search: party name", "search: address", "search: postcode"} <= set(names)
    for op in report["operations"]:
        assert op["iterations"] == 2
        assert op["same_rows"], (op["name"], op["mismatches"])
        assert op["p95_ms"] >= op["p50_ms"] >= 0
        assert op["floor_p95_ms"] >= op["floor_p50_ms"] >= 0
        assert op["queries"] >= 1
    by_name = {op["name"]: op for op in report["operations"]}
    assert by_name["search: reference"]["rows"] == 1
    assert by_name["detail"]["rows"] >= 1
    assert by_name["dashboard page, rendered (coordinator)"]["rows"] == 6  # a count for each status


def test_bench_reuses_its_own_data_and_replaces_it_when_the_size_changes() -> None:
    first = cases_bench.prepare_data(cases=50, seed=4, reuse=True)
    assert not first["reused"]
    again = cases_bench.prepare_data(cases=50, seed=4, reuse=True)
    assert again["reused"]
    assert Case.objects.count() == 50
    bigger = cases_bench.prepare_data(cases=80, seed=4, reuse=True)
    assert not bigger["reused"]
    assert Case.objects.count() == 80
    assert {c for c, n in verify().items() if n} == set()


def test_bench_refuses_a_database_holding_homes_it_did_not_make() -> None:
    PropertyFactory.create()
    with pytest.raises(cases_bench.BenchError, match="did not make"):
        cases_bench.prepare_data(cases=50, seed=1, reuse=False)
    assert Case.objects.count() == 0
    assert Property.objects.count() == 1


def test_bench_command_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = StringIO()
    path = tmp_path / "cases-300.json"
    call_command("bench", "--cases", "120", "--iterations", "1", "--json", str(path), stdout=out)
    text = out.getvalue()
    assert "Case bench, 120 cases" in text
    assert "Floor p95" in text
    assert "search: postcode" in text
    assert re.search(r"generated in [\d.]+ s", text)
    assert json.loads(path.read_text())["operations"]


def test_bench_command_refuses_nonsense_sizes() -> None:
    with pytest.raises(CommandError, match="1 or more"):
        call_command("bench", "--cases", "0", stdout=StringIO())
