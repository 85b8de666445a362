"""Configuration-admin views of the partnership records.

Agencies and partner memberships may be changed here, through the same audited services as the staff pages and
`createstaff` (`agency_create`/`agency_update`, `partner_membership_set`). Everything else is a case record written
only by its service (audited, disclosures recorded), so it is shown read-only: a disclosure is never added, changed
or deleted. Administrators see only what their role's permissions give them (agencies and memberships); case records
are for superusers, who see every case anyway.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from saferhomes.accounts.http import actor_of
from saferhomes.core.forms import EdgeChecked
from saferhomes.referrals.models import (
    Agency,
    AgreementReviewReminder,
    CaseConference,
    CaseShare,
    ConferenceAction,
    Disclosure,
    MaracForm,
    PartnerMembership,
    PartnerUpdate,
    Referral,
    ReferralChase,
    SharingAgreement,
    SupportOffer,
)
from saferhomes.referrals.services.agencies import (
    AGENCY_FIELDS,
    AgencyDetails,
    agency_create,
    agency_update,
    code_taken,
)
from saferhomes.referrals.services.membership import membership_problems, partner_membership_set


class EdgeModelForm(EdgeChecked, forms.ModelForm):
    """Every admin form passes the one edge check (core.forms.EdgeChecked) before its fields."""


def _form(model: type[Model]) -> type[EdgeModelForm]:
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    return type(f"{model.__name__}AdminForm", (EdgeModelForm,), {"Meta": meta, "__module__": __name__})


class AgencyAdminForm(EdgeModelForm):
    """The directory's rules (`AgencyDetails.problems`, a code no other agency has) on the admin's fields."""

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Agency
        fields = [*AGENCY_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        values: dict[str, Any] = {name: cleaned.get(name) for name in AGENCY_FIELDS}
        _details, problems = AgencyDetails(**values).problems()
        if not problems and code_taken(str(cleaned.get("code", "")).strip(), other_than=self.instance):
            problems["code"] = f"Another agency already has the code {cleaned.get('code')}: choose another"
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class PartnerMembershipAdminForm(EdgeModelForm):
    """Only a partner user belongs to an agency, and only to one still taking referrals."""

    class Meta:
        model = PartnerMembership
        fields = ["user", "agency"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user = cleaned.get("user") or (self.instance.user if self.instance.pk else None)
        agency = cleaned.get("agency")
        if user is not None and agency is not None:
            for name, message in membership_problems(user=user, agency=agency).items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record only its service writes: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    form = AgencyAdminForm
    list_display = ["name", "code", "kind", "handles_da", "active"]
    list_filter = ["kind", "handles_da", "active"]
    search_fields = ["name", "code", "area_served"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        """Through the directory's audited services, so the admin keeps the same rules and leaves the same trail."""
        details = AgencyDetails.of(obj)
        if change:
            agency_update(actor=actor_of(request), agency=obj, details=details, request=request)
        else:
            obj.pk = agency_create(actor=actor_of(request), details=details, request=request).pk

    def has_delete_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return False  # referrals, shares and disclosures keep pointing at it: mark it not active instead


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin[PartnerMembership]):
    form = PartnerMembershipAdminForm
    list_display = ["user", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name", "agency__code"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: PartnerMembership | None = None) -> list[str]:
        """A membership's user stays the same: to move someone, change their agency."""
        return ["user", "created_at"] if obj is not None else ["created_at"]

    def save_model(self, request: HttpRequest, obj: PartnerMembership, form: Any, change: bool) -> None:
        saved = partner_membership_set(actor=actor_of(request), user=obj.user, agency=obj.agency, request=request)
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: PartnerMembership) -> None:
        partner_membership_set(actor=actor_of(request), user=obj.user, agency=None, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PartnerMembership]) -> None:
        for membership in queryset.select_related("user"):
            partner_membership_set(actor=actor_of(request), user=membership.user, agency=None, request=request)
        messages.info(request, "The partner users removed from their agencies now see nothing until given another.")


def _read_only(model: type[Model], **options: Any) -> None:
    attributes = {"form": _form(model), "__module__": __name__, **options}
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), attributes))


_read_only(
    Disclosure,
    list_display=["disclosed_at", "agency", "source", "lawful_basis", "case", "disclosed_by"],
    list_filter=["source", "lawful_basis", "agency"],
    search_fields=["case__reference", "agency__name", "what", "reason"],
    list_select_related=["agency", "case", "disclosed_by"],
)
_read_only(
    Referral,
    list_display=["case", "agency", "kind", "sent_at", "acknowledged_at", "outcome_at", "withdrawn_at"],
    list_filter=["kind", "lawful_basis", "consent"],
    search_fields=["case__reference", "agency__name", "crime_reference"],
    list_select_related=["case", "agency"],
)
_read_only(ReferralChase, list_display=["referral", "step", "due_at", "sent_at"])
_read_only(
    MaracForm,
    list_display=["referral", "produced_at", "produced_by", "size"],
    list_select_related=["referral", "produced_by"],
    exclude=["file"],  # the PDF is read through its audited download, never from the admin
)
_read_only(
    SupportOffer,
    list_display=["case", "party", "kind", "status", "offered_at", "offer_again_on"],
    list_filter=["kind", "status"],
    search_fields=["case__reference"],
    list_select_related=["case", "party"],
)
_read_only(
    SharingAgreement,
    list_display=["name", "lawful_basis", "starts_on", "review_on", "ends_on"],
    search_fields=["name", "purpose"],
)
_read_only(AgreementReviewReminder, list_display=["agreement", "review_on", "sent_at"])
_read_only(
    CaseShare,
    list_display=["case", "agency", "lawful_basis", "starts_at", "ends_on", "withdrawn_at"],
    list_filter=["lawful_basis", "agency"],
    search_fields=["case__reference", "agency__name"],
    list_select_related=["case", "agency"],
)
_read_only(
    PartnerUpdate,
    list_display=["case", "agency", "created_at", "created_by"],
    search_fields=["case__reference", "agency__name"],
    list_select_related=["case", "agency", "created_by"],
)
_read_only(CaseConference, list_display=["case", "held_on", "created_by"], search_fields=["case__reference"])
_read_only(ConferenceAction, list_display=["description", "owner_agency", "owner_name", "due_on", "done_at"])
