"""Reads for staff accounts: tokens, second-factor devices and the staff links a user may follow."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhomes.accounts.models import ApiToken, Team, User
from saferhomes.accounts.roles import Role
from saferhomes.core.errors import DomainError


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def totp_current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show for `device` right now (demo and tests only)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(code).zfill(device.digits)


def team_by_name(*, name: str) -> Team | None:
    """The team with exactly this name, if there is one (team names are shown to every member of staff)."""
    return Team.objects.filter(name=name).first()


def staff_member_by_username(*, username: str) -> User:
    """The active member of staff with exactly this username; DomainError if there is none."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(f"No active member of staff has the username {username}")
    return user


def staff_member_by_username_or_id(*, value: str) -> User:
    """The active member of staff with exactly this username, or else with this id; DomainError if there is none."""
    user = User.objects.filter(username=value, is_active=True).first()
    if user is None and value.isdigit() and len(value) < 12:
        user = User.objects.filter(pk=int(value), is_active=True).first()
    if user is None:
        raise DomainError(f"No active member of staff has the username or id {value}")
    return user


def tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """A user's own API tokens, newest first (active and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class StaffLink:
    """One place in the staff site a user may go."""

    label: str
    url: str
    description: str
    active: bool = False


# A partner agency user's landing page and only menu item (ADR 0010): partners never use the staff case pages.
PARTNER_HOME = "referrals:partner-cases"

# (label, URL name, permission (or a tuple: any one of them) or None for every signed-in member of staff, "admin" for
#  the configuration admin, description). Each is shown only if its URL exists: other areas are built alongside.
STAFF_AREAS: list[tuple[str, str, str | tuple[str, ...] | None, str]] = [
    (
        "Shared cases",
        PARTNER_HOME,
        "referrals.view_shared_cases",
        "The cases the landlord has shared with your agency, and adding an update to them.",
    ),
    (
        "Cases",
        "cases:dashboard",
        "cases.view_case",
        "Your cases, responses and contacts due, and every case you can see.",
    ),
    (
        "Reports",
        "intake-staff:queue",
        "intake.triage_report",
        "Reports awaiting triage, drafts from the intake mailbox, and taking a report by phone or in person.",
    ),
    (
        "Case Reviews",
        "case-review-staff:list",
        ("case_review.take_case_review", "case_review.decide_case_review"),
        "ASB Case Review (Community Trigger) applications: threshold decisions, reviews, recommendations and appeals.",
    ),
    (
        "Performance",
        "insights:index",
        "insights.view_performance",
        "The monthly performance report and the Tenant Satisfaction Measures (NM01, TP12), with their figures.",
    ),
    ("Properties", "housing:property-list", "housing.view_property", "Find homes, tenancies and the people in them."),
    (
        "Agencies",
        "referrals:agencies",
        ("referrals.refer_case", "referrals.share_case", "referrals.manage_agencies", "referrals.manage_agreements"),
        "The agencies we refer to and share with: contacts, who they help, how to refer, and who may have DA "
        "information.",
    ),
    (
        "Audit trail",
        "privacy:audit-search",
        "core.search_auditevent",
        "Search who did what, to which record, and when.",
    ),
    (
        "Disclosure log",
        "privacy:disclosure-log",
        "referrals.view_disclosure_log",
        "Every disclosure of personal data to another organisation: what, to whom, when, why and on what basis.",
    ),
    (
        "Sharing agreements",
        "referrals:agreements",
        "referrals.manage_agreements",
        "The register of information-sharing agreements with partner agencies, and their review dates.",
    ),
    (
        "Working calendar",
        "working_calendar:calendar",
        "core.change_calendarsettings",
        "Bank holidays, closure days, office hours and response deadlines.",
    ),
    (
        "Risk instruments",
        "risk:instruments",
        "risk.view_instrument",
        "The risk assessment questions, weights and bands in use, their versions, and uploading a new one.",
    ),
    (
        "Letter templates",
        "documents:templates",
        "documents.manage_templates",
        "The words of warning, interview, closure and outcome letters, their merge fields and versions.",
    ),
    ("API tokens", "accounts:token-list", None, "Create and revoke your personal tokens for the JSON API."),
    ("API documentation", "api:openapi-view", None, "How to use the JSON API, with every endpoint and field."),
    ("Configuration", "admin:index", "admin", "Manage staff accounts, teams and other settings."),
]
# Issue 18 parts 3-5 (insights), placed before the API and configuration links.
STAFF_AREAS[-3:-3] = [
    (
        "Hotspots and trends",
        "insights:hotspots",
        "insights.view_hotspots",
        "Cases by estate, week and month, on a map; places and people that come back.",
    ),
    (
        "Action we've taken",
        "insights:action-taken",
        "insights.publish_action_taken",
        "Review a quarter's published figures of warnings, injunctions and other action, and approve them.",
    ),
    (
        "Registers",
        "insights:initiatives",
        "insights.manage_registers",
        "Prevention initiatives and publicity campaigns, staff training and the policy review register.",
    ),
    (
        "Equality monitoring",
        "insights:equality",
        "insights.view_equality",
        "Whether any group's cases take longer to close or close differently; recording equality answers.",
    ),
]
# Issue 19 part 4 (privacy lifecycle): data protection rights requests, before the API and configuration links.
STAFF_AREAS[-3:-3] = [
    (
        "Rights requests",
        "privacy:rights-list",
        "privacy.handle_rights_request",
        "Subject access, erasure, rectification, restriction and objection requests, with their deadlines.",
    ),
]

# Issue 19 part 5 (H4): the DPO's oversight of access, and giving the DPO access to a case (ADR 0020).
STAFF_AREAS[-3:-3] = [
    (
        "Access oversight",
        "privacy:oversight-reads",
        "privacy.view_oversight",
        "Who read restricted and domestic abuse cases, break-glass uses, and access worth a closer look.",
    ),
    (
        "Data protection officer access",
        "privacy:oversight-dpo-access",
        "privacy.grant_dpo_access",
        "Give the data protection officer time-limited access to one case, with a reason.",
    ),
]


def partner_home_url(user: User) -> str:
    """Where a partner agency user lands after signing in (their shared cases); '' for anyone else."""
    return url_if_exists(PARTNER_HOME) if user.role == Role.PARTNER else ""


def url_if_exists(url_name: str) -> str:
    """The URL for `url_name`, or '' while that page has not been built."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _may_reach(user: User, permission: str | tuple[str, ...] | None) -> bool:
    if permission is None:
        return True
    if isinstance(permission, tuple):
        return any(user.has_perm(each) for each in permission)
    if permission == "admin":
        return bool(user.is_active and user.is_staff)
    return bool(user.has_perm(permission))


def staff_links(*, user: User | AnonymousUser, current_path: str = "") -> list[StaffLink]:
    """The staff areas this user may reach and that exist, in menu order."""
    if not isinstance(user, User) or not user.is_active:
        return []
    links = []
    for label, url_name, permission, description in STAFF_AREAS:
        if user.role == Role.PARTNER and url_name != PARTNER_HOME:
            continue  # a partner's menu is their shared cases, nothing else
        if not _may_reach(user, permission):
            continue
        url = url_if_exists(url_name)
        if not url:
            continue
        links.append(StaffLink(label, url, description, active=bool(current_path) and current_path.startswith(url)))
    return links


# Issue 19 part H2 (privacy lifecycle): the privacy landing page, before the API and configuration links.
STAFF_AREAS[-3:-3] = [
    (
        "Privacy",
        "privacy:index",
        ("privacy.manage_retention", "privacy.manage_legal_hold"),
        "The retention schedule, legal holds, and the anonymisation runs waiting for the DPO's approval.",
    ),
]
