"""What partner access adds to the case pages (issue 15 item 6): the Partnership tab's "Shared with partners" and
"Case conferences" sections (`referrals.sections`), the "Partner agencies" kind of timeline entry (shares made and
withdrawn, partners' updates marked as from their agency, case conferences; `cases.extensions.TIMELINE_SOURCES`),
and the demo step (`referrals.demo_partners`). `register()` is called from ReferralsConfig.ready().
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import TimelineSource, register_timeline_source
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.rules import case_workable
from saferhomes.cases.timeline import TimelineEntry
from saferhomes.referrals.models import CaseShare, LawfulBasis, PartnerUpdate
from saferhomes.referrals.sections import Section, register_section
from saferhomes.referrals.selectors.conferences import case_conferences
from saferhomes.referrals.selectors.shares import case_partner_updates, case_shares, parts_in_words, share_state
from saferhomes.referrals.services.shares import SHARE_CASE

PARTNER_KIND = "partner"
STATE_WORDS = {
    "active": ("Active", "govuk-tag--green"),
    "not_started": ("Not started", "govuk-tag--blue"),
    "ended": ("Ended", "govuk-tag--grey"),
    "withdrawn": ("Withdrawn", "govuk-tag--grey"),
}


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _day(value: Any) -> str:
    return date_format(value, "j F Y")


# The Partnership tab -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    """A share as the tab lists it."""

    share: CaseShare
    state: str
    state_label: str
    state_class: str
    parts_words: str
    lawful_basis: str

    @property
    def current(self) -> bool:
        return self.state in ("active", "not_started")


def shares_section(*, case: Case, actor: User, request: HttpRequest) -> dict[str, Any] | None:
    """'Shared with partners': every share (current first), the updates partners sent, and what the actor may do."""
    now = timezone.now()
    rows = []
    for share in case_shares(case=case):
        state = share_state(share, now=now)
        label, css = STATE_WORDS[state]
        rows.append(
            ShareRow(
                share=share,
                state=state,
                state_label=label,
                state_class=css,
                parts_words=parts_in_words(share.parts),
                lawful_basis=str(LawfulBasis(share.lawful_basis).label),
            )
        )
    return {
        "current": [row for row in rows if row.current],
        "past": [row for row in rows if not row.current],
        "updates": list(case_partner_updates(case=case)),
        "can_share": actor.has_perm(SHARE_CASE) and case_workable(case),
        "can_withdraw": actor.has_perm(SHARE_CASE),
    }


def conferences_section(*, case: Case, actor: User, request: HttpRequest) -> dict[str, Any] | None:
    """'Case conferences': each conference with its agencies and actions, and whether the actor may record one."""
    may_work = actor.has_perm(WORK_CASE) and case_workable(case)
    return {"conferences": list(case_conferences(case=case)), "can_record": may_work, "can_mark_done": may_work}


# The timeline ------------------------------------------------------------------------------------------------------


def _update_entry(update: PartnerUpdate) -> TimelineEntry:
    details = [update.text]
    if update.file:
        details.append(f"Document: {update.original_name}")
    return TimelineEntry(
        kind=PARTNER_KIND,
        at=update.created_at,
        title=f"Update from {update.agency.name}",
        details=details,
        actor=f"{_person(update.created_by)}, {update.agency.name}",
        obj=update,
    )


def partner_timeline(case: Case) -> Iterable[TimelineEntry]:
    """Shares made and withdrawn, partners' updates (marked as from their agency) and case conferences."""
    for share in case_shares(case=case):
        yield TimelineEntry(
            kind=PARTNER_KIND,
            at=share.starts_at,
            title=f"Shared with {share.agency.name}",
            details=[
                f"{parts_in_words(share.parts)}, until {_day(share.ends_on)}",
                f"Lawful basis: {LawfulBasis(share.lawful_basis).label}",
                f"Reason: {share.reason}",
            ],
            actor=_person(share.created_by),
            obj=share,
        )
        if share.withdrawn_at is not None:
            yield TimelineEntry(
                kind=PARTNER_KIND,
                at=share.withdrawn_at,
                title=f"Share with {share.agency.name} withdrawn",
                details=[f"Reason: {share.withdrawn_reason}"],
                actor=_person(share.withdrawn_by),
                obj=share,
            )
    for update in case_partner_updates(case=case):
        yield _update_entry(update)
    for conference in case_conferences(case=case):
        agencies = ", ".join(agency.name for agency in conference.agencies.all())
        details = [f"Agencies: {agencies}"] if agencies else []
        details.append(f"Decisions: {conference.decisions}")
        details.extend(
            f"Action: {action.description} ({action.owner_name}, "
            f"{action.owner_agency.name if action.owner_agency else 'us'})"
            for action in conference.actions.all()
        )
        yield TimelineEntry(
            kind=PARTNER_KIND,
            at=conference.created_at,
            title=f"Case conference held on {_day(conference.held_on)}",
            details=details,
            actor=_person(conference.created_by),
            obj=conference,
        )


PARTNER_TIMELINE = TimelineSource(kind=PARTNER_KIND, label="Partner agencies", tag="Partner", entries=partner_timeline)


def register() -> None:
    """Plug shares, partners' updates and case conferences into the case pages and the demo seed (idempotent)."""
    from saferhomes.referrals.demo_partners import register_seed_step

    register_section(Section("shares", "referrals/shares/section.html", shares_section))
    register_section(Section("conferences", "referrals/conferences/section.html", conferences_section))
    register_timeline_source(PARTNER_TIMELINE)
    register_seed_step()
