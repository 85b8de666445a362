"""Support offers (issue 15 item 4): offered to anyone on the case, accepted or declined with a reason and a date to
offer again (28 days unless changed), the outcome of accepted support; the prompt to offer again; the monthly counts;
the pages and who may use them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.timeline import case_timeline
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import SupportKind, SupportOffer, SupportStatus
from saferhomes.referrals.selectors.support import case_support_offers, support_due_again, support_offer_counts
from saferhomes.referrals.services.support import support_decide, support_offer, support_record_outcome
from tests.access.surfaces import CaseSurface
from tests.cases.factories import PartyFactory
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.referrals.referral_helpers import council_agency, working_case

pytestmark = pytest.mark.django_db
P = "Partnership"

OFFERED = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 4, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def case(officer: User) -> Case:
    return working_case(officer, received_at=OFFERED - dt.timedelta(days=1))


def _party(case: Case, role: str = PartyRole.ALLEGED_PERPETRATOR, **fields: Any) -> Party:
    party: Party = PartyFactory.create(case=case, role=role, first_name="Sam", last_name="Example", **fields)
    return party


def _refused(call: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def _offer(officer: User, case: Case, **fields: Any) -> SupportOffer:
    fields.setdefault("party", _party(case))
    fields.setdefault("kind", SupportKind.DRUG_ALCOHOL)
    return support_offer(actor=officer, case=case, offered_at=OFFERED, **fields)


# Services ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [PartyRole.VICTIM, PartyRole.WITNESS, PartyRole.ALLEGED_PERPETRATOR])
def test_support_is_offered_to_anyone_on_the_case_and_audited(officer: User, case: Case, role: str) -> None:
    agency = council_agency()
    offer = _offer(officer, case, party=_party(case, role), agency=agency)
    assert (offer.status, offer.agency, offer.offered_at, offer.created_by) == (
        SupportStatus.OFFERED,
        agency,
        OFFERED,
        officer,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.SUPPORT_OFFERED)
    assert event.object_label == f"{case.reference}: Drug and alcohol support offered"


def test_an_offer_needs_someone_on_this_case_a_kind_and_a_sensible_date(officer: User, case: Case) -> None:
    stranger = _party(working_case(officer))
    error = _refused(
        lambda: support_offer(
            actor=officer, case=case, party=stranger, kind="magic", offered_at=NOW + dt.timedelta(hours=1)
        )
    )
    assert error.field_errors == {
        "party": ["Select who was offered support: someone on this case"],
        "kind": ["Select the kind of support offered"],
        "offered_at": ["The date it was offered must be today or in the past"],
    }
    sam = _party(case)
    too_early = OFFERED - dt.timedelta(days=2)
    early = _refused(
        lambda: support_offer(actor=officer, case=case, party=sam, kind=SupportKind.OTHER, offered_at=too_early)
    )
    assert early.field_errors["offered_at"] == [
        "The date it was offered must be on or after the report was received (1 March 2026 at 10:00)"
    ]
    inactive = council_agency(active=False)
    gone = _refused(lambda: _offer(officer, case, agency=inactive))
    assert gone.field_errors["agency"] == [
        "Example Council ASB Team is no longer an active agency in the directory: choose another"
    ]


def test_declined_needs_a_reason_and_is_offered_again_after_28_days_unless_changed(officer: User, case: Case) -> None:
    offer = _offer(officer, case)
    missing = _refused(lambda: support_decide(actor=officer, offer=offer, accepted=False))
    assert missing.field_errors["declined_reason"] == ["Enter why they declined the support"]
    unanswered = _refused(lambda: support_decide(actor=officer, offer=offer, accepted=None))
    assert unanswered.field_errors["accepted"] == ["Select whether they accepted or declined the support"]
    same_day = _refused(
        lambda: support_decide(
            actor=officer, offer=offer, accepted=False, declined_reason="Not ready", offer_again_on=dt.date(2026, 3, 4)
        )
    )
    assert same_day.field_errors["offer_again_on"] == [
        "The date to offer support again must be after the day they declined"
    ]
    declined = support_decide(actor=officer, offer=offer, accepted=False, declined_reason="Says he does not need it")
    assert (declined.status, declined.decided_at, declined.offer_again_on) == (
        SupportStatus.DECLINED,
        NOW,
        dt.date(2026, 4, 1),
    )
    event = AuditEvent.objects.get(verb=AuditVerb.SUPPORT_DECIDED)
    assert event.reason == "Says he does not need it"
    again = _refused(lambda: support_decide(actor=officer, offer=declined, accepted=True))
    assert again.messages == [
        "Their answer is already recorded (declined on 4 March 2026): offer support again to ask anew"
    ]
    other = _offer(officer, case, kind=SupportKind.MENTAL_HEALTH)
    chosen = support_decide(
        actor=officer, offer=other, accepted=False, declined_reason="Busy", offer_again_on=dt.date(2026, 3, 20)
    )
    assert chosen.offer_again_on == dt.date(2026, 3, 20)


def test_an_answer_cannot_come_before_the_offer(officer: User, case: Case) -> None:
    offer = _offer(officer, case)
    error = _refused(
        lambda: support_decide(actor=officer, offer=offer, accepted=True, decided_at=OFFERED - dt.timedelta(hours=1))
    )
    assert error.field_errors["decided_at"] == [
        "The date they answered must be on or after the support was offered (2 March 2026 at 10:00)"
    ]


def test_the_outcome_is_recorded_once_for_accepted_support_only(officer: User, case: Case) -> None:
    offer = _offer(officer, case)
    waiting = _refused(lambda: support_record_outcome(actor=officer, offer=offer, outcome="Engaged"))
    assert waiting.messages == ["Only support that was accepted has an outcome: record their answer first"]
    support_decide(actor=officer, offer=offer, accepted=True, decided_at=OFFERED + dt.timedelta(hours=1))
    empty = _refused(lambda: support_record_outcome(actor=officer, offer=offer, outcome=" "))
    assert empty.field_errors["outcome"] == ["Enter what came of the support"]
    done = support_record_outcome(actor=officer, offer=offer, outcome="Attended six sessions")
    assert (done.outcome, done.outcome_at) == ("Attended six sessions", NOW)
    assert AuditEvent.objects.filter(verb=AuditVerb.SUPPORT_OUTCOME, object_id=str(offer.pk)).count() == 1
    twice = _refused(lambda: support_record_outcome(actor=officer, offer=offer, outcome="Again"))
    assert twice.messages == ["The outcome is already recorded (4 March 2026 at 15:00)"]


def test_only_staff_who_work_the_case_may_offer(officer: User, case: Case, make_staff: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        _offer(make_staff(Role.DPO), case)
    with pytest.raises(Http404):
        _offer(make_staff(Role.OFFICER, username="stranger"), case)
    closed = working_case(officer, status="closed")
    error = _refused(lambda: _offer(officer, closed))
    assert error.messages == ["This case is closed. Reopen it before recording anything new on it."]


# Offer again -------------------------------------------------------------------------------------------------------


def test_a_refusal_is_due_to_be_offered_again_on_its_date_until_offered_again(officer: User, case: Case) -> None:
    sam = _party(case)
    offer = _offer(officer, case, party=sam)
    support_decide(
        actor=officer, offer=offer, accepted=False, declined_reason="Not ready", offer_again_on=dt.date(2026, 3, 10)
    )
    offers = case_support_offers(case=case)
    assert support_due_again(offers, today=dt.date(2026, 3, 9)) == []
    assert support_due_again(offers, today=dt.date(2026, 3, 10)) == [offer]
    _offer(officer, case, party=sam, kind=SupportKind.MENTAL_HEALTH)  # other support does not count
    assert support_due_again(case_support_offers(case=case), today=dt.date(2026, 3, 10)) == [offer]
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        support_offer(actor=officer, case=case, party=sam, kind=SupportKind.DRUG_ALCOHOL)
    assert support_due_again(case_support_offers(case=case), today=dt.date(2026, 3, 10)) == []


def test_the_tab_prompts_to_offer_again_and_the_link_fills_the_form_in(officer: User, case: Case) -> None:
    sam = _party(case)
    agency = council_agency()
    offer = _offer(officer, case, party=sam, agency=agency)
    support_decide(
        actor=officer,
        offer=offer,
        accepted=False,
        declined_reason="Not ready",
        offer_again_on=dt.date(2026, 3, 4),
        decided_at=OFFERED + dt.timedelta(hours=1),
    )
    client = client_verified_as(officer)
    page = _text(client.get(f"/staff/cases/{case.reference}/partnership/"))
    assert "Offer support again to Sam Example: drug and alcohol (declined on 2 March 2026)." in page
    link = f"/staff/cases/{case.reference}/partnership/support/new/"
    link += f"?party={sam.pk}&amp;kind=drug_alcohol&amp;agency={agency.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(rf'value="{sam.pk}"[^>]*checked', form)
    assert re.search(r'<option value="drug_alcohol" selected', form)


# Pages ---------------------------------------------------------------------------------------------------------------


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _moment(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}_on_0": "4",
        f"{prefix}_on_1": "3",
        f"{prefix}_on_2": "2026",
        f"{prefix}_time": "14:00",
    }


def test_offering_answering_and_recording_the_outcome_on_the_pages(officer: User, case: Case) -> None:
    sam = _party(case, PartyRole.WITNESS)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/partnership/support"
    refused = client.post(f"{url}/new/", {"party": str(sam.pk), "kind": ""} | _moment("offered"))
    assert "Select the kind of support offered" in _text(refused)
    made = client.post(f"{url}/new/", {"party": str(sam.pk), "kind": "victim_support"} | _moment("offered"))
    assert made.status_code == 302
    assert made["Location"].endswith("#support")
    offer = SupportOffer.objects.get()
    page = _text(client.get(f"/staff/cases/{case.reference}/partnership/"))
    assert "Waiting for an answer" in page
    assert "Victim support" in page
    no_reason = client.post(f"{url}/{offer.pk}/answer/", {"answer": "declined"} | _moment("decided"))
    assert "Enter why they declined the support" in _text(no_reason)
    declined = client.post(
        f"{url}/{offer.pk}/answer/",
        {"answer": "declined", "declined_reason": "Moving away", "offer_again_on_0": "1", "offer_again_on_1": "4"}
        | {"offer_again_on_2": "2026"}
        | _moment("decided"),
    )
    assert declined.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.declined_reason, offer.offer_again_on) == (
        "declined",
        "Moving away",
        dt.date(2026, 4, 1),
    )
    assert client.get(f"{url}/{offer.pk}/answer/").status_code == 302  # already answered
    second = support_offer(actor=officer, case=case, party=sam, kind=SupportKind.MEDIATION, offered_at=OFFERED)
    assert client.post(f"{url}/{second.pk}/answer/", {"answer": "accepted"} | _moment("decided")).status_code == 302
    done = client.post(f"{url}/{second.pk}/outcome/", {"outcome": "Mediation agreed"} | _moment("outcome"))
    assert done.status_code == 302
    page = _text(client.get(f"/staff/cases/{case.reference}/partnership/"))
    assert "Mediation agreed" in page
    assert "Moving away" in page


SUPPORT_FORM = CaseSurface(P, "Offer support", "GET", "/staff/cases/{ref}/partnership/support/new/", "cases.work_case")
SUPPORT_POST = CaseSurface(
    P, "Offer support (post)", "POST", "/staff/cases/{ref}/partnership/support/new/", "cases.work_case", ok=302
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), SUPPORT_FORM.params())
def test_the_support_pages_follow_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, received_at=OFFERED)
    party = _party(case, PartyRole.VICTIM)
    client = client_verified_as(user)
    url = SUPPORT_FORM.url(ref=case.reference)
    assert client.get(url).status_code == SUPPORT_FORM.expected(role, sensitivity, relation)
    form = {"party": str(party.pk), "kind": "victim_support"} | _moment("offered")
    posted = client.post(SUPPORT_POST.url(ref=case.reference), form)
    assert posted.status_code == SUPPORT_POST.expected(role, sensitivity, relation)


# The monthly counts and the timeline ---------------------------------------------------------------------------------


def test_support_offer_counts_by_kind_and_status(officer: User, case: Case, make_staff: Callable[..., User]) -> None:
    sam = _party(case)
    accepted = _offer(officer, case, party=sam)
    support_decide(actor=officer, offer=accepted, accepted=True)
    declined = _offer(officer, case, party=sam)
    support_decide(actor=officer, offer=declined, accepted=False, declined_reason="No")
    _offer(officer, case, party=sam, kind=SupportKind.MENTAL_HEALTH)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC), tick=False):
        support_offer(actor=officer, case=case, party=sam, kind=SupportKind.MENTAL_HEALTH)  # April
    manager = make_staff(Role.MANAGER)
    counts = support_offer_counts(actor=manager, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    by_kind = {row.kind: row for row in counts.by_kind}
    assert list(by_kind) == list(SupportKind.values)
    drugs = by_kind[SupportKind.DRUG_ALCOHOL]
    assert (drugs.offered, drugs.accepted, drugs.declined, drugs.waiting) == (2, 1, 1, 0)
    assert (by_kind[SupportKind.MENTAL_HEALTH].offered, by_kind[SupportKind.MENTAL_HEALTH].waiting) == (1, 1)
    assert (counts.total.offered, counts.total.accepted, counts.total.declined, counts.total.waiting) == (3, 1, 1, 1)
    stranger = make_staff(Role.OFFICER, username="stranger")
    assert support_offer_counts(actor=stranger, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)).total.offered == 0


def test_referrals_and_support_are_on_the_timeline(officer: User, case: Case) -> None:
    offer = _offer(officer, case)
    support_decide(actor=officer, offer=offer, accepted=False, declined_reason="Not ready")
    titles = [entry.title for entry in case_timeline(case=case, kinds=["referrals"])]
    assert titles == [
        "Sam Example declined drug and alcohol support",
        "Drug and alcohol support offered to Sam Example",
    ]
    entry = case_timeline(case=case, kinds=["referrals"])[0]
    assert entry.kind_label == "Partnership"
    assert entry.details == ["Reason: Not ready", "Offer again on 1 April 2026"]
