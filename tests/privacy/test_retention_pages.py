"""The DPO's retention pages and legal holds through the client: the schedule changed with a reason (errors shown),
holds placed and lifted (managers only on cases they may see), runs planned, a case left out, approved, cancelled;
the case page's retention line; and who may open which page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.models import ItemStatus, LegalHold, RetentionRule, RetentionRun, RunStatus
from saferhomes.privacy.services.holds import legal_hold_place
from saferhomes.privacy.services.runs import plan_run
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as
from tests.privacy.retention_helpers import closed_case, hold, london

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2033, 6, 1, 10, tzinfo=dt.UTC)


def _asb_rule() -> RetentionRule:
    return RetentionRule.objects.get(record="case", case_type="asb", outcome_group="no_legal_action")


def test_dpo_changes_a_rule_with_a_reason_and_it_is_audited_with_before_and_after(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    rule = _asb_rule()
    page = client.get("/staff/privacy/retention/")
    assert "ASB closed without legal action" in page.content.decode()
    assert "Limitation Act 1980" in page.content.decode()
    url = f"/staff/privacy/retention/{rule.pk}/change/"
    response = client.post(url, {"months": "84", "days": "0", "reason": "Policy reviewed by the board in May"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.months, rule.changed_by, rule.change_reason) == (84, dpo_daniel, "Policy reviewed by the board in May")
    event = AuditEvent.objects.get(verb="retention.rule_changed")
    assert event.before is not None
    assert event.after is not None
    assert event.before["months"] == 72
    assert event.after["months"] == 84


@pytest.mark.parametrize(
    ("months", "days", "message"),
    [
        ("0", "0", "Enter a period longer than 0 months and 0 days"),
        ("1201", "0", "Months must be 1200 (100 years) or fewer"),
        ("six", "0", "Months must be a whole number"),
        ("-1", "0", "Months must be 0 or more"),
    ],
)
def test_nonsense_period_is_refused_with_a_govuk_error(dpo_daniel, months, days, message) -> None:
    client = client_verified_as(dpo_daniel)
    rule = _asb_rule()
    data = {"months": months, "days": days, "reason": "Policy reviewed by the board"}
    response = client.post(f"/staff/privacy/retention/{rule.pk}/change/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    assert 'value="Policy reviewed by the board"' in body or "Policy reviewed by the board</textarea>" in body
    rule.refresh_from_db()
    assert rule.months == 72


def test_rule_change_needs_a_reason(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    response = client.post(
        f"/staff/privacy/retention/{_asb_rule().pk}/change/", {"months": "60", "days": "0", "reason": "short"}
    )
    assert "characters or more" in response.content.decode()
    assert _asb_rule().months == 72


def test_dpo_places_and_lifts_a_hold_by_reference_and_both_are_audited(dpo_daniel) -> None:
    case = closed_case(london(2020, 1, 1), case_type=CaseType.DA)
    client = client_verified_as(dpo_daniel)
    response = client.post(
        "/staff/privacy/holds/new/", {"case_reference": case.reference.lower(), "reason": "Claim issued in court"}
    )
    assert response.status_code == 302
    held = LegalHold.objects.get(case=case)
    assert client.get("/staff/privacy/holds/").content.decode().count(case.reference) >= 1
    response = client.post(f"/staff/privacy/holds/{held.pk}/lift/", {"reason": "Claim settled in April"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.lifted_by == dpo_daniel
    assert held.lift_reason == "Claim settled in April"
    verbs = list(AuditEvent.objects.filter(verb__startswith="legal_hold").values_list("verb", flat=True))
    assert sorted(verbs) == ["legal_hold.lifted", "legal_hold.placed"]


def test_hold_with_unknown_reference_or_short_reason_shows_both_errors(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    response = client.post("/staff/privacy/holds/new/", {"case_reference": "ASB-1999-000001", "reason": "x"})
    body = response.content.decode()
    assert "No case has that reference" in body
    assert "characters or more" in body
    assert not LegalHold.objects.exists()


def test_manager_cannot_hold_a_restricted_case_they_may_not_see(make_staff) -> None:
    manager = make_staff(Role.MANAGER)
    case = closed_case(london(2020, 1, 1), sensitivity="restricted")
    from saferhomes.core.errors import DomainError

    with pytest.raises(DomainError):
        legal_hold_place(actor=manager, case_reference=case.reference, reason="Complaint to the ICO")
    assert not LegalHold.objects.exists()


def test_held_case_is_never_planned_for_anonymisation(dpo_daniel) -> None:
    held = closed_case(london(2020, 1, 1))
    due = closed_case(london(2020, 1, 2))
    hold(held, dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        run = plan_run(actor=dpo_daniel)
    assert run is not None
    assert list(run.items.values_list("case_id", flat=True)) == [due.pk]


def test_dpo_plans_leaves_a_case_out_and_approves_a_run(dpo_daniel) -> None:
    first, second = closed_case(london(2019, 1, 1)), closed_case(london(2019, 2, 1))
    client = client_verified_as(dpo_daniel)
    # Due today: closed more than six years ago.
    response = client.post("/staff/privacy/retention/runs/plan/")
    run = RetentionRun.objects.get()
    assert response["Location"] == f"/staff/privacy/retention/runs/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert first.reference in page
    assert second.reference in page
    assert "Approve: anonymise 2 cases" in page
    assert first.summary not in page  # metadata only
    index = client.get("/staff/privacy/").content.decode()
    assert "2 cases waiting for your approval to anonymise" in index
    item = run.items.get(case=first)
    url = f"/staff/privacy/retention/runs/{run.pk}/items/{item.pk}/exclude/"
    assert "characters or more" in client.post(url, {"reason": "no"}).content.decode()
    assert client.post(url, {"reason": "Complaint still being handled"}).status_code == 302
    assert client.post(f"/staff/privacy/retention/runs/{run.pk}/approve/").status_code == 302
    run.refresh_from_db()
    item.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert item.status == ItemStatus.EXCLUDED


def test_dpo_cancels_a_run_with_a_reason(dpo_daniel) -> None:
    closed_case(london(2020, 1, 1))
    with time_machine.travel(NOW, tick=False):
        run = plan_run(actor=dpo_daniel)
    assert run is not None
    client = client_verified_as(dpo_daniel)
    url = f"/staff/privacy/retention/runs/{run.pk}/cancel/"
    body = client.post(url, {"cancel-reason": ""}).content.decode()
    assert "govuk-error-summary" in body
    assert client.post(url, {"cancel-reason": "Schedule about to be reviewed"}).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED


def test_case_page_shows_the_retention_line_the_hold_and_a_managers_hold_link(make_staff) -> None:
    manager = make_staff(Role.MANAGER)
    case = closed_case(london(2026, 3, 12))
    hold(case, manager)
    body = client_verified_as(manager).get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Kept until 12 March 2032 (6 years after closure — ASB closed without legal action)" in body
    assert "On legal hold since" in body
    assert f"/staff/privacy/holds/new/?case={case.reference}" in body


def test_open_case_page_says_kept_while_open(make_staff) -> None:
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    body = client_verified_as(officer).get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Kept while open, then 6 years after closure" in body
    assert "Place a legal hold" not in body


AREA = "Data protection"
RETENTION_ROLES = frozenset({Role.DPO})
HOLD_ROLES = frozenset({Role.DPO, Role.MANAGER})
PAGES = [
    RoleSurface(AREA, "Privacy home", "GET", "/staff/privacy/", HOLD_ROLES),
    RoleSurface(AREA, "Retention schedule", "GET", "/staff/privacy/retention/", RETENTION_ROLES),
    RoleSurface(AREA, "Change a retention rule", "GET", "/staff/privacy/retention/{rule}/change/", RETENTION_ROLES),
    RoleSurface(AREA, "Anonymisation runs", "GET", "/staff/privacy/retention/runs/", RETENTION_ROLES),
    RoleSurface(AREA, "An anonymisation run", "GET", "/staff/privacy/retention/runs/{run}/", RETENTION_ROLES),
    RoleSurface(
        AREA,
        "Exclude a case from a run",
        "GET",
        "/staff/privacy/retention/runs/{run}/items/{item}/exclude/",
        RETENTION_ROLES,
    ),
    RoleSurface(AREA, "Legal holds", "GET", "/staff/privacy/holds/", HOLD_ROLES),
    RoleSurface(AREA, "Legal holds (CSV)", "GET", "/staff/privacy/holds/download/?format=csv", HOLD_ROLES),
    RoleSurface(AREA, "Place a legal hold", "GET", "/staff/privacy/holds/new/", HOLD_ROLES),
    RoleSurface(AREA, "Lift a legal hold", "GET", "/staff/privacy/holds/{hold}/lift/", HOLD_ROLES),
]
URLS = [page.path for page in PAGES]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("page", PAGES, ids=URLS)
def test_permission_matrix(make_staff, dpo_daniel, role, page: RoleSurface) -> None:
    case = closed_case(london(2020, 1, 1))
    held = hold(case, dpo_daniel)
    other = closed_case(london(2020, 1, 2))
    with time_machine.travel(NOW, tick=False):
        run = plan_run(actor=dpo_daniel)
    assert run is not None
    item = run.items.get(case=other)
    actor = dpo_daniel if role == Role.DPO else make_staff(role, username=f"{role}_m")
    path = page.url(rule=_asb_rule().pk, run=run.pk, item=item.pk, hold=held.pk)
    response = client_verified_as(actor).get(path)
    assert response.status_code == page.expected(role), (role, path, response.status_code)


# What the DPO's own posts do is tested with each form above; here, that no one else may make them.
NOT_THE_DPO = frozenset(r for r in Role.values if r != Role.DPO)
POSTS = [
    RoleSurface(AREA, name, "POST", path, RETENTION_ROLES, tried=NOT_THE_DPO)
    for name, path in [
        ("Plan a run (post)", "/staff/privacy/retention/runs/plan/"),
        ("Approve a run (post)", "/staff/privacy/retention/runs/{run}/approve/"),
        ("Cancel a run (post)", "/staff/privacy/retention/runs/{run}/cancel/"),
        ("Change a retention rule (post)", "/staff/privacy/retention/{rule}/change/"),
    ]
]


@pytest.mark.parametrize("role", sorted(NOT_THE_DPO))
@pytest.mark.parametrize("page", POSTS, ids=[post.path for post in POSTS])
def test_only_the_dpo_may_plan_approve_cancel_or_change_the_schedule(make_staff, dpo_daniel, role, page) -> None:
    closed_case(london(2019, 1, 1))
    run = plan_run(actor=dpo_daniel)
    assert run is not None
    client = client_verified_as(make_staff(role, username=f"{role}_post"))
    data = {"months": "1", "days": "0", "reason": "Trying to change it", "cancel-reason": "Trying to cancel it"}
    response = client.post(page.url(run=run.pk, rule=_asb_rule().pk), data)
    assert response.status_code == page.expected(role) == 403
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert _asb_rule().months == 72
    assert RetentionRun.objects.count() == 1


def test_the_dpo_and_managers_have_privacy_in_the_staff_menu(make_staff, dpo_daniel) -> None:
    for user in (dpo_daniel, make_staff(Role.MANAGER)):
        assert 'href="/staff/privacy/"' in client_verified_as(user).get("/staff/").content.decode()
    assert 'href="/staff/privacy/"' not in client_verified_as(make_staff(Role.OFFICER)).get("/staff/").content.decode()
