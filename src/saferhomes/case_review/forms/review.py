"""Forms of the review pages (issue 17 part 4) and the public statistics page (part 7).

GOV.UK Design System via crispy-forms-gds. The forms turn what was typed into values; the rules (dates, owners, a
different chair for an appeal) live in `case_review.services.review`, whose DomainErrors land on the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from saferhomes.accounts.models import User
from saferhomes.case_review.models import AccountHow, AppealResult, RecommendationStatus
from saferhomes.core.forms import DomainErrorForm, EdgeForm, GovukDateField
from saferhomes.referrals.models import Agency

TEXT_MAX = 10_000
NAME_MAX = 200
ATTENDEE_ROWS = 6


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _text_area(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {TEXT_MAX:,} characters or fewer",
        },
    )


def _staff_choices(staff: Sequence[User], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(u.pk), u.get_full_name() or u.get_username()) for u in staff]


def _agency_choices(agencies: Sequence[Agency], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(a.pk), a.name) for a in agencies]


class _StaffChoiceMixin:
    staff_by_id: dict[str, User]
    agency_by_id: dict[str, Agency]

    def chosen_staff(self, value: str) -> User | None:
        return self.staff_by_id.get(value or "")

    def chosen_agency(self, value: str) -> Agency | None:
        return self.agency_by_id.get(value or "")


class SpocForm(_StaffChoiceMixin, DomainErrorForm):
    spoc = forms.ChoiceField(
        label="Single point of contact",
        help_text="They are named to the applicant in the decision letter and keep them up to date.",
        error_messages={"required": "Select the single point of contact", "invalid_choice": "Select someone listed"},
    )

    def __init__(self, *args: Any, staff: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_by_id = {str(u.pk): u for u in staff}
        cast(forms.ChoiceField, self.fields["spoc"]).choices = _staff_choices(staff, "Select a member of staff")
        self.helper = _helper(Field.select("spoc"), submit="Save")


class InviteForm(_StaffChoiceMixin, DomainErrorForm):
    agency = forms.ChoiceField(
        label="Agency from the directory",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    name = forms.CharField(
        label="Or the name of an agency not in the directory",
        required=False,
        max_length=NAME_MAX,
        error_messages={"max_length": f"The agency's name must be {NAME_MAX} characters or fewer"},
    )

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_by_id = {str(a.pk): a for a in agencies}
        cast(forms.ChoiceField, self.fields["agency"]).choices = _agency_choices(agencies, "Select an agency")
        self.helper = _helper(Field.select("agency"), Field.text("name"), submit="Invite")


def attendee_field(row: int, part: str) -> str:
    return f"attendee_{row}_{part}"


class PanelForm(_StaffChoiceMixin, DomainErrorForm):
    """The panel meeting and up to ATTENDEE_ROWS attendees (rows left empty are ignored: no JavaScript needed)."""

    SERVICE_FIELDS = {"attendees": "attendee_1_name"}

    held_on = GovukDateField(label="Date the panel met", required_message="Enter the date the panel met")
    chair = forms.ChoiceField(
        label="Who chaired the panel",
        error_messages={"required": "Select who chaired the panel", "invalid_choice": "Select someone listed"},
    )
    information_considered = _text_area(
        "Information the panel considered",
        help_text="For example, the case records, the police's incident log, the council's notes.",
    )
    applicant_account = _text_area(
        "The applicant's own account", help_text="What they told the panel about what happened and its effect on them."
    )
    applicant_account_how = forms.ChoiceField(
        label="How the panel heard it",
        choices=AccountHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the panel heard the applicant's account"},
    )

    def __init__(
        self, *args: Any, staff: Sequence[User], agencies: Sequence[Agency], rows: int = ATTENDEE_ROWS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.staff_by_id = {str(u.pk): u for u in staff}
        self.agency_by_id = {str(a.pk): a for a in agencies}
        self.rows = rows
        cast(forms.ChoiceField, self.fields["chair"]).choices = _staff_choices(staff, "Select a member of staff")
        fieldsets = []
        for row in range(1, rows + 1):
            self.fields[attendee_field(row, "name")] = forms.CharField(
                label="Name", required=False, max_length=NAME_MAX
            )
            self.fields[attendee_field(row, "agency")] = forms.ChoiceField(
                label="Agency",
                required=False,
                choices=_agency_choices(agencies, "Not in the directory, or none"),
                error_messages={"invalid_choice": "Select an agency from the list"},
            )
            self.fields[attendee_field(row, "agency_name")] = forms.CharField(
                label="Or the agency's name", required=False, max_length=NAME_MAX
            )
            self.fields[attendee_field(row, "role")] = forms.CharField(
                label="Role", required=False, max_length=NAME_MAX, help_text="For example, Chair, ASB officer"
            )
            fieldsets.append(
                Fieldset(
                    Field.text(attendee_field(row, "name")),
                    Field.select(attendee_field(row, "agency")),
                    Field.text(attendee_field(row, "agency_name")),
                    Field.text(attendee_field(row, "role")),
                    legend=f"Attendee {row}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = _helper(
            _date("held_on"),
            Field.select("chair"),
            Field.textarea("information_considered"),
            Field.textarea("applicant_account"),
            Field.radios("applicant_account_how", legend_size=Size.SMALL),
            Fieldset(*fieldsets, legend="Who attended", legend_size=Size.MEDIUM),
            submit="Save the meeting",
        )

    def attendees(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "name": data.get(attendee_field(row, "name")) or "",
                "role": data.get(attendee_field(row, "role")) or "",
                "agency": self.chosen_agency(data.get(attendee_field(row, "agency")) or ""),
                "agency_name": data.get(attendee_field(row, "agency_name")) or "",
            }
            for row in range(1, self.rows + 1)
        ]


class RecommendationForm(_StaffChoiceMixin, DomainErrorForm):
    text = _text_area("What will be done", help_text="In plain English: the outcome letter quotes it.", rows=3)
    owner_agency = forms.ChoiceField(
        label="Agency responsible",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    owner_agency_name = forms.CharField(
        label="Or the name of an agency not in the directory", required=False, max_length=NAME_MAX
    )
    owner_user = forms.ChoiceField(
        label="Member of staff responsible",
        required=False,
        error_messages={"invalid_choice": "Select someone listed"},
    )
    due_on = GovukDateField(label="Date it is due", required_message="Enter the date it is due")

    def __init__(self, *args: Any, staff: Sequence[User], agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_by_id = {str(u.pk): u for u in staff}
        self.agency_by_id = {str(a.pk): a for a in agencies}
        cast(forms.ChoiceField, self.fields["owner_agency"]).choices = _agency_choices(agencies, "None")
        cast(forms.ChoiceField, self.fields["owner_user"]).choices = _staff_choices(staff, "None")
        self.helper = _helper(
            Field.textarea("text"),
            Field.select("owner_agency"),
            Field.text("owner_agency_name"),
            Field.select("owner_user"),
            _date("due_on"),
            submit="Add the recommendation",
        )


class ProgressForm(DomainErrorForm):
    status = forms.ChoiceField(
        label="Where has it got to?",
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the recommendation has got to"},
    )
    completed_on = GovukDateField(label="Date it was finished", required=False)
    note = _text_area("Note", required=False, help_text="Required when it could not be completed: say why.", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].help_text = "Only when it is completed or could not be completed"
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL), _date("completed_on"), Field.textarea("note"), submit="Save"
        )


class ConcludeForm(DomainErrorForm):
    outcome = _text_area(
        "What the panel concluded",
        help_text="In plain English, for the applicant: the outcome letter quotes it with the recommendations.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("outcome"), submit="Conclude the review")


class AppealForm(_StaffChoiceMixin, DomainErrorForm):
    requested_on = GovukDateField(label="Date the applicant appealed", required_message="Enter the date they asked")
    grounds = _text_area("Why the applicant is appealing")
    chair = forms.ChoiceField(
        label="Who will chair the appeal",
        help_text="Someone other than the review panel's chair.",
        error_messages={"required": "Select who chairs the appeal", "invalid_choice": "Select someone listed"},
    )

    def __init__(self, *args: Any, staff: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_by_id = {str(u.pk): u for u in staff}
        cast(forms.ChoiceField, self.fields["chair"]).choices = _staff_choices(staff, "Select a member of staff")
        self.helper = _helper(
            _date("requested_on"), Field.textarea("grounds"), Field.select("chair"), submit="Record the appeal"
        )


class AppealConcludeForm(DomainErrorForm):
    held_on = GovukDateField(label="Date the appeal was heard", required_message="Enter the date the appeal was heard")
    information_considered = _text_area("Information the appeal considered")
    result = forms.ChoiceField(
        label="Result",
        choices=AppealResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the appeal's result"},
    )
    outcome = _text_area("The appeal's outcome", help_text="In plain English: the appeal outcome letter quotes it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _date("held_on"),
            Field.textarea("information_considered"),
            Field.radios("result", legend_size=Size.SMALL),
            Field.textarea("outcome"),
            submit="Record the appeal's outcome",
        )


class SendLetterForm(DomainErrorForm):
    """A confirmation: the letter is previewed on the page above the button."""

    def __init__(self, *args: Any, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit=submit)


class StatisticsYearForm(EdgeForm):
    """The public statistics page's year (a GET form: the page works without JavaScript)."""

    year = forms.ChoiceField(label="Year", error_messages={"invalid_choice": "Select a year from the list"})

    def __init__(self, *args: Any, years: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = list(years)
        self.helper = _helper(Field.select("year"), submit="Show")
