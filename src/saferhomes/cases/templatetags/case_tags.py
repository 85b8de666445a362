"""Template tags for the case page: the tab navigation, the header facts and the 'what staff must know' banner."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from saferhomes.cases.models import Case
from saferhomes.cases.selectors import party_views
from saferhomes.core.calendar_config import case_response_status

register = template.Library()

# (key, label, URL name). Each tab's view passes `active_tab=<key>`; a tab shows once its URL exists.
CASE_TABS: list[tuple[str, str, str]] = [
    ("overview", "Overview", "cases:detail"),
    ("parties", "Parties", "cases:parties"),
    ("incidents", "Incidents", "cases:incidents"),
    ("contacts", "Contacts", "cases:contacts"),
    ("actions", "Actions", "cases:actions"),
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
    "on_track": "govuk-tag--green",
    "due_soon": "govuk-tag--yellow",
    "overdue": "govuk-tag--red",
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--orange",
}


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
    """Vulnerabilities, reasonable adjustments, safe-contact instructions and minors, for every party on the case."""
    views = [
        view
        for view in party_views(case=case)
        if view.vulnerabilities or view.adjustments or view.safe_contact or view.is_minor
    ]
    return {"party_notes": views}


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


@register.simple_tag
def response_state(case: Case) -> dict[str, str]:
    """The response deadline's state for display: {'code', 'label', 'tag_class'}, empty when there is no deadline."""
    if case.response_due_at is None:
        return {}
    status = case_response_status(due_at=case.response_due_at, responded_at=case.responded_at)
    return {"code": str(status), "label": status.label, "tag_class": RESPONSE_TAG_CLASSES.get(str(status), "")}
