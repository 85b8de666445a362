"""Making a referral and recording what became of it: every refusal with its message, the disclosure and audit rows,
the police clock, optimistic locking, and an outstanding referral blocking closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, Sensitivity
from saferhomes.cases.rules import FixAt
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Consent, Disclosure, DisclosureSource, LawfulBasis, ReferralKind
from saferhomes.referrals.services.referrals import (
    referral_acknowledge,
    referral_record_outcome,
    referral_withdraw,
)
from tests.referrals.referral_helpers import (
    council_agency,
    make_referral,
    police_agency,
    prompt_shown,
    working_case,
)

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # Monday
PROMPTED = dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)
FORMAT = "4 to 30 letters, numbers, spaces, / or -, with at least one number"


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _case(officer: User, **fields: Any) -> Any:
    return working_case(officer, received_at=RECEIVED, **fields)


def _refused(call: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_police_referral_is_recorded_with_its_disclosure_and_audit(officer: User) -> None:
    case, police = _case(officer), police_agency()
    referral = make_referral(officer, case, police, sent_at=NOW - dt.timedelta(hours=2))
    assert (referral.kind, referral.crime_reference, referral.created_by) == ("police", "13/123456/26", officer)
    assert referral.outstanding
    assert referral.version == 1
    disclosure = Disclosure.objects.get()
    assert (disclosure.source, disclosure.referral, disclosure.case, disclosure.agency) == (
        DisclosureSource.REFERRAL,
        referral,
        case,
        police,
    )
    assert disclosure.what == "Reporter's name and phone number; the incidents recorded since March"
    assert disclosure.lawful_basis == LawfulBasis.PUBLIC_TASK
    made = AuditEvent.objects.get(verb=AuditVerb.REFERRAL_MADE)
    assert made.after is not None
    assert made.object_id == str(referral.pk)
    assert made.object_label == f"{case.reference}: Police (crime or incident report) referral to {police.name}"
    assert made.after["crime_reference"] == "13/123456/26"
    assert AuditEvent.objects.filter(verb=AuditVerb.DISCLOSURE_RECORDED).count() == 1
    case.refresh_from_db()
    assert case.version == 1  # a referral bumps nothing else


def test_the_sent_time_defaults_to_now(officer: User) -> None:
    referral = make_referral(officer, _case(officer), police_agency())
    assert referral.sent_at == NOW


# Refusals ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lawful_basis": ""}, "lawful_basis", "Select the lawful basis for sharing the information"),
        ({"consent": ""}, "consent", "Select whether consent was given, refused or not sought"),
        (
            {"consent": Consent.REFUSED, "lawful_basis": LawfulBasis.CONSENT},
            "lawful_basis",
            "Consent was refused, so consent cannot be the lawful basis: select the basis you rely on instead "
            "(for example, vital interests or public task)",
        ),
        (
            {"consent": Consent.NOT_SOUGHT, "consent_note": "  "},
            "consent_note",
            "Say why consent was not sought",
        ),
        (
            {"crime_reference": ""},
            "crime_reference",
            "Enter the crime or incident reference number the police gave you",
        ),
        ({"reason": " "}, "reason", "Enter why you are referring the case"),
        ({"information_shared": ""}, "information_shared", "Enter what information you shared with the agency"),
        ({"kind": "telepathy"}, "kind", "Select what kind of referral this is"),
        ({"agency": None}, "agency", "Select the agency you referred the case to"),
    ],
)
def test_a_referral_without_what_the_record_needs_is_refused(
    officer: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    case, police = _case(officer), police_agency()
    agency = overrides.pop("agency", police)
    error = _refused(lambda: make_referral(officer, case, agency, **overrides))
    assert error.field_errors[field] == [message]
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    "reference",
    [
        "123",  # too short
        "ABCD",  # no number
        "////",  # only punctuation
        "--- /",
        "13/123\x00456",  # a control character
        "13/123456\t26",
        "13_123456_26",  # other punctuation
        "13.123456.26",
        "\uff11\uff13/\uff11\uff12\uff13\uff14",  # full-width digits are not what a force writes
        "1" * 31,  # too long
    ],
)
def test_a_crime_reference_in_an_impossible_format_is_refused(officer: User, reference: str) -> None:
    case, police = _case(officer), police_agency()
    error = _refused(lambda: make_referral(officer, case, police, crime_reference=reference))
    assert FORMAT in error.field_errors["crime_reference"][0]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13/123456/26", "13/123456/26"),
        ("CRI-2026-001234", "CRI-2026-001234"),
        ("1234 12/03/26", "1234 12/03/26"),
        ("  NPT2600123  ", "NPT2600123"),
        ("1234   12/03/26", "1234 12/03/26"),
        ("ab12", "ab12"),
        ("1" * 30, "1" * 30),
    ],
)
def test_crime_references_in_the_formats_forces_use_are_kept(officer: User, typed: str, kept: str) -> None:
    referral = make_referral(officer, _case(officer), police_agency(), crime_reference=typed)
    assert referral.crime_reference == kept


def test_a_police_referral_goes_only_to_the_police(officer: User) -> None:
    council = council_agency()
    error = _refused(lambda: make_referral(officer, _case(officer), council))
    assert error.field_errors["agency"] == [
        "A police referral goes to the police: Example Council ASB Team is not a police force or team"
    ]


def test_an_inactive_agency_is_refused(officer: User) -> None:
    council = council_agency(active=False)
    error = _refused(lambda: make_referral(officer, _case(officer), council, kind=ReferralKind.SUPPORT))
    assert error.field_errors["agency"] == [
        "Example Council ASB Team is no longer an active agency in the directory: choose another"
    ]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"case_type": CaseType.DA}, "This is a domestic abuse case"),
        ({"sensitivity": Sensitivity.RESTRICTED}, "This case is restricted"),
    ],
)
def test_a_da_or_restricted_case_goes_only_to_an_agency_entitled_to_da_information(
    make_staff: Callable[..., User], fields: dict[str, Any], words: str
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = _case(specialist, **fields)
    if fields.get("sensitivity") == Sensitivity.RESTRICTED:
        case.restricted_to.add(specialist)
    error = _refused(lambda: make_referral(specialist, case, council_agency(), kind=ReferralKind.SUPPORT))
    assert error.field_errors["agency"] == [
        f"{words}: refer it only to an agency entitled to domestic abuse information, which Example Council ASB Team "
        "is not"
    ]
    allowed = council_agency(code="idva", name="Example IDVA Service", handles_da=True)
    assert make_referral(specialist, case, allowed, kind=ReferralKind.SUPPORT).agency == allowed


def test_a_referral_sent_in_the_future_or_before_the_report_is_refused(officer: User) -> None:
    case, police = _case(officer), police_agency()
    future = _refused(lambda: make_referral(officer, case, police, sent_at=NOW + dt.timedelta(minutes=1)))
    assert future.field_errors["sent_at"] == ["The date and time the referral was sent must be now or in the past"]
    early = _refused(lambda: make_referral(officer, case, police, sent_at=RECEIVED - dt.timedelta(minutes=1)))
    assert early.field_errors["sent_at"] == [
        "The referral must have been sent on or after the report was received (2 March 2026 at 09:00)"
    ]


def test_several_problems_are_reported_together(officer: User) -> None:
    error = _refused(
        lambda: make_referral(
            officer, _case(officer), police_agency(), lawful_basis="", consent="", crime_reference="x"
        )
    )
    assert set(error.field_errors) == {"lawful_basis", "consent", "crime_reference"}


def test_a_case_the_actor_cannot_see_is_404_and_a_closed_case_is_refused(
    officer: User, make_staff: Callable[..., User]
) -> None:
    stranger = make_staff(Role.OFFICER, username="stranger")
    case, police = _case(officer), police_agency()
    with pytest.raises(Http404):
        make_referral(stranger, case, police)
    closed = _case(officer, status="closed")
    error = _refused(lambda: make_referral(officer, closed, police))
    assert error.messages == ["This case is closed. Reopen it before recording anything new on it."]
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("role", [Role.DPO, Role.ADMIN, Role.PARTNER])
def test_roles_without_the_permission_cannot_refer(make_staff: Callable[..., User], officer: User, role: str) -> None:
    with pytest.raises(PermissionDenied):
        make_referral(make_staff(role), _case(officer), police_agency())


# The police clock --------------------------------------------------------------------------------------------------


def test_a_police_referral_is_timed_from_the_prompt_at_triage(officer: User) -> None:
    case = _case(officer)
    with time_machine.travel(PROMPTED, tick=False):
        prompt_shown(officer, case, prompts=("case_review",))  # another prompt does not start the clock
    with time_machine.travel(PROMPTED + dt.timedelta(hours=1), tick=False):
        prompt_shown(officer, case)
    with time_machine.travel(PROMPTED + dt.timedelta(hours=2), tick=False):
        prompt_shown(officer, case)  # shown again later: the first time counts
    referral = make_referral(officer, case, police_agency())
    assert referral.clock_started_at == PROMPTED + dt.timedelta(hours=1)


def test_without_a_prompt_the_clock_starts_when_the_report_was_received(officer: User) -> None:
    case = _case(officer)
    assert make_referral(officer, case, police_agency()).clock_started_at == RECEIVED
    other = make_referral(officer, case, council_agency(), kind=ReferralKind.SUPPORT, crime_reference="")
    assert other.clock_started_at == RECEIVED


def test_a_referral_sent_before_the_prompt_is_timed_from_the_receipt(officer: User) -> None:
    case = _case(officer)
    with time_machine.travel(PROMPTED, tick=False):
        prompt_shown(officer, case)
    referral = make_referral(officer, case, police_agency(), sent_at=RECEIVED + dt.timedelta(hours=1))
    assert referral.clock_started_at == RECEIVED


# What became of it ---------------------------------------------------------------------------------------------------


def test_acknowledgement_is_recorded_once_audited_and_version_checked(officer: User) -> None:
    referral = make_referral(officer, _case(officer), police_agency(), sent_at=NOW - dt.timedelta(days=1))
    stale = _refused(lambda: referral_acknowledge(actor=officer, referral=referral, version=7))
    assert "Someone else changed this referral" in stale.messages[0]
    early = _refused(
        lambda: referral_acknowledge(actor=officer, referral=referral, acknowledged_at=NOW - dt.timedelta(days=2))
    )
    assert early.field_errors["acknowledged_at"] == [
        "The date and time it was acknowledged must be on or after the referral was sent (3 March 2026 at 15:00)"
    ]
    later = _refused(
        lambda: referral_acknowledge(actor=officer, referral=referral, acknowledged_at=NOW + dt.timedelta(hours=1))
    )
    assert later.field_errors["acknowledged_at"] == ["The date and time it was acknowledged must be now or in the past"]
    done = referral_acknowledge(actor=officer, referral=referral, version=1)
    assert (done.acknowledged_at, done.version) == (NOW, 2)
    event = AuditEvent.objects.get(verb=AuditVerb.REFERRAL_ACKNOWLEDGED)
    assert ((event.before or {}).get("acknowledged_at"), (event.after or {}).get("version")) == (None, 2)
    again = _refused(lambda: referral_acknowledge(actor=officer, referral=referral))
    assert again.messages == ["The agency's acknowledgement is already recorded (4 March 2026 at 15:00)"]


def test_an_outcome_needs_words_and_ends_the_referral(officer: User) -> None:
    referral = make_referral(officer, _case(officer), police_agency(), sent_at=NOW - dt.timedelta(days=1))
    empty = _refused(lambda: referral_record_outcome(actor=officer, referral=referral, outcome="  "))
    assert empty.field_errors["outcome"] == ["Enter what came of the referral"]
    done = referral_record_outcome(actor=officer, referral=referral, outcome="Crime recorded; suspect interviewed")
    assert not done.outstanding
    assert done.outcome_at == NOW
    assert AuditEvent.objects.filter(verb=AuditVerb.REFERRAL_OUTCOME, object_id=str(referral.pk)).exists()
    after = _refused(lambda: referral_acknowledge(actor=officer, referral=done))
    assert after.messages == ["This referral's outcome was recorded on 4 March 2026 at 15:00"]


def test_withdrawing_needs_a_reason(officer: User) -> None:
    referral = make_referral(officer, _case(officer), police_agency())
    error = _refused(lambda: referral_withdraw(actor=officer, referral=referral, reason=""))
    assert error.field_errors["reason"] == ["Enter why the referral is withdrawn"]
    done = referral_withdraw(actor=officer, referral=referral, reason="Sent to the wrong team", version=1)
    assert (done.withdrawn_reason, done.withdrawn_at, done.version) == ("Sent to the wrong team", NOW, 2)
    event = AuditEvent.objects.get(verb=AuditVerb.REFERRAL_WITHDRAWN)
    assert event.reason == "Sent to the wrong team"
    again = _refused(lambda: referral_withdraw(actor=officer, referral=done, reason="Again"))
    assert again.messages == ["This referral was withdrawn on 4 March 2026 at 15:00: nothing more can be recorded"]


def test_someone_who_cannot_see_the_case_cannot_change_its_referral(
    officer: User, make_staff: Callable[..., User]
) -> None:
    referral = make_referral(officer, _case(officer), police_agency())
    with pytest.raises(Http404):
        referral_acknowledge(actor=make_staff(Role.OFFICER, username="stranger"), referral=referral)


# Closure -------------------------------------------------------------------------------------------------------------


def _referral_blockers(case: Any) -> list[Any]:
    return [blocker for blocker in case_closure_blockers(case=case) if blocker.code == "referral_outstanding"]


def test_an_outstanding_referral_blocks_closure_until_its_outcome_or_withdrawal(officer: User) -> None:
    case = _case(officer)
    assert _referral_blockers(case) == []
    police = make_referral(officer, case, police_agency(), sent_at=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC))
    support = make_referral(officer, case, council_agency(), kind=ReferralKind.SUPPORT, crime_reference="")
    blockers = _referral_blockers(case)
    assert [blocker.message for blocker in blockers] == [
        "The police referral to Example Police Neighbourhood Team sent on 3 March 2026 is outstanding: record its "
        "outcome, or withdraw it with a reason",
        "The support service referral to Example Council ASB Team sent on 4 March 2026 is outstanding: record its "
        "outcome, or withdraw it with a reason",
    ]
    assert {blocker.fix_at for blocker in blockers} == {FixAt.PARTNERSHIP}
    referral_acknowledge(actor=officer, referral=police)
    assert len(_referral_blockers(case)) == 2  # acknowledged is still outstanding
    referral_record_outcome(actor=officer, referral=police, outcome="No further action")
    referral_withdraw(actor=officer, referral=support, reason="The council already has the case")
    assert _referral_blockers(case) == []


def test_the_closure_page_links_the_blocker_to_the_partnership_tab(officer: User) -> None:
    from tests.conftest import client_verified_as

    case = _case(officer)
    make_referral(officer, case, police_agency())
    page = client_verified_as(officer).get(f"/staff/cases/{case.reference}/closure/").content.decode()
    assert "The police referral to Example Police Neighbourhood Team sent on 4 March 2026 is outstanding" in page
    assert f'href="/staff/cases/{case.reference}/partnership/"' in page
    assert timezone.now() == NOW
