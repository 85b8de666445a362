"""Configuration admin for staff accounts, teams and API tokens; the admin site itself requires the second factor."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from saferhomes.accounts import services
from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import ApiToken, Team, User
from saferhomes.core.audit import snapshot
from saferhomes.core.errors import DomainError


class StaffAdminSite(OTPAdminSite):
    """Only active administrators (is_staff, given by the admin role) who have passed the second factor get in."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Sign-in happens on the staff sign-in page; a signed-in non-administrator is refused, not asked again."""
        if request.user.is_authenticated and getattr(request.user, "is_verified", lambda: False)():
            raise PermissionDenied("Only administrators can use the configuration pages.")
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': next_url}, safe='/')}")


# The default site (mounted at /staff/admin/ and used by every app's admin.py) becomes OTP-protected.
admin.site.__class__ = StaffAdminSite


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff accounts: role decides groups and admin access; superuser flags are never offered."""

    list_display = ["username", "first_name", "last_name", "email", "role", "team", "is_active", "last_login"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "is_staff"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email", "job_title", "phone")}),
        ("Role and team", {"fields": ("role", "team", "is_active", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "team",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool) -> None:
        before = None
        if change:
            before = snapshot(User.objects.get(pk=obj.pk), services.USER_AUDIT_FIELDS)
        super().save_model(request, obj, form, change)
        # No group or permission fields are on the form, so nothing after this overwrites what the role sets.
        services.staff_admin_saved(actor=actor_of(request), user=obj, before=before, request=request)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description="Members", ordering="member_total")
    def member_count(self, obj: Team) -> int:
        return int(getattr(obj, "member_total", 0))

    def save_model(self, request: HttpRequest, obj: Team, form: ModelForm[Team], change: bool) -> None:
        before = snapshot(Team.objects.get(pk=obj.pk), ["name"]) if change else None
        super().save_model(request, obj, form, change)
        services.team_admin_saved(actor=actor_of(request), team=obj, before=before, request=request)

    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        services.team_delete(actor=actor_of(request), team=obj, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Team]) -> None:
        for team in queryset:
            services.team_delete(actor=actor_of(request), team=team, request=request)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created by their owners or the command line; here they can only be seen and revoked."""

    list_display = ["key_prefix", "user", "name", "created_at", "last_used_at", "status"]
    list_filter = ["revoked_at"]
    search_fields = ["key_prefix", "name", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "key_prefix", "key_hash", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "key_prefix", "key_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="Status")
    def status(self, obj: ApiToken) -> str:
        return "Active" if obj.is_active else "Revoked"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoked tokens stay on record

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.token_revoke(actor=actor_of(request), token=token, request=request)
            except (DomainError, PermissionDenied) as error:
                self.message_user(request, f"{token.key_prefix}…: {error}", level=messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, f"Revoked {revoked} token{'s' if revoked != 1 else ''}.", level=messages.SUCCESS)
