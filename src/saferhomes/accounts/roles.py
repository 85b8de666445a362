"""Staff roles (DESIGN.md §1) and the named permissions each holds. Groups are kept in step by `roles_sync`."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Housing officer"
    COORDINATOR = "coordinator", "Community safety coordinator"
    DA_SPECIALIST = "da_specialist", "Domestic abuse specialist"
    MANAGER = "manager", "Neighbourhood and communities manager"
    PARTNER = "partner", "Partner agency user"
    DPO = "dpo", "Data protection officer"
    ADMIN = "admin", "Administrator"


# Permission codenames ("app_label.codename") per role. Later capabilities add theirs here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "cases.view_case",
        "cases.add_case",
        "cases.triage_case",
        "cases.work_case",
        "cases.close_case",
        "risk.assess_risk",
        "intake.take_report",
        "intake.triage_report",
        "referrals.refer_case",
        "referrals.share_case",
        "interventions.record_intervention",
        "case_review.take_case_review",
    ],
    Role.COORDINATOR: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "cases.view_case",
        "cases.add_case",
        "cases.triage_case",
        "cases.work_case",
        "cases.close_case",
        "cases.assign_case",
        "cases.view_all_cases",
        "risk.assess_risk",
        "intake.take_report",
        "intake.triage_report",
        "referrals.refer_case",
        "referrals.share_case",
        "interventions.record_intervention",
        "case_review.take_case_review",
        "case_review.decide_case_review",
        "insights.view_performance",
    ],
    Role.DA_SPECIALIST: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "cases.view_case",
        "cases.add_case",
        "cases.triage_case",
        "cases.work_case",
        "cases.close_case",
        "cases.view_da_cases",
        "risk.assess_risk",
        "intake.take_report",
        "intake.triage_report",
        "referrals.refer_case",
        "referrals.share_case",
        "interventions.record_intervention",
        "case_review.take_case_review",
    ],
    Role.MANAGER: [
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "cases.view_case",
        "cases.add_case",
        "cases.triage_case",
        "cases.work_case",
        "cases.close_case",
        "cases.assign_case",
        "cases.view_all_cases",
        "cases.view_da_cases",
        "cases.approve_closure",
        "cases.break_glass",
        "risk.assess_risk",
        "risk.decide_marac_not_referred",
        "risk.waive_da_checklist",
        "intake.take_report",
        "intake.triage_report",
        "referrals.refer_case",
        "referrals.share_case",
        "referrals.view_disclosure_log",
        "interventions.record_intervention",
        "interventions.approve_formal_action",
        "case_review.take_case_review",
        "case_review.decide_case_review",
        "insights.view_performance",
    ],
    Role.PARTNER: [
        "referrals.view_shared_cases",
    ],
    Role.DPO: [
        "core.search_auditevent",
        "referrals.view_disclosure_log",
        "referrals.manage_agreements",
        "insights.view_performance",
    ],
    Role.ADMIN: [
        "accounts.manage_staff",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.delete_team",
        "accounts.view_apitoken",
        "accounts.change_apitoken",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "housing.view_property",
        "housing.view_tenancy",
        "housing.view_person",
        "housing.import_register",
        "core.change_calendarsettings",
        "risk.publish_instrument",
        "risk.view_instrument",
        "documents.manage_templates",
        "insights.view_measuresettings",
        "insights.add_measuresettings",
        "insights.change_measuresettings",
        "insights.view_homesale",
        "insights.add_homesale",
        "insights.change_homesale",
        "insights.delete_homesale",
        "referrals.manage_agencies",
        "referrals.view_agency",
        "referrals.add_agency",
        "referrals.change_agency",
        "referrals.view_partnermembership",
        "referrals.add_partnermembership",
        "referrals.change_partnermembership",
        "referrals.delete_partnermembership",
    ],
}

# Issue 18, parts 3-5 (insights: hotspots, the public "action we've taken", registers, equality monitoring).
_INSIGHTS_REGISTERS: dict[str, list[str]] = {
    Role.COORDINATOR: ["insights.view_hotspots"],
    Role.MANAGER: [
        "insights.view_hotspots",
        "insights.manage_registers",
        "insights.publish_action_taken",
        "insights.view_equality",
    ],
    Role.DPO: ["insights.view_equality"],
}
for _role, _codenames in _INSIGHTS_REGISTERS.items():
    ROLE_PERMISSIONS[_role].extend(_codenames)

# Issue 19 (privacy lifecycle): the retention schedule, anonymisation runs and legal holds.
_PRIVACY_LIFECYCLE: dict[str, list[str]] = {
    Role.DPO: ["privacy.manage_retention", "privacy.manage_legal_hold"],
    Role.MANAGER: ["privacy.manage_legal_hold"],
}
for _role, _codenames in _PRIVACY_LIFECYCLE.items():
    ROLE_PERMISSIONS[_role].extend(_codenames)

# Issue 19 part 4 (privacy lifecycle): data protection rights requests (subject access, erasure and the rest).
_PRIVACY_RIGHTS: dict[str, list[str]] = {
    Role.DPO: ["privacy.handle_rights_request"],
}
for _role, _codenames in _PRIVACY_RIGHTS.items():
    ROLE_PERMISSIONS[_role].extend(_codenames)

# Issue 19 part 5 (H4, DPO oversight): who read restricted and DA cases, break glass, anomalies (metadata only); a
# manager or administrator may give the DPO time-limited access to one case's contents (ADR 0020).
_PRIVACY_OVERSIGHT: dict[str, list[str]] = {
    Role.DPO: ["privacy.view_oversight"],
    Role.MANAGER: ["privacy.grant_dpo_access"],
    Role.ADMIN: ["privacy.grant_dpo_access"],
}
for _role, _codenames in _PRIVACY_OVERSIGHT.items():
    ROLE_PERMISSIONS[_role].extend(_codenames)
