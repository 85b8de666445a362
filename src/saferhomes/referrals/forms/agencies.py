"""Forms of the agency directory: searching it, and adding or changing an agency (GOV.UK Design System via
crispy-forms-gds). The rules live in `services.agencies.AgencyDetails.checked`; the fields here only turn what was
typed into values and refuse what is plainly not one (an email address, a web address, a kind from the list)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm, EdgeForm
from saferhomes.referrals.models import AgencyKind
from saferhomes.referrals.selectors.agencies import SEARCH_MAX
from saferhomes.referrals.services.agencies import (
    AGENCY_FIELDS,
    EMAIL_MESSAGE,
    KIND_MESSAGE,
    LIMITS,
    SECURE_EMAIL_MESSAGE,
    WEBSITE_MESSAGE,
    WORDS,
    AgencyDetails,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class AgencySearchForm(EdgeForm):
    """Search the directory by name or code; filter by kind."""

    q = forms.CharField(
        label="Name or code",
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": f"Search text must be {SEARCH_MAX} characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of agency",
        required=False,
        choices=[("", "All kinds"), *AgencyKind.choices],
        error_messages={"invalid_choice": KIND_MESSAGE},
    )


def _text(name: str, *, label: str | None = None, help_text: str = "", textarea: bool = False) -> forms.CharField:
    words = label or WORDS[name]
    return forms.CharField(
        label=words,
        required=False,
        max_length=LIMITS[name],
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput,
        error_messages={"max_length": f"{WORDS[name]} must be {LIMITS[name]} characters or fewer"},
    )


def _yes_no(label: str, *, help_text: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required},
    )


class AgencyForm(DomainErrorForm):
    """An agency's details: who they are, how to reach them, who they help and how to refer, and whether they may
    have domestic abuse information."""

    code = forms.CharField(
        label="Code",
        max_length=LIMITS["code"],
        help_text="A short key that stays the same, used in imports and the API, for example COUNCIL-ASB",
        error_messages={
            "required": "Enter a code for the agency",
            "max_length": f"Code must be {LIMITS['code']} characters or fewer",
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=LIMITS["name"],
        error_messages={
            "required": "Enter the agency's name",
            "max_length": f"Name must be {LIMITS['name']} characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of agency",
        choices=AgencyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": KIND_MESSAGE, "invalid_choice": KIND_MESSAGE},
    )
    description = _text("description", help_text="What the agency or service does", textarea=True)
    email = forms.EmailField(
        label=WORDS["email"],
        required=False,
        max_length=LIMITS["email"],
        error_messages={"invalid": EMAIL_MESSAGE, "max_length": "Email address must be 254 characters or fewer"},
    )
    secure_email = forms.EmailField(
        label=WORDS["secure_email"],
        required=False,
        max_length=LIMITS["secure_email"],
        help_text="For personal information, for example a police .pnn or a council .gcsx address",
        error_messages={
            "invalid": SECURE_EMAIL_MESSAGE,
            "max_length": "Secure email address must be 254 characters or fewer",
        },
    )
    phone = _text("phone")
    website = forms.URLField(
        label=WORDS["website"],
        required=False,
        max_length=LIMITS["website"],
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_MESSAGE, "max_length": "Website must be 200 characters or fewer"},
    )
    address = _text("address")
    area_served = _text("area_served", help_text="For example, the borough, or the towns it covers")
    eligibility = _text("eligibility", textarea=True)
    how_to_refer = _text("how_to_refer", textarea=True)
    handles_da = _yes_no(
        "Is the agency entitled to domestic abuse information?",
        help_text="Only agencies that are (MARAC, IDVA services, police public protection, children's social care) "
        "may be sent or shown domestic abuse cases",
        required="Select yes if the agency is entitled to domestic abuse information",
    )
    active = _yes_no(
        "Is the agency still taking referrals?",
        help_text="An agency that is not is kept in the directory, but cases are no longer referred or shared to it",
        required="Select yes if the agency is still taking referrals",
    )

    def __init__(self, *args: Any, submit: str = "Save agency", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field.text("code", field_width=20),
            Field.text("name", field_width=Fluid.FULL),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("description"),
            Fieldset(
                Field.text("email", field_width=Fluid.TWO_THIRDS),
                Field.text("secure_email", field_width=Fluid.TWO_THIRDS),
                Field.text("phone", field_width=20),
                Field.text("website", field_width=Fluid.TWO_THIRDS),
                Field.text("address", field_width=Fluid.FULL),
                legend="How to reach them",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("area_served", field_width=Fluid.FULL),
                Field.textarea("eligibility"),
                Field.textarea("how_to_refer"),
                legend="Who they help and how to refer",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("handles_da", legend_size=Size.MEDIUM, inline=True),
            Field.radios("active", legend_size=Size.MEDIUM, inline=True),
            Button("submit", submit),
        )
        self.helper = helper
        for name in ("code", "email", "secure_email", "website"):
            self.fields[name].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        """The directory's own rules (`AgencyDetails.problems`) on every field the form let through, so the page
        refuses exactly what the service would (e.g. an ftp:// website)."""
        cleaned = super().clean() or {}
        values = {name: cleaned.get(name, "") for name in AGENCY_FIELDS if name in self.fields}
        values.setdefault("kind", AgencyKind.OTHER)
        _details, problems = AgencyDetails(**values).problems()
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def details(self) -> AgencyDetails:
        """What was typed, as the services take it (once the form is valid)."""
        data = self.cleaned_data
        return AgencyDetails(**{name: data[name] for name in AGENCY_FIELDS})

    @staticmethod
    def initial_for(details: AgencyDetails) -> dict[str, Any]:
        """A form's initial answers from an agency's details."""
        initial: dict[str, Any] = asdict(details)
        initial["handles_da"] = "yes" if details.handles_da else "no"
        initial["active"] = "yes" if details.active else "no"
        return initial
