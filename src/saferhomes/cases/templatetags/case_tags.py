"""Template tags for the case page: the tab navigation, the header facts and the 'what staff must know' banner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from saferhomes.cases import rules
from saferhomes.cases.models import Case, EvidenceFile, Incident
from saferhomes.cases.selectors.case import party_views
from saferhomes.core.calendar import LONDON, day_in_words, deadline_in_words
from saferhomes.core.calendar_config import (
    CalendarConfig,
    calendar_config_current,
    case_response_explanation,
    case_response_status,
)

register = template.Library()

# (key, label, URL name). Each tab's view passes `active_tab=<key>`; a tab shows once its URL exists.
CASE_TABS: list[tuple[str, str, str]] = [
    ("overview", "Overview", "cases:detail"),
    ("parties", "Parties", "cases:parties"),
    ("incidents", "Incidents", "cases:incidents"),
    ("contacts", "Contacts", "cases:contacts"),
    ("actions", "Actions", "cases:actions"),
    ("risk", "Risk", "risk:case"),
    ("partnership", "Partnership", "referrals:case"),
    ("interventions", "Interventions", "interventions:case"),
    ("letters", "Letters", "documents:case-letters"),
    ("timeline", "Timeline", "cases:timeline"),
    ("closure", "Closure", "cases:closure"),
]

STATUS_TAG_CLASSES = {
    "new": "govuk-tag--blue",
    "triaged": "govuk-tag--light-blue",
    "open": "govuk-tag--green",
    "closing": "govuk-tag--yellow",
    "closed": "govuk-tag--grey",
    "reopened": "govuk-tag--purple",
}
SENSITIVITY_TAG_CLASSES = {"restricted": "govuk-tag--orange", "da": "govuk-tag--red"}
PRIORITY_TAG_CLASSES = {"high": "govuk-tag--red", "normal": "govuk-tag--grey", "low": "govuk-tag--grey"}
RESPONSE_TAG_CLASSES = {
    "on_track": "govuk-tag--blue",
    "due_soon": "govuk-tag--yellow",
    "overdue": "govuk-tag--red",
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--grey",
}
_CONFIG_ATTR = "_saferhomes_calendar_config"


def request_calendar_config(request: HttpRequest | None) -> CalendarConfig:
    """The calendar in force, loaded once per request (kept on the request) however many deadlines a page shows."""
    if request is None:
        return calendar_config_current()
    config = getattr(request, _CONFIG_ATTR, None)
    if not isinstance(config, CalendarConfig):
        config = calendar_config_current()
        setattr(request, _CONFIG_ATTR, config)
    return config


@register.inclusion_tag("cases/includes/case_tabs.html")
def case_tabs(case: Case, active_tab: str = "") -> dict[str, Any]:
    """The case's sub-navigation: one link per tab whose page exists, the active one marked."""
    tabs = []
    for key, label, url_name in CASE_TABS:
        try:
            url = reverse(url_name, kwargs={"reference": case.reference})
        except NoReverseMatch:
            continue
        tabs.append({"key": key, "label": label, "url": url, "active": key == active_tab})
    return {"tabs": tabs}


@register.inclusion_tag("cases/includes/case_banner.html")
def case_banner(case: Case) -> dict[str, Any]:
    """Vulnerabilities, adjustments, safe contact (notes, times, ways, language, format) and minors, for every party."""
    views = [
        view
        for view in party_views(case=case)
        if view.vulnerabilities or view.adjustments or view.safe_contact or view.contact_preferences or view.is_minor
    ]
    return {"party_notes": views}


@register.filter
def incident_told_by(incident: Incident) -> str:
    """Who an incident is from, in words (`cases.rules.told_by`): the reporter, or the member of staff."""
    user = incident.created_by
    recorded_by = (user.get_full_name() or user.get_username()) if user is not None else ""
    told = rules.told_by(source=incident.source, recorded_by=recorded_by)
    return told if told == rules.FROM_THE_REPORTER or not told else f"recorded by {told}"


@register.filter
def evidence_from(evidence: EvidenceFile) -> str:
    """Who a file is from, in words (`cases.rules.evidence_from`)."""
    user = evidence.uploaded_by
    return rules.evidence_from(uploaded_by=(user.get_full_name() or user.get_username()) if user is not None else "")


@register.filter
def status_tag_class(value: str) -> str:
    """The GOV.UK tag colour for a case status."""
    return STATUS_TAG_CLASSES.get(value, "")


@register.filter
def sensitivity_tag_class(value: str) -> str:
    """The GOV.UK tag colour for a sensitivity."""
    return SENSITIVITY_TAG_CLASSES.get(value, "")


@register.filter
def priority_tag_class(value: str) -> str:
    """The GOV.UK tag colour for a priority."""
    return PRIORITY_TAG_CLASSES.get(value, "")


@register.simple_tag(takes_context=True)
def response_state(context: template.Context, case: Case, *, rule: bool = False) -> dict[str, str]:
    """The response deadline for display: {'code', 'label', 'tag_class', 'due', 'responded', 'rule'}: the state, the
    deadline and the first response in words, and (with rule=True) the rule behind the deadline; empty when there
    is no deadline."""
    if case.response_due_at is None:
        return {}
    config = request_calendar_config(getattr(context, "request", None))
    status = case_response_status(due_at=case.response_due_at, responded_at=case.responded_at, config=config)
    return {
        "code": str(status),
        "label": status.label,
        "tag_class": RESPONSE_TAG_CLASSES.get(str(status), ""),
        "due": deadline_in_words(case.response_due_at),
        "responded": _moment_in_words(case.responded_at) if case.responded_at else "",
        "rule": case_response_explanation(case.received_at, urgent=case.urgent, config=config) if rule else "",
    }


def _moment_in_words(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {day_in_words(local.date())}"
