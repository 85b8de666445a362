"""The threshold decision (issue 17 parts 2 and 3): the engine's assessment, complaints to other agencies added by
hand, and the officer's decision with reasons.

`threshold_assess` searches again for the complaints (keeping those added by hand), judges each under a rule of the
rule set in force (`rules.assess`) and stores the findings with the suggestion. `threshold_decide` records the
officer's decision: it judges the complaints once more under the chosen rule, freezes the findings, and keeps the
rule-set version and the rule key, so loading a new version of the rules never changes a decision already made.
When the threshold is met, the review and the outcome letter get their deadlines from the same rules file.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review import rules, schema
from saferhomes.case_review.models import (
    Application,
    ApplicationStatus,
    ComplaintSource,
    ThresholdComplaint,
    ThresholdRuleSet,
)
from saferhomes.case_review.selectors.complaints import complaints_found
from saferhomes.case_review.services.rule_sets import rule_set_current
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON, end_of_working_day_after
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.intake.services.report import clean_text
from saferhomes.referrals.models import Agency

DECIDE = "case_review.decide_case_review"
TAKE = "case_review.take_case_review"
REASONS_MAX = 5000


def _rule(rule_set: ThresholdRuleSet, key: str) -> rules.Rule:
    rule = schema.rule_of(rule_set.definition, key or rule_set.definition["default_rule"])
    if rule is None:
        raise DomainError(field_errors={"rule_key": "Select a rule from the rules in force"})
    return rule


def _judge(application: Application, rule_set: ThresholdRuleSet, rule: rules.Rule) -> rules.Assessment:
    """Judge the application's stored complaints under `rule` and write whether each counts (inside a transaction)."""
    stored = list(application.complaints.all())
    complaints = [
        rules.Complaint(
            key=item.pk,
            received_on=item.received_on,
            occurred_on=item.occurred_on,
            problem=item.problem,
            complainant=item.complainant,
            location=item.location,
            group=item.problem_group,
        )
        for item in stored
    ]
    assessment = rules.assess(
        rule=rule,
        application_on=timezone.localtime(application.received_at, LONDON).date(),
        complaints=complaints,
        window_months=int(rule_set.definition["window_months"]),
        within_months=int(rule_set.definition["complaint_within_months"]),
    )
    by_pk = {item.pk: item for item in stored}
    for finding in assessment.findings:
        item = by_pk[int(str(finding.complaint.key))]
        if (item.counts, item.reason) != (finding.counts, finding.reason):
            item.counts, item.reason = finding.counts, finding.reason
            item.save(update_fields=["counts", "reason"])
    return assessment


