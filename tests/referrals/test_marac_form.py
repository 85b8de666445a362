"""The MARAC referral form (issue 15 item 3): pre-filled from the case with what a MARAC coordinator needs; producing
it records the referral to the MARAC, the PDF, the disclosure and the decision's referral date together (and nothing
when any part fails), which clears the closure blocker; bad answers are refused on the form with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import (
    Consent,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    MaracForm,
    Referral,
    ReferralKind,
)
from saferhomes.referrals.selectors.marac import marac_facts
from saferhomes.referrals.services import marac as marac_service
from saferhomes.referrals.services.marac import marac_form_produce
from saferhomes.risk.models import MaracConsent
from tests.cases.factories import force_status
from tests.conftest import client_verified_as
from tests.referrals.factories import AgencyFactory
from tests.referrals.marac_helpers import NOW, TODAY, MaracExample, marac_agency, marac_example

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def at_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def specialist(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DA_SPECIALIST, first_name="Dev", last_name="Sharma", job_title="Domestic abuse specialist")


@pytest.fixture
def example(specialist: User, at_now: None) -> MaracExample:
    marac_agency()
    return marac_example(specialist)


def _page(example: MaracExample) -> str:
    return f"/staff/cases/{example.case.reference}/partnership/marac/{example.decision.pk}/"


def _produce(example: MaracExample, actor: User, **changes: object) -> MaracForm:
    answers: dict[str, object] = {
        "agency": marac_agency(),
        "reason": "Visible high risk and she fears he will return.",
        "victim_wants": "To stay in her home with the children.",
        "safety_actions": "Locks changed; sanctuary scheme referral; police told.",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "consent_note": "Asking would put her at risk: he reads her messages.",
    }
    answers.update(changes)
    return marac_form_produce(actor=actor, case=example.case, decision=example.decision, **answers)  # type: ignore[arg-type]


def _evidence_files(root: Path) -> list[Path]:
    return [path for path in (root / "evidence").rglob("*") if path.is_file()] if (root / "evidence").exists() else []


# The pre-filled facts ---------------------------------------------------------------------------------------------


def test_the_form_is_prefilled_with_what_a_marac_coordinator_needs(example: MaracExample, specialist: User) -> None:
    facts = marac_facts(case=example.case, decision=example.decision, actor=specialist, today=TODAY)

    victim = facts.victim
    assert victim is not None
    assert (victim.name, victim.date_of_birth, victim.age) == ("Amira Example", dt.date(1990, 5, 20), 35)
    assert victim.address == ["12 Example Court", "Exampleton", "EX1 2AB"]
    assert victim.phone == "07700 900123"
    assert victim.safe_contact == "Only call her mobile between 10 and 12; he checks her email"
    assert victim.safe_ways == ["Phone"]
    assert victim.never_use == ["Home visit", "Email", "Letter"]  # the case's and the register's together
    assert (victim.language, victim.interpreter) == ("Arabic", True)
    assert victim.vulnerability_categories == ["Mental health"]
    assert [(p.name, p.age, p.address) for p in facts.perpetrators] == [
        ("Mark Example", 41, ["4 Other Road", "Exampleton", "EX2 9ZZ"])
    ]
    # Under 18 on 10 March 2026: Zara (11), Rami (17, 18 tomorrow), Leo (6, on the case); Sami turned 18 today.
    assert [(c.name, c.age) for c in facts.children] == [("Rami Example", 17), ("Zara Example", 11), ("Leo Example", 6)]
    assert facts.household_age_unknown == ["Nadia Example"]
    assert (facts.risk.yes_count, facts.risk.band, facts.risk.police_callouts) == (15, "High", 1)
    assert facts.risk.grounds == ["14 or more 'yes' answers (visible high risk)"]
    assert (facts.consent, facts.consent_label) == (MaracConsent.REFUSED, "Refused consent")
    assert (facts.repeat, facts.previous_referrals) == (False, [])
    assert (facts.officer.name, facts.officer.job_title) == ("Dev Sharma", "Domestic abuse specialist")
    assert facts.suggested_reason == (
        "The Domestic abuse risk checklist (DASH-aligned) completed on 10 March 2026 with 15 'yes' answers "
        "(high risk) requires a MARAC referral on the grounds of 14 or more 'yes' answers."
    )


def test_the_page_shows_the_facts_and_starts_the_reason_from_the_assessment(
    example: MaracExample, specialist: User
) -> None:
    page = client_verified_as(specialist).get(_page(example)).content.decode()

    assert "Amira Example" in page
    assert "Never contact Amira Example by home visit or email or letter" in page
    assert "Zara Example, aged 11" in page
    assert "Refused consent" in page
    assert "requires a MARAC referral on the grounds of 14 or more" in page
    assert "Why is the referral made without the victim" in page  # consent refused: the reason is asked for
    assert re.search(r'value="public_task"\s+checked', page)  # no consent: consent is not offered as the basis


# Producing it -------------------------------------------------------------------------------------------------------


def test_producing_the_form_records_the_referral_the_disclosure_and_the_referral_date_together(
    example: MaracExample, specialist: User, evidence_dir: Path
) -> None:
    assert "marac_outstanding" in [b.code for b in case_closure_blockers(case=example.case)]
    agency = marac_agency()

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        response = client_verified_as(specialist).post(
            _page(example),
            {
                "agency": str(agency.pk),
                "reason": "Visible high risk and she fears he will return.",
                "victim_wants": "To stay in her home with the children.",
                "safety_actions": "Locks changed; sanctuary scheme referral; police told.",
                "lawful_basis": LawfulBasis.VITAL_INTERESTS,
                "consent_note": "Asking would put her at risk: he reads her messages.",
                "agreement": "",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{example.case.reference}/partnership/#marac-referral"
    referral = Referral.objects.get()
    assert (referral.case, referral.agency, referral.kind) == (example.case, agency, ReferralKind.MARAC)
    assert (referral.lawful_basis, referral.consent) == (LawfulBasis.VITAL_INTERESTS, Consent.REFUSED)
    assert referral.consent_note == "Asking would put her at risk: he reads her messages."
    assert referral.sent_at == NOW + dt.timedelta(hours=2)
    assert referral.clock_started_at == example.decision.decided_at
    form = MaracForm.objects.get()
    assert (form.referral, form.decision, form.produced_by) == (referral, example.decision, specialist)
    assert form.file.read().startswith(b"%PDF")
    assert len(_evidence_files(evidence_dir)) == 1
    disclosure = Disclosure.objects.get()
    assert (disclosure.source, disclosure.agency, disclosure.case, disclosure.referral) == (
        DisclosureSource.MARAC_FORM,
        agency,
        example.case,
        referral,
    )
    assert disclosure.reason == "Visible high risk and she fears he will return."
    example.decision.refresh_from_db()
    assert (example.decision.referral_made_on, example.decision.referral_recorded_by) == (TODAY, specialist)
    assert "marac_outstanding" not in [b.code for b in case_closure_blockers(case=example.case)]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        AuditVerb.MARAC_FORM_PRODUCED,
        AuditVerb.REFERRAL_MADE,
        AuditVerb.DISCLOSURE_RECORDED,
        AuditVerb.RISK_MARAC_REFERRAL_MADE,
    } <= verbs


def test_a_failure_drawing_the_pdf_records_nothing(
    example: MaracExample, specialist: User, monkeypatch: pytest.MonkeyPatch, evidence_dir: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("Pango is missing")

    monkeypatch.setattr(marac_service.pdf, "render_pdf", broken)
    with pytest.raises(OSError, match="Pango"):
        _produce(example, specialist)

    assert not Referral.objects.exists()
    assert not MaracForm.objects.exists()
    assert not Disclosure.objects.exists()
    example.decision.refresh_from_db()
    assert example.decision.referral_made_on is None
    assert not AuditEvent.objects.filter(verb=AuditVerb.MARAC_FORM_PRODUCED).exists()
    assert _evidence_files(evidence_dir) == []


def test_a_failure_after_the_pdf_was_stored_records_nothing_and_removes_the_file(
    example: MaracExample, specialist: User, monkeypatch: pytest.MonkeyPatch, evidence_dir: Path
) -> None:
    def refused(**kwargs: object) -> None:
        raise DomainError("The risk service said no")

    monkeypatch.setattr(marac_service, "marac_referral_made", refused)
    with pytest.raises(DomainError):
        _produce(example, specialist)

    assert not Referral.objects.exists()
    assert not MaracForm.objects.exists()
    assert not Disclosure.objects.exists()
    assert _evidence_files(evidence_dir) == []


def test_the_form_is_produced_once_per_decision(example: MaracExample, specialist: User) -> None:
    _produce(example, specialist)
    example.decision.refresh_from_db()

    with pytest.raises(DomainError, match="no referral outstanding"):
        _produce(example, specialist)
    assert Referral.objects.count() == 1


def test_a_closed_case_is_not_referred(example: MaracExample, specialist: User) -> None:
    force_status(example.case, "closed")
    example.case.refresh_from_db()

    with pytest.raises(DomainError, match="Reopen it"):
        _produce(example, specialist)
    assert not Referral.objects.exists()


def test_staff_outside_the_da_permission_set_are_told_nothing(
    example: MaracExample, make_staff: Callable[..., User]
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    with pytest.raises(Http404):
        _produce(example, coordinator)


def test_the_dpo_may_not_produce_it(example: MaracExample, make_staff: Callable[..., User]) -> None:
    dpo = make_staff(Role.DPO)
    with pytest.raises((Http404, PermissionDenied)):
        _produce(example, dpo)


# Bad answers --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lawful_basis": LawfulBasis.CONSENT}, "lawful_basis", "has not consented"),
        ({"lawful_basis": "goodwill"}, "lawful_basis", "Select the lawful basis"),
        ({"consent_note": "  "}, "consent_note", "without the victim's consent"),
        ({"reason": ""}, "reason", "Enter why the case is referred"),
        ({"safety_actions": ""}, "safety_actions", "immediate safety actions"),
        ({"reason": "x" * 5001}, "reason", "5,000 characters or fewer"),
        ({"agency": None}, "agency", "Choose the MARAC coordinator"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(
    example: MaracExample, specialist: User, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _produce(example, specialist, **changes)

    assert field in refused.value.field_errors
    assert message in refused.value.field_errors[field][0]
    assert not Referral.objects.exists()


def test_a_council_team_is_not_a_marac(example: MaracExample, specialist: User) -> None:
    council = AgencyFactory.create(code="demo-council-asb")
    with pytest.raises(DomainError) as refused:
        _produce(example, specialist, agency=council)
    assert "entitled to domestic abuse information" in refused.value.field_errors["agency"][0]


def test_consent_is_a_basis_only_when_given(specialist: User, at_now: None) -> None:
    marac_agency()
    consenting = marac_example(specialist, consent=MaracConsent.GIVEN)

    form = _produce(consenting, specialist, lawful_basis=LawfulBasis.CONSENT, consent_note="")

    assert (form.referral.lawful_basis, form.referral.consent) == (LawfulBasis.CONSENT, Consent.GIVEN)


def test_the_page_shows_errors_and_keeps_what_was_typed(example: MaracExample, specialist: User) -> None:
    agency = marac_agency()
    response = client_verified_as(specialist).post(
        _page(example),
        {
            "agency": str(agency.pk),
            "reason": "Typed by the officer",
            "safety_actions": "",
            "lawful_basis": LawfulBasis.CONSENT,
            "consent_note": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the immediate safety actions taken or planned" in page
    assert "Typed by the officer" in page
    assert not Referral.objects.exists()


# Downloading it -----------------------------------------------------------------------------------------------------


def test_the_produced_form_downloads_as_a_pdf_and_each_opening_is_audited(
    example: MaracExample, specialist: User
) -> None:
    form = _produce(example, specialist)

    response = client_verified_as(specialist).get(
        f"/staff/cases/{example.case.reference}/partnership/marac-forms/{form.pk}/"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    opened = AuditEvent.objects.get(verb=AuditVerb.MARACFORM_VIEWED)
    assert (opened.actor_id, opened.object_id) == (specialist.pk, str(form.pk))


def test_the_partnership_tab_links_the_download_once_produced(example: MaracExample, specialist: User) -> None:
    client = client_verified_as(specialist)
    before = client.get(f"/staff/cases/{example.case.reference}/partnership/").content.decode()
    assert "Produce the MARAC referral form" in before

    form = _produce(example, specialist)
    after = client.get(f"/staff/cases/{example.case.reference}/partnership/").content.decode()

    assert "Produce the MARAC referral form" not in after
    assert f"/partnership/marac-forms/{form.pk}/" in after
    assert "Exampleton MARAC coordinator" in after
