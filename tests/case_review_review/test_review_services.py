"""The review's services (issue 17 part 4): single point of contact, agencies, the panel meeting, the action plan
tracked to completion, concluding, and an appeal chaired by someone else (the service and the database refuse the
review's chair). Every write is audited; nothing is saved half-way; staff without the permission are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import (
    AccountHow,
    Appeal,
    Application,
    ApplicationStatus,
    PanelAttendee,
    RecommendationStatus,
    ReviewPanel,
)
from saferhomes.case_review.selectors.review import due_counts, due_list
from saferhomes.case_review.services import review
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency
from tests.case_review_review.helpers import conclude, days_ago, outcome_sent, record_panel
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _verbs(obj: object) -> set[str]:
    return set(AuditEvent.objects.values_list("verb", flat=True))


def test_naming_the_single_point_of_contact_sets_the_review_deadline_and_is_audited(
    met: Application, cara: User
) -> None:
    assert met.review_due_at is None
    saved = review.spoc_assign(actor=cara, application=met, spoc=cara)
    assert saved.spoc == cara
    assert saved.version == met.version + 1  # the application's optimistic lock moves on
    assert saved.review_due_at is not None
    assert saved.review_due_at > met.decided_at  # type: ignore[operator]
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_REVIEW_SPOC_ASSIGNED)
    assert event.after == {"spoc": "Cara Coordinator"}


def test_an_officer_who_cannot_run_reviews_is_refused_and_cannot_be_the_contact(
    met: Application, cara: User, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.OFFICER)
    with pytest.raises(PermissionDenied):
        review.spoc_assign(actor=officer, application=met, spoc=cara)
    with pytest.raises(DomainError) as error:
        review.spoc_assign(actor=cara, application=met, spoc=officer)
    assert "cannot run Case Reviews" in error.value.field_errors["spoc"][0]


def test_agencies_are_invited_from_the_directory_or_by_name_once_each(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    review.agency_invite(actor=cara, application=met, agency=agencies[0])
    review.agency_invite(actor=cara, application=met, name="Example Fire and Rescue")
    assert sorted(met.invitations.values_list("name", flat=True)) == [
        "Example Fire and Rescue",
        "Example Police Neighbourhood Team",
    ]
    for kwargs in ({"agency": agencies[0]}, {"name": "example fire and rescue"}):
        with pytest.raises(DomainError, match="already invited"):
            review.agency_invite(actor=cara, application=met, **kwargs)
    with pytest.raises(DomainError, match="not both"):
        review.agency_invite(actor=cara, application=met, agency=agencies[1], name="Both")
    with pytest.raises(DomainError, match="Select an agency"):
        review.agency_invite(actor=cara, application=met)


def test_nothing_happens_at_the_review_stage_of_an_application_whose_threshold_was_not_met(cara: User) -> None:
    refused = ApplicationFactory.create(not_met=True)
    with pytest.raises(DomainError, match="not at the review stage"):
        review.agency_invite(actor=cara, application=refused, name="Example Police")


def test_the_panel_meeting_is_recorded_with_its_attendees_and_the_applicants_account(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    record_panel(met, cara, agencies)
    panel = ReviewPanel.objects.get(application=met)
    assert panel.chair == cara
    assert panel.applicant_account_how == AccountHow.PHONE
    rows = [(a.name, a.role, a.agency, a.agency_name) for a in panel.attendees.all()]
    assert rows == [
        ("Cara Coordinator", "Chair", None, ""),
        ("PC Jones", "Neighbourhood officer", agencies[0], ""),
        ("Sam Lee", "Mediator", None, "Example Mediation"),
    ]
    # Corrected before the review is concluded: the attendees are replaced, not added to.
    record_panel(met, cara, agencies, held_on=days_ago(4))
    assert PanelAttendee.objects.filter(panel__application=met).count() == 3
    assert ReviewPanel.objects.get(application=met).held_on == days_ago(4)


@pytest.mark.parametrize(
    ("held_on", "field", "message"),
    [
        (None, "held_on", "Enter the date the panel met"),
        ("tomorrow", "held_on", "cannot be in the future"),
        ("before", "held_on", "cannot be before"),
    ],
)
def test_a_panel_date_must_be_real_past_and_after_the_decision(
    met: Application, cara: User, held_on: str | None, field: str, message: str
) -> None:
    dates = {
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
        "before": timezone.localtime(met.decided_at).date() - dt.timedelta(days=1),
    }
    with pytest.raises(DomainError) as error:
        review.panel_record(
            actor=cara,
            application=met,
            held_on=dates.get(held_on or ""),
            chair=cara,
            information_considered="Records",
            applicant_account="Their account",
            applicant_account_how=AccountHow.ATTENDED,
            attendees=[review.AttendeeInput(name="Cara", role="Chair")],
        )
    assert message in error.value.field_errors[field][0]
    assert not ReviewPanel.objects.exists()


def test_a_panel_needs_its_account_how_it_was_heard_and_named_attendees_all_reported_at_once(
    met: Application, cara: User
) -> None:
    with pytest.raises(DomainError) as error:
        review.panel_record(
            actor=cara,
            application=met,
            held_on=days_ago(1),
            chair=None,
            information_considered=" ",
            applicant_account="",
            applicant_account_how="shouted",
            attendees=[review.AttendeeInput(name="Somebody", role="")],
        )
    assert set(error.value.field_errors) == {
        "chair",
        "information_considered",
        "applicant_account",
        "applicant_account_how",
        "attendees",
    }
    assert not ReviewPanel.objects.exists()


def test_recommendations_need_the_panel_first_an_owner_and_a_due_date_not_before_the_meeting(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    with pytest.raises(DomainError, match="Record the panel meeting"):
        review.recommendation_add(actor=cara, application=met, text="Patrols", due_on=days_ago(-5), owner_user=cara)
    record_panel(met, cara, agencies)
    with pytest.raises(DomainError) as error:
        review.recommendation_add(actor=cara, application=met, text="Patrols", due_on=days_ago(10))
    assert set(error.value.field_errors) == {"owner_agency", "due_on"}
    item = review.recommendation_add(
        actor=cara, application=met, text="Patrols", due_on=days_ago(-5), owner_agency=agencies[0], owner_user=cara
    )
    assert item.owner_in_words == "Example Police Neighbourhood Team, Cara Coordinator"
    assert item.status == RecommendationStatus.OPEN


def test_progress_is_tracked_to_completion_with_dates_and_reasons(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    record_panel(met, cara, agencies)
    item = review.recommendation_add(
        actor=cara, application=met, text="Lighting", due_on=days_ago(-1), owner_agency_name="Example Council"
    )
    with pytest.raises(DomainError) as error:
        review.recommendation_update(actor=cara, recommendation=item, status=RecommendationStatus.DONE)
    assert "Enter the date it was finished" in error.value.field_errors["completed_on"][0]
    with pytest.raises(DomainError) as error:
        review.recommendation_update(
            actor=cara, recommendation=item, status=RecommendationStatus.NOT_DONE, completed_on=days_ago(0)
        )
    assert error.value.field_errors["note"] == ["Say why it could not be completed"]
    with pytest.raises(DomainError, match="cannot be before"):
        review.recommendation_update(
            actor=cara, recommendation=item, status=RecommendationStatus.DONE, completed_on=days_ago(10)
        )
    done = review.recommendation_update(
        actor=cara, recommendation=item, status=RecommendationStatus.DONE, completed_on=days_ago(0), note="Fitted."
    )
    assert (done.status, done.completed_on, done.note) == ("done", days_ago(0), "Fitted.")
    reopened = review.recommendation_update(actor=cara, recommendation=item, status=RecommendationStatus.IN_PROGRESS)
    assert reopened.completed_on is None


def test_concluding_sets_when_it_was_held_whether_it_recommended_and_the_outcome_letter_deadline(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    with pytest.raises(DomainError, match="Record the panel meeting"):
        review.review_conclude(actor=cara, application=met, outcome="Done")
    concluded = conclude(met, cara, agencies)
    assert timezone.localtime(concluded.review_held_at).date() == days_ago(3)
    assert concluded.recommendations_made is True
    assert concluded.outcome_due_at is not None
    assert concluded.status == ApplicationStatus.REVIEW  # until the outcome letter goes
    assert ReviewPanel.objects.get(application=met).outcome == "More could have been done sooner."
    with pytest.raises(DomainError, match="concluded"):
        review.agency_invite(actor=cara, application=concluded, name="Late Agency")
    assert AuditVerb.CASE_REVIEW_CONCLUDED in _verbs(concluded)


def test_a_review_without_recommendations_is_recorded_as_such(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    assert conclude(met, cara, agencies, recommend=False).recommendations_made is False


def test_an_appeal_is_chaired_by_someone_other_than_the_review_chair(
    met: Application, cara: User, maya: User, agencies: list[Agency]
) -> None:
    told = outcome_sent(met, cara, agencies)
    assert told.status == ApplicationStatus.OUTCOME_SENT
    with pytest.raises(DomainError) as error:
        review.appeal_request(
            actor=cara, application=told, requested_on=days_ago(0), grounds="Not listened to", chair=cara
        )
    assert "someone other than the review panel's chair" in error.value.field_errors["chair"][0]
    assert not Appeal.objects.exists()
    appeal = review.appeal_request(
        actor=cara, application=told, requested_on=days_ago(0), grounds="Not listened to", chair=maya
    )
    assert (appeal.chair, appeal.original_chair) == (maya, cara)
    assert Application.objects.get(pk=met.pk).status == ApplicationStatus.APPEAL


def test_the_database_refuses_the_review_chair_as_the_appeal_chair(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    told = outcome_sent(met, cara, agencies)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(
            application=told,
            requested_on=days_ago(0),
            grounds="Written around the service",
            chair=cara,
            original_chair=cara,
            recorded_by=cara,
        )


def test_an_appeal_needs_the_outcome_sent_first_and_gets_its_own_outcome(
    met: Application, cara: User, maya: User, agencies: list[Agency]
) -> None:
    with pytest.raises(DomainError, match="once the applicant has been told"):
        review.appeal_request(actor=cara, application=met, requested_on=days_ago(0), grounds="Why", chair=maya)
    told = outcome_sent(met, cara, agencies)
    review.appeal_request(actor=cara, application=told, requested_on=days_ago(0), grounds="Why", chair=maya)
    item = review.recommendation_add(
        actor=maya, application=told, text="Ask the police for a drugs warrant.", due_on=days_ago(-14), owner_user=maya
    )
    assert item.stage == "appeal"
    with pytest.raises(DomainError) as error:
        review.appeal_conclude(
            actor=maya, application=told, held_on=days_ago(1), information_considered="", result="maybe", outcome=""
        )
    assert set(error.value.field_errors) == {"held_on", "information_considered", "result", "outcome"}
    appeal = review.appeal_conclude(
        actor=maya,
        application=told,
        held_on=days_ago(0),
        information_considered="The review record",
        result="partly_upheld",
        outcome="A further action was agreed.",
    )
    assert appeal.concluded_at is not None
    with pytest.raises(DomainError, match="already concluded"):
        review.appeal_conclude(
            actor=maya, application=told, held_on=days_ago(0), information_considered="x", result="upheld", outcome="y"
        )


def test_the_dashboard_counts_reviews_due_letters_due_and_recommendations_overdue(
    cara: User, agencies: list[Agency], make_staff: Callable[..., User]
) -> None:
    today = timezone.localdate()
    waiting = ApplicationFactory.create(met=True)
    review.spoc_assign(actor=cara, application=waiting, spoc=cara)
    concluded = conclude(ApplicationFactory.create(met=True), cara, agencies)  # one recommendation due yesterday
    counts = due_counts(actor=cara, today=today)
    assert counts == {"reviews": 1, "reviews_overdue": 0, "letters": 1, "recommendations": 1}
    assert [a.pk for a in due_list(actor=cara, which="letters", today=today)] == [concluded.pk]
    maya_counts = due_counts(actor=make_staff(Role.MANAGER), today=today, mine_only=True)
    assert maya_counts["reviews"] == maya_counts["letters"] == 0  # cara is the contact on both
    dpo = make_staff(Role.DPO)  # sees no Case Review applications at all
    assert due_counts(actor=dpo, today=today) == {
        "reviews": 0,
        "reviews_overdue": 0,
        "letters": 0,
        "recommendations": 0,
    }
