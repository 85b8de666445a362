"""Staff sign-in (password, then TOTP), sign-out, password reset, staff home and personal API tokens.

Views are thin: they check the request, call services in `accounts.services` and render GOV.UK pages.
"""

from __future__ import annotations

import base64
import io
from typing import Any, cast
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhomes.accounts import services
from saferhomes.accounts.forms import (
    OtpTokenForm,
    SignInForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
    TokenCreateForm,
)
from saferhomes.accounts.http import actor_of
from saferhomes.accounts.middleware import SESSION_IDLE_SIGNED_OUT
from saferhomes.accounts.models import ApiToken, User
from saferhomes.accounts.selectors import (
    partner_home_url,
    staff_links,
    tokens_for_user,
    totp_device_confirmed,
    url_if_exists,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import add_domain_error


def safe_next(request: HttpRequest) -> str:
    """The `next` URL from the form or query string if it points at this site; otherwise ''."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def _signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    if user.is_authenticated and user.is_active:
        return user
    return None


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


class SignInView(auth_views.LoginView):
    """Step 1: username and password (django-axes counts failures and locks out)."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.session.pop(SESSION_IDLE_SIGNED_OUT, False):
            messages.info(
                request,
                f"You were signed out because you had not used the service for {settings.IDLE_TIMEOUT_MINUTES} "
                "minutes. Sign in again to continue.",
            )
        if _signed_in_user(request) is not None and _is_verified(request):
            return redirect(safe_next(request) or reverse("accounts:staff-home"))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        next_url = self.get_redirect_url()
        super().form_valid(form)  # signs in with the password only: the staff area still needs the second factor
        user = form.get_user()
        target = "accounts:two-factor" if totp_device_confirmed(user=user) else "accounts:two-factor-setup"
        return HttpResponseRedirect(_with_next(target, next_url))

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        username = (self.request.POST.get("username") or "").strip()
        if username and self.request.POST.get("password"):
            locked = getattr(self.request, "axes_locked_out", False)
            services.staff_sign_in_failed(
                username=username,
                reason="Locked out after repeated failures." if locked else "Username or password not correct.",
                request=self.request,
            )
        return super().form_invalid(form)


class _SecondFactorView(View):
    """Shared checks for the second-factor pages: signed in with a password, second factor not yet passed."""

    template_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _signed_in_user(request)
        if user is None:
            return redirect(_with_next("accounts:sign-in", safe_next(request)))
        if _is_verified(request):
            return redirect(safe_next(request) or reverse("accounts:staff-home"))
        self.user = user
        return super().dispatch(request, *args, **kwargs)

    def finish(self, device: TOTPDevice) -> HttpResponse:
        """Mark the session as verified and go where the person was heading."""
        self.request.session.cycle_key()  # new session id now that the session is fully trusted
        django_otp.login(self.request, device)
        services.staff_signed_in(user=self.user, request=self.request)
        return redirect(safe_next(self.request) or reverse("accounts:staff-home"))

    def render_page(self, form: OtpTokenForm, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "next": safe_next(self.request), **context})


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(_SecondFactorView):
    """Step 2: the 6-digit code from the authenticator app."""

    template_name = "accounts/two_factor.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if totp_device_confirmed(user=self.user) is None:
            return redirect(_with_next("accounts:two-factor-setup", safe_next(request)))
        return self.render_page(OtpTokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if totp_device_confirmed(user=self.user) is None:
            return redirect(_with_next("accounts:two-factor-setup", safe_next(request)))
        form = OtpTokenForm(request.POST)
        if form.is_valid():
            try:
                device = services.staff_totp_verify(
                    user=self.user, token=form.cleaned_data["otp_token"], request=request
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self.finish(device)
        return self.render_page(form)


def _qr_code_data_uri(text: str) -> str:
    # Imported here: qrcode brings Pillow, a seventh of a second at every start, for the enrolment page only.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(_SecondFactorView):
    """First sign-in: set up an authenticator app by QR code (or typed key), then confirm it with a code."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _signed_in_user(request)
        # Someone who already has an app must use it: a password alone never replaces a second factor.
        if user is not None and not _is_verified(request) and totp_device_confirmed(user=user) is not None:
            return redirect(_with_next("accounts:two-factor", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form: OtpTokenForm, **context: Any) -> HttpResponse:
        device = services.staff_totp_enrolment_device(user=self.user)
        context.update(qr_code=_qr_code_data_uri(device.config_url), secret=_grouped_secret(device))
        return super().render_page(form, **context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(OtpTokenForm(submit="Continue"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OtpTokenForm(request.POST, submit="Continue")
        if form.is_valid():
            device = services.staff_totp_enrolment_device(user=self.user)
            try:
                device = services.staff_totp_enrol(
                    user=self.user, device=device, token=form.cleaned_data["otp_token"], request=request
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Your authenticator app is set up. Use it each time you sign in.")
                return self.finish(device)
        return self.render_page(form)


@method_decorator(never_cache, name="dispatch")
class SignOutView(View):
    """Sign out (POST); a GET shows a button, so a link or prefetch can never sign anyone out."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return render(request, "accounts/signed_out.html")
        return render(request, "accounts/sign_out.html")

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in_user(request)
        if user is not None:
            services.staff_signed_out(user=user, request=request)
        logout(request)
        return render(request, "accounts/signed_out.html")


class StaffHomeView(TemplateView):
    """Who you are and the staff areas your role can reach; a partner agency user goes to their shared cases."""

    template_name = "accounts/staff_home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        landing = partner_home_url(actor_of(request))
        if landing:
            return redirect(landing)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = actor_of(self.request)
        context.update(staff_user=user, role_label=user.get_role_display(), areas=staff_links(user=user))
        return context


# --- Password reset by email ------------------------------------------------------------------------------------


def _reset_expiry_text() -> str:
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds % 86400 == 0:
        days = seconds // 86400
        return "1 day" if days == 1 else f"{days} days"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, seconds // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; the next page is the same whether or not the address belongs to an account."""

    form_class = StaffPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form: StaffPasswordResetForm) -> HttpResponse:
        # The link is built on SAFERHOMES_BASE_URL, never on the request's Host header (core.links).
        self.extra_email_context = {
            "expires_in": _reset_expiry_text(),
            "service_name": settings.SERVICE_NAME,
            "staff_base_url": settings.SAFERHOMES_BASE_URL,
        }
        services.staff_password_reset_requested(
            users=list(form.get_users(form.cleaned_data["email"])), request=self.request
        )
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "expires_in": _reset_expiry_text()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link (the link works once, until it expires)."""

    form_class = StaffSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = False

    def form_valid(self, form: StaffSetPasswordForm) -> HttpResponse:
        services.staff_password_reset(
            user=cast(User, form.user), password=form.cleaned_data["new_password1"], request=self.request
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(str(self.success_url))


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Personal API tokens ----------------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class TokenListView(View):
    """Your API tokens, and a form to create one (its value is shown once, on the next page only)."""

    def _page(self, form: TokenCreateForm, status: int = 200) -> HttpResponse:
        user = actor_of(self.request)
        context = {
            "form": form,
            "tokens": tokens_for_user(user=user),
            "api_docs_url": url_if_exists("api:openapi-view"),
        }
        return render(self.request, "accounts/token_list.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(TokenCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            user = actor_of(request)
            try:
                token, raw = services.token_create(
                    actor=user, user=user, name=form.cleaned_data["name"], request=request
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return render(request, "accounts/token_created.html", {"token": token, "raw_token": raw})
        return self._page(form)


class TokenRevokeView(View):
    """Confirm, then revoke one of your own tokens."""

    def _token(self, request: HttpRequest, pk: int) -> ApiToken:
        return get_object_or_404(ApiToken, pk=pk, user=actor_of(request))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self._token(request, pk)
        if not token.is_active:
            messages.info(request, f"Token {token.key_prefix}… is already revoked.")
            return redirect("accounts:token-list")
        return render(request, "accounts/token_revoke.html", {"token": token})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self._token(request, pk)
        try:
            services.token_revoke(actor=actor_of(request), token=token, request=request)
        except DomainError as error:
            messages.info(request, " ".join(error.messages))
        else:
            label = f"'{token.name}' ({token.key_prefix}…)" if token.name else f"{token.key_prefix}…"
            messages.success(request, f"Token {label} has been revoked. It no longer works.")
        return redirect("accounts:token-list")
