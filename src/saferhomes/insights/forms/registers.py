"""Forms of the registers (issue 18 part 5). They turn what was typed into values; the services' rules land back on
the fields (DomainErrorForm)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.accounts.models import TrainingCourse, User
from saferhomes.core.forms import DomainErrorForm, GovukDateField
from saferhomes.housing.models import Area, Estate
from saferhomes.insights.models import InitiativeKind, PolicyReviewKind
from saferhomes.referrals.models import Agency

TEXT_MAX = 5000


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class InitiativeForm(DomainErrorForm):
    kind = forms.ChoiceField(label="What kind", choices=InitiativeKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="What it is", max_length=200)
    description = forms.CharField(
        label="Description", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.all(), required=False, empty_label="Every area")
    estate = forms.ModelChoiceField(
        label="Estate", queryset=Estate.objects.select_related("area"), required=False, empty_label="No one estate"
    )
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date", required=False, help_text="Leave empty if it is ongoing.")
    partners = forms.ModelMultipleChoiceField(
        label="Partners",
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Agencies from the directory who took part.",
    )
    reach = forms.IntegerField(
        label="Reach", required=False, min_value=0, max_value=10_000_000, help_text="How many people it reached."
    )
    cost = forms.DecimalField(
        label="Cost in pounds", required=False, min_value=Decimal(0), max_value=Decimal("99999999.99"), decimal_places=2
    )
    published = forms.BooleanField(
        label="List it on the public 'action we've taken' page", required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            Field.textarea("description"),
            Field.select("area"),
            Field.select("estate"),
            _date("starts_on"),
            _date("ends_on"),
            Field.checkboxes("partners", legend_size=Size.SMALL, small=True),
            Field.text("reach", field_width=10),
            Field.text("cost", field_width=10),
            Field.checkboxes("published", small=True),
            submit="Save",
        )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class TrainingForm(DomainErrorForm):
    user = StaffChoiceField(label="Member of staff", queryset=User.objects.none(), empty_label="Select a person")
    course = forms.ChoiceField(label="Course", choices=[("", "Select a course"), *TrainingCourse.choices])
    title = forms.CharField(label="Course name", max_length=200, required=False, help_text="Optional.")
    completed_on = GovukDateField(label="Date completed")
    expires_on = GovukDateField(
        label="Expiry date", required=False, help_text="Leave empty if it does not need renewing."
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff
        self.helper = _helper(
            Field.select("user"),
            Field.select("course"),
            Field.text("title"),
            _date("completed_on"),
            _date("expires_on"),
            submit="Save",
        )


class PolicyReviewForm(DomainErrorForm):
    kind = forms.ChoiceField(label="Which review", choices=PolicyReviewKind.choices, widget=forms.RadioSelect)
    due_on = GovukDateField(label="Due date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("kind", legend_size=Size.SMALL), _date("due_on"), submit="Save")


class PolicyApprovalForm(DomainErrorForm):
    completed_on = GovukDateField(label="Date the review was completed")
    summary = forms.CharField(
        label="What the review found and changed", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    approval_body = forms.CharField(
        label="Approved by",
        max_length=200,
        required=False,
        help_text="Who approved it, for example 'The board, 14 March 2027'. You are recorded as the approver too.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _date("completed_on"), Field.textarea("summary"), Field.text("approval_body"), submit="Record approval"
        )
