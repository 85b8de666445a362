"""Sharing parts of a case with a partner agency: the rules a share must meet (clear field errors), the disclosure and
audit every share writes, withdrawal, and when a share is active (to the end of its last day, Europe/London)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Sensitivity, Status
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import (
    Agency,
    AgencyKind,
    CaseShare,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    SharePart,
    SharingAgreement,
)
from saferhomes.referrals.selectors.shares import share_is_active, share_state
from saferhomes.referrals.services.shares import case_share, share_latest_end, share_withdraw
from tests.cases.factories import CaseFactory, force_status
from tests.referrals.factories import AgencyFactory, CaseShareFactory

pytestmark = pytest.mark.django_db

LONDON_NOON = dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC)  # 12:00 BST, Monday 15 June 2026


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def council() -> Agency:
    return AgencyFactory.create(code="council-asb", name="Example Council ASB Team")


@pytest.fixture
def idva() -> Agency:
    return AgencyFactory.create(code="idva", name="Example IDVA Service", kind=AgencyKind.IDVA, handles_da=True)


def _case(user: User, **fields: Any) -> Case:
    case: Case = CaseFactory.create(assigned_officer=user, team=user.team, **fields)
    return case


def _share(actor: User, case: Case, agency: Agency | None, **overrides: Any) -> CaseShare:
    arguments: dict[str, Any] = {
        "parts": [SharePart.INCIDENTS, SharePart.SUMMARY],
        "ends_on": timezone.localdate() + dt.timedelta(days=30),
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "reason": "The council is considering a community protection warning",
    }
    arguments.update(overrides)
    return case_share(actor=actor, case=case, agency=agency, **arguments)


def _field_errors(call: Callable[[], object]) -> dict[str, list[str]]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.field_errors


@time_machine.travel(LONDON_NOON, tick=False)
def test_a_share_is_recorded_as_a_disclosure_and_audited(officer: User, council: Agency) -> None:
    case = _case(officer)

    share = _share(officer, case, council, ends_on=dt.date(2026, 7, 15))

    assert share.parts == ["summary", "incidents"]  # in SharePart order, whatever order they were chosen in
    assert (share.agency, share.ends_on, share.created_by) == (council, dt.date(2026, 7, 15), officer)
    disclosure = Disclosure.objects.get(share=share)
    assert disclosure.source == DisclosureSource.SHARE
    assert disclosure.what == f"Summary and incidents of case {case.reference}, shared until 15 July 2026"
    assert (disclosure.agency, disclosure.case, disclosure.lawful_basis) == (council, case, LawfulBasis.PUBLIC_TASK)
    assert disclosure.reason == "The council is considering a community protection warning"
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_SHARED)
    assert event.object_label == f"{case.reference} shared with Example Council ASB Team"
    assert (event.after or {})["ends_on"] == "2026-07-15"
    assert AuditEvent.objects.filter(verb=AuditVerb.DISCLOSURE_RECORDED).count() == 1


@time_machine.travel(LONDON_NOON, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"parts": []}, "parts", "Select at least one part of the case to share"),
        ({"parts": ["summary", "parties"]}, "parts", "Select parts of the case from: summary, incidents, risk"),
        ({"ends_on": None}, "ends_on", "Enter the date the share ends"),
        ({"ends_on": dt.date(2026, 6, 14)}, "ends_on", "must be today or in the future"),
        ({"ends_on": dt.date(2027, 6, 16)}, "ends_on", "no more than 12 months from today (on or before 15 June 2027)"),
        ({"lawful_basis": ""}, "lawful_basis", "Select the lawful basis for sharing"),
        ({"lawful_basis": "because"}, "lawful_basis", "Select the lawful basis for sharing"),
        ({"reason": "   "}, "reason", "Enter why you are sharing the case with this agency"),
    ],
    ids=["no-parts", "unknown-part", "no-end", "ended-yesterday", "13-months", "no-basis", "bad-basis", "no-reason"],
)
def test_a_share_is_refused_with_a_clear_error(
    officer: User, council: Agency, overrides: dict[str, Any], field: str, words: str
) -> None:
    errors = _field_errors(lambda: _share(officer, _case(officer), council, **overrides))
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not CaseShare.objects.exists()
    assert not Disclosure.objects.exists()


@time_machine.travel(LONDON_NOON, tick=False)
def test_a_share_may_end_today_or_exactly_twelve_months_ahead(officer: User, council: Agency) -> None:
    today = _share(officer, _case(officer), council, ends_on=dt.date(2026, 6, 15))
    latest = _share(officer, _case(officer), council, ends_on=dt.date(2027, 6, 15))
    assert (today.ends_on, latest.ends_on) == (dt.date(2026, 6, 15), dt.date(2027, 6, 15))


def test_twelve_months_from_a_leap_day_is_the_last_day_of_february() -> None:
    assert share_latest_end(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert share_latest_end(dt.date(2026, 8, 31)) == dt.date(2027, 8, 31)


@time_machine.travel(LONDON_NOON, tick=False)
def test_how_far_ahead_a_share_may_end_is_a_setting(officer: User, council: Agency, settings: Settings) -> None:
    settings.SHARE_MAX_MONTHS = 3
    errors = _field_errors(lambda: _share(officer, _case(officer), council, ends_on=dt.date(2026, 9, 16)))
    assert "no more than 3 months from today (on or before 15 September 2026)" in errors["ends_on"][0]
    assert _share(officer, _case(officer), council, ends_on=dt.date(2026, 9, 15)).pk


@pytest.mark.parametrize("sensitivity", [Sensitivity.DA, Sensitivity.RESTRICTED])
def test_a_da_or_restricted_case_is_shared_only_with_an_agency_entitled_to_da_information(
    make_staff: Callable[..., User], council: Agency, idva: Agency, sensitivity: str
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case_type = CaseType.DA if sensitivity == Sensitivity.DA else CaseType.ASB
    case = _case(specialist, case_type=case_type, sensitivity=sensitivity)

    errors = _field_errors(lambda: _share(specialist, case, council))

    kind = "domestic abuse" if sensitivity == Sensitivity.DA else "restricted"
    assert errors == {
        "agency": [
            f"This is a {kind} case: share it only with an agency entitled to domestic abuse information. "
            "Example Council ASB Team is not"
        ]
    }
    assert _share(specialist, case, idva, lawful_basis=LawfulBasis.VITAL_INTERESTS).agency == idva


def test_an_inactive_agency_or_none_is_refused(officer: User) -> None:
    closed = AgencyFactory.create(name="Old Mediation Service", active=False)
    errors = _field_errors(lambda: _share(officer, _case(officer), closed))
    assert errors["agency"] == [
        "Old Mediation Service is no longer active in the agency directory: choose another agency"
    ]
    assert _field_errors(lambda: _share(officer, _case(officer), None))["agency"] == [
        "Select the agency to share the case with"
    ]


@time_machine.travel(LONDON_NOON, tick=False)
def test_the_agreement_must_include_the_agency_be_in_force_and_outlast_the_share(
    officer: User, council: Agency, idva: Agency
) -> None:
    def agreement(name: str, *, starts_on: dt.date, ends_on: dt.date | None, agencies: list[Agency]) -> Any:
        made = SharingAgreement.objects.create(
            name=name,
            purpose="Tackling ASB",
            data_shared="Case summaries",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            starts_on=starts_on,
            review_on=starts_on,
            ends_on=ends_on,
            created_by=officer,
        )
        made.agencies.set(agencies)
        return made

    idva_only = agreement("IDVA protocol", starts_on=dt.date(2026, 1, 1), ends_on=None, agencies=[idva])
    ended = agreement(
        "Old ASB protocol", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 6, 14), agencies=[council]
    )
    future = agreement("New ASB protocol", starts_on=dt.date(2026, 7, 1), ends_on=None, agencies=[council])
    short = agreement("ASB protocol", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30), agencies=[council])

    def errors(chosen: Any, **overrides: Any) -> dict[str, list[str]]:
        return _field_errors(lambda: _share(officer, _case(officer), council, agreement=chosen, **overrides))

    assert errors(idva_only) == {
        "agreement": ["IDVA protocol does not include Example Council ASB Team: choose another agreement or none"]
    }
    assert errors(ended) == {"agreement": ["Old ASB protocol ended on 14 June 2026: choose an agreement in force"]}
    assert errors(future) == {"agreement": ["New ASB protocol starts on 1 July 2026: it is not in force yet"]}
    assert errors(short, ends_on=dt.date(2026, 7, 1)) == {
        "ends_on": ["The share must end on or before the day the agreement ends (30 June 2026)"]
    }
    share = _share(officer, _case(officer), council, agreement=short, ends_on=dt.date(2026, 6, 30))
    assert Disclosure.objects.get(share=share).agreement == short


def test_one_active_share_per_agency_until_it_is_withdrawn(officer: User, council: Agency, idva: Agency) -> None:
    case = _case(officer)
    first = _share(officer, case, council)
    errors = _field_errors(lambda: _share(officer, case, council, parts=[SharePart.DOCUMENTS]))
    assert "already shared with Example Council ASB Team until" in errors["agency"][0]
    assert _share(officer, case, idva).pk  # another agency is another share

    share_withdraw(actor=officer, share=first, reason="Shared the wrong parts")
    assert _share(officer, case, council, parts=[SharePart.DOCUMENTS]).parts == ["documents"]


def test_a_closed_case_is_not_shared(officer: User, council: Agency) -> None:
    case = force_status(_case(officer), Status.CLOSED, outcome="resolved")
    with pytest.raises(DomainError, match="This case is closed"):
        _share(officer, case, council)


def test_a_case_the_actor_cannot_see_is_404(make_staff: Callable[..., User], officer: User, council: Agency) -> None:
    stranger = make_staff(Role.OFFICER, username="other_officer", team=None)
    with pytest.raises(Http404):
        _share(stranger, _case(officer), council)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.ADMIN])
def test_roles_without_the_permission_cannot_share(
    make_staff: Callable[..., User], officer: User, council: Agency, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        _share(make_staff(role), _case(officer), council)


def test_withdrawing_needs_a_reason_and_is_audited(officer: User, council: Agency) -> None:
    share = _share(officer, _case(officer), council)
    assert _field_errors(lambda: share_withdraw(actor=officer, share=share, reason=" ")) == {
        "reason": ["Enter why you are withdrawing the share"]
    }

    share_withdraw(actor=officer, share=share, reason="The council closed its case")

    share.refresh_from_db()
    assert (share.withdrawn_by, share.withdrawn_reason) == (officer, "The council closed its case")
    assert not share_is_active(share)
    event = AuditEvent.objects.get(verb=AuditVerb.SHARE_WITHDRAWN)
    assert event.reason == "The council closed its case"
    with pytest.raises(DomainError, match="already been withdrawn"):
        share_withdraw(actor=officer, share=share, reason="Again")


def test_a_share_can_be_withdrawn_after_the_case_closed_but_not_after_it_ended(officer: User, council: Agency) -> None:
    case = _case(officer)
    share = _share(officer, case, council)
    force_status(case, Status.CLOSED, outcome="resolved")
    share_withdraw(actor=officer, share=share, reason="Case closed")
    ended = CaseShareFactory.create(case=case, agency=council, ends_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="there is nothing to withdraw"):
        share_withdraw(actor=officer, share=ended, reason="Tidy up")


@pytest.mark.parametrize(
    ("moment", "active"),
    [
        (dt.datetime(2026, 6, 30, 22, 59, 59, tzinfo=dt.UTC), True),  # 23:59:59 BST on the last day
        (dt.datetime(2026, 6, 30, 23, 0, 0, tzinfo=dt.UTC), False),  # midnight BST: 1 July in London
    ],
)
def test_a_share_ends_at_midnight_london_time_in_summer(officer: User, moment: dt.datetime, active: bool) -> None:
    share = CaseShareFactory.build(
        ends_on=dt.date(2026, 6, 30), starts_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC), withdrawn_at=None
    )
    assert share_is_active(share, now=moment) is active
    assert share_state(share, now=moment) == ("active" if active else "ended")


@pytest.mark.parametrize(
    ("moment", "active"),
    [
        (dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC), True),  # GMT: London and UTC agree
        (dt.datetime(2027, 1, 1, 0, 0, 0, tzinfo=dt.UTC), False),
    ],
)
def test_a_share_ends_at_midnight_london_time_in_winter(moment: dt.datetime, active: bool) -> None:
    share = CaseShareFactory.build(
        ends_on=dt.date(2026, 12, 31), starts_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), withdrawn_at=None
    )
    assert share_is_active(share, now=moment) is active


def test_a_share_not_yet_started_is_not_active() -> None:
    now = timezone.now()
    share = CaseShareFactory.build(
        starts_at=now + dt.timedelta(hours=1), ends_on=timezone.localdate(), withdrawn_at=None
    )
    assert not share_is_active(share, now=now)
    assert share_state(share, now=now) == "not_started"