def threshold_assess(
    *,
    application: Application,
    actor: User | None,
    rule_set: ThresholdRuleSet | None = None,
    rule_key: str = "",
    request: HttpRequest | None = None,
) -> rules.Assessment:
    """Search again for the application's complaints and judge them under `rule_key` (default: the rule set's
    default rule); complaints added by hand are kept. Only before the decision."""
    if actor is not None:
        require(actor, TAKE)
    rule_set = rule_set or rule_set_current()
    rule = _rule(rule_set, rule_key)
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.status != ApplicationStatus.RECEIVED:
            raise DomainError("The threshold has been decided: the complaints it was decided on are kept as they were")
        locked.complaints.exclude(source=ComplaintSource.AGENCY).delete()
        for found in complaints_found(application=locked):
            ThresholdComplaint.objects.create(
                application=locked,
                source=found.source,
                report=found.report,
                case=found.case,
                report_reference=found.report.reference if found.report else "",
                case_reference=found.case.reference if found.case else "",
                complainant=found.complainant[:200],
                problem=found.problem,
                location=found.location[:250],
                received_on=found.received_on,
                occurred_on=found.occurred_on,
                summary=found.summary,
                problem_group=found.group,
            )
        assessment = _judge(locked, rule_set, rule)
        locked.rule_set, locked.rule_key = rule_set, rule.key
        locked.threshold_suggested_met = assessment.suggested_met
        locked.version += 1
        locked.save(update_fields=["rule_set", "rule_key", "threshold_suggested_met", "version", "updated_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_THRESHOLD_ASSESSED,
            obj=locked,
            after={"rule": rule.key, "version": rule_set.version, "counted": assessment.counted},
            request=request,
        )
    application.refresh_from_db()
    return assessment


def _locked_received(application: Application, version: int | None) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if locked.status != ApplicationStatus.RECEIVED:
        raise DomainError("The threshold has already been decided for this application")
    if version is not None and version != locked.version:
        raise DomainError("Someone else changed this application while you were working on it: check it and try again")
    return locked


def complaint_add(
    *,
    actor: User,
    application: Application,
    agency: Agency | None = None,
    agency_name: str = "",
    received_on: dt.date | None,
    occurred_on: dt.date | None,
    summary: str = "",
    complainant: str = "",
    request: HttpRequest | None = None,
) -> ThresholdComplaint:
    """Add by hand a complaint made to another agency (the council, the police...) with the date it was received and
    the date of the behaviour; it is judged with the others under the rule the application is assessed on."""
    require(actor, TAKE)
    agency_name = clean_text(agency.name if agency is not None else agency_name, multiline=False)
    summary, complainant = clean_text(summary, multiline=False), clean_text(complainant, multiline=False)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not agency_name:
        errors["agency_name"] = "Enter which agency the complaint was made to"
    elif len(agency_name) > 200:
        errors["agency_name"] = "The agency's name must be 200 characters or fewer"
    if received_on is None:
        errors["received_on"] = "Enter the date the agency received the complaint"
    elif received_on > today:
        errors["received_on"] = "The date the complaint was received must be today or in the past"
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date of the behaviour the complaint was about"
    elif occurred_on > today:
        errors["occurred_on"] = "The date of the behaviour must be today or in the past"
    elif received_on is not None and occurred_on > received_on:
        errors["occurred_on"] = "The date of the behaviour must be the same as or before the date of the complaint"
    if len(summary) > 250:
        errors["summary"] = "The summary must be 250 characters or fewer"
    if len(complainant) > 200:
        errors["complainant"] = "Who complained must be 200 characters or fewer"
    if errors:
        raise DomainError(field_errors=errors)
    assert received_on is not None
    with transaction.atomic():
        locked = _locked_received(application, None)
        rule_set = locked.rule_set or rule_set_current()
        item = ThresholdComplaint.objects.create(
            application=locked,
            source=ComplaintSource.AGENCY,
            agency=agency,
            agency_name=agency_name,
            complainant=complainant.lower() or f"agency:{agency_name.lower()}",
            received_on=received_on,
            occurred_on=occurred_on,
            summary=summary,
            added_by=actor,
        )
        assessment = _judge(locked, rule_set, _rule(rule_set, locked.rule_key))
        locked.threshold_suggested_met = assessment.suggested_met
        locked.rule_set = rule_set
        locked.version += 1
        locked.save(update_fields=["threshold_suggested_met", "rule_set", "version", "updated_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_COMPLAINT_ADDED,
            obj=locked,
            after={"agency": agency_name, "received_on": received_on.isoformat(), "occurred_on": str(occurred_on)},
            request=request,
        )
    item.refresh_from_db()
    application.refresh_from_db()
    return item


def _due(day: dt.date, working_days: int) -> dt.datetime:
    return end_of_working_day_after(day, working_days, calendar_current())


def review_deadlines(*, decided_on: dt.date, rule_set: ThresholdRuleSet) -> tuple[dt.datetime, dt.datetime]:
    """When the review and the outcome letter are due once the threshold is met (working days from the rules file)."""
    timescales = schema.timescales_of(rule_set.definition)
    review_due = _due(decided_on, timescales.review_working_days)
    return review_due, _due(review_due.date(), timescales.outcome_working_days)


def threshold_decide(
    *,
    actor: User,
    application: Application,
    rule_key: str,
    met: bool | None,
    reasons: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Record the threshold decision with its reasons, under a rule of the rule set in force; the complaints as
    judged then, the rule-set version and the rule key are kept with it."""
    require(actor, DECIDE)
    reasons = clean_text(reasons)
    errors: dict[str, str] = {}
    if met is None:
        errors["met"] = "Select whether the threshold is met"
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision, in words the applicant will understand"
    elif len(reasons) > REASONS_MAX:
        errors["reasons"] = f"The reasons must be {REASONS_MAX:,} characters or fewer"
    rule_set = rule_set_current()
    rule = schema.rule_of(rule_set.definition, rule_key or rule_set.definition["default_rule"])
    if rule is None:
        errors["rule_key"] = "Select a rule from the rules in force"
    if errors:
        raise DomainError(field_errors=errors)
    assert rule is not None
    assert met is not None
    with transaction.atomic():
        locked = _locked_received(application, version)
        assessment = _judge(locked, rule_set, rule)
        problems = [item.problem for item in locked.complaints.all()]
        if refusal := rules.decision_refusal(rule=rule, problems=problems, met=met):
            raise DomainError(field_errors={"rule_key": refusal})
        now = timezone.now()
        before = {"status": locked.status}
        locked.rule_set, locked.rule_key = rule_set, rule.key
        locked.threshold_suggested_met = assessment.suggested_met
        locked.threshold_met, locked.decision_reasons = met, reasons
        locked.decided_at, locked.decided_by = now, actor
        locked.status = ApplicationStatus.REVIEW if met else ApplicationStatus.THRESHOLD_NOT_MET
        if met:
            locked.review_due_at, locked.outcome_due_at = review_deadlines(
                decided_on=timezone.localtime(now, LONDON).date(), rule_set=rule_set
            )
        locked.version += 1
        locked.save()
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_THRESHOLD_DECIDED,
            obj=locked,
            before=before,
            after={
                "status": locked.status,
                "met": met,
                "suggested_met": assessment.suggested_met,
                "rule": rule.key,
                "rule_set_version": rule_set.version,
                "counted": assessment.counted,
                "required": rule.required,
            },
            reason=reasons[:500],
            request=request,
        )
    application.refresh_from_db()
    return application
