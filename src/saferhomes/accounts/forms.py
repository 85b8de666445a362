"""Staff sign-in, second factor, password reset and API token forms (GOV.UK Design System via crispy-forms-gds)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from saferhomes.accounts.models import User
from saferhomes.core.forms import EdgeChecked, EdgeForm

ENTER_CODE = "Enter the 6-digit code from your authenticator app"
BAD_CREDENTIALS = "Enter the username and password for a staff account"


def _helper(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag, CSRF token and hidden `next` the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class SignInForm(EdgeChecked, AuthenticationForm):
    """Username and password; one message for any wrong combination so it never says which part was wrong."""

    error_messages = {
        "invalid_login": BAD_CREDENTIALS,
        "inactive": BAD_CREDENTIALS,
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label, password.label = "Username", "Password"
        username.error_messages["required"] = "Enter your username"
        password.error_messages["required"] = "Enter your password"
        username.widget.attrs.update({"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
        username.widget.attrs.pop("autofocus", None)
        password.widget.attrs.update({"autocomplete": "current-password"})
        self.helper = _helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            submit="Sign in",
        )

    def clean(self) -> dict[str, Any]:
        # Only check the password once both boxes are filled in; each empty box has its own message.
        if self.errors:
            return self.cleaned_data
        return super().clean()


def _normalise_code(value: str) -> str:
    # People copy codes with spaces or hyphens ("123 456"); some keyboards type full-width digits.
    value = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s-]", "", value)


class OtpTokenForm(EdgeForm):
    """The 6-digit code from an authenticator app."""

    otp_token = forms.CharField(
        label="Code",
        help_text="Open your authenticator app and enter the 6-digit code it shows for this service.",
        error_messages={"required": ENTER_CODE},
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )

    def __init__(self, *args: Any, submit: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("otp_token", field_width=5, label_size=Size.SMALL), submit=submit)

    def clean_otp_token(self) -> str:
        code = _normalise_code(self.cleaned_data["otp_token"])
        if not code:
            raise forms.ValidationError(ENTER_CODE)
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class StaffPasswordResetForm(EdgeChecked, PasswordResetForm):
    """Ask for an email address; accounts created without a password may use this to set their first one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address on your staff account."
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            }
        )
        email.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = _helper(Field.text("email", field_width=Fluid.TWO_THIRDS), submit="Send reset link")

    def get_users(self, email: str) -> Iterator[User]:
        """Active accounts with this address, including those that have never had a password."""
        wanted = unicodedata.normalize("NFKC", email).casefold()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted:
                yield user


class StaffSetPasswordForm(EdgeChecked, SetPasswordForm):
    """Choose a new password (checked against the password rules in settings)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Confirm new password"
        first.help_text = "Use at least 12 characters. Avoid common words and passwords you use elsewhere."
        second.help_text = ""
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter the new password again"
        self.error_messages = {**self.error_messages, "password_mismatch": "The passwords do not match"}
        self.helper = _helper(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            submit="Save new password",
        )


class TokenCreateForm(EdgeForm):
    """Name a new API token so its owner can tell it apart later."""

    name = forms.CharField(
        label="Token name",
        help_text="What the token is for, like 'Reporting spreadsheet'.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Token name must be 100 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS, label_size=Size.MEDIUM, label_tag="h2"),
            submit="Create token",
        )
