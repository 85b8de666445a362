"""Forms for the DPO's oversight pages (GET filters) and for giving the DPO time-limited access to a case."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.accounts.models import User
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import DomainErrorForm, EdgeForm, GovukDateField
from saferhomes.privacy.selectors.oversight import MAX_DAYS, OversightFilters
from saferhomes.privacy.services.dpo_access import HOURS_CHOICES


class OversightFilterForm(EdgeForm):
    """Dates (default: the last 30 days), a username and a case reference; submitted with GET."""

    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)
    user = forms.CharField(
        label="Username",
        required=False,
        max_length=150,
        help_text="The member of staff or partner user, e.g. manager_maya",
        error_messages={"max_length": "Username must be 150 characters or fewer"},
    )
    case = forms.CharField(
        label="Case reference",
        required=False,
        max_length=20,
        help_text="For example, DA-2026-000042",
        error_messages={"max_length": "Case reference must be 20 characters or fewer"},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date_from"].help_text = "For example, 27 3 2026. Leave empty for the last 30 days"
        self.fields["date_to"].help_text = f"For example, 31 3 2026. At most {MAX_DAYS} days after date from"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("date_from", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("date_to", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("user", field_width=20),
            Field.text("case", field_width=10),
            Button("show", "Show", css_class="govuk-!-margin-bottom-0"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self._filters = self._build(cleaned)
        except DomainError as error:
            for name, messages in error.field_errors.items():
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    def _build(self, data: dict[str, Any]) -> OversightFilters:
        recent = OversightFilters.recent(self.today)
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from is None and date_to is not None:
            date_from = min(date_to, recent.date_from)
        return OversightFilters(
            date_from=date_from or recent.date_from,
            date_to=date_to or max(self.today, date_from or self.today),
            user=data.get("user", "").strip(),
            case=data.get("case", "").strip().upper(),
        )

    def filters(self) -> OversightFilters:
        """The cleaned form as selector filters (call only after is_valid())."""
        filters: OversightFilters = self._filters
        return filters


class DpoAccessForm(DomainErrorForm):
    """A manager or administrator gives the DPO access to one case for a few hours, with a reason."""

    dpo = forms.ChoiceField(
        label="Data protection officer", error_messages={"required": "Select the data protection officer"}
    )
    reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example, DA-2026-000042",
        error_messages={
            "required": "Enter the case reference",
            "max_length": "Case reference must be 20 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why does the data protection officer need to see this case?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a complaint about how the case was handled. It is kept in the audit trail",
        error_messages={
            "required": "Enter why the data protection officer needs to see this case",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )
    hours = forms.TypedChoiceField(
        label="How long for",
        coerce=int,
        choices=[(h, f"{h} hour{'s' if h != 1 else ''}") for h in HOURS_CHOICES],
        initial=8,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long the access lasts"},
    )

    def __init__(self, *args: Any, dpos: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dpos = {str(user.pk): user for user in dpos}
        choices = [(pk, f"{user.get_full_name() or user.username} ({user.username})") for pk, user in self.dpos.items()]
        cast(forms.ChoiceField, self.fields["dpo"]).choices = [("", "Select"), *choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("dpo"),
            Field.text("reference", field_width=10),
            Field.textarea("reason"),
            Field.radios("hours", legend_size=Size.SMALL, inline=True),
            Button("give", "Give access"),
        )

    def chosen_dpo(self) -> User | None:
        return self.dpos.get(str(self.cleaned_data.get("dpo", "")))
