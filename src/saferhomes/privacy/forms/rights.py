"""Forms for rights requests: record one, check identity, extend the deadline, decide, and filter the list."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm, EdgeForm, GovukDateField
from saferhomes.housing.models import Person
from saferhomes.privacy.models_rights import RightsDecision, RightsKind
from saferhomes.privacy.services.rights import RequestDetails

TEXT_MAX = 5000
SHOW_CHOICES = [
    ("open", "Open"),
    ("due_soon", "Due in the next 7 days"),
    ("overdue", "Overdue"),
    ("closed", "Decided"),
    ("all", "All"),
]


def _helper(*fields: Any, submit: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, *([Button("submit", submit)] if submit else []))
    return helper


def _text(label: str, *, max_length: int = 200, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _area(label: str, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return _text(label, max_length=TEXT_MAX, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class RightsRequestForm(DomainErrorForm):
    """A new request: what kind, who asked (and how their identity was checked), whom it is about."""

    SERVICE_FIELDS = {"person": "person_reference"}

    kind = forms.ChoiceField(
        label="What are they asking for?",
        choices=RightsKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they are asking for", "invalid_choice": "Select a kind of request"},
    )
    received_on = GovukDateField(label="Date it was received", help_text="For example, 3 9 2026")
    requester_name = _text("Full name of the person asking", required=True)
    requester_email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    requester_phone = _text("Their phone number", max_length=30)
    requester_address = _text("Their postal address", max_length=250)
    acting_for_subject = forms.BooleanField(
        label="They are asking on someone else's behalf (a solicitor, an advocate, a parent)", required=False
    )
    authority = _area("Authority seen for acting on their behalf", help_text="For example, signed consent")
    identity_verified_how = _area(
        "How was their identity checked?",
        help_text="For example, photo ID seen at the office. Leave blank if not checked yet.",
    )
    person_reference = _text(
        "Housing register reference of the person it is about", max_length=40, help_text="If they are on it"
    )
    subject_names = _area("Full names they are known by", help_text="One per line, first name then last name")
    subject_dob = GovukDateField(label="Their date of birth", required=False, help_text="For example, 17 5 1980")
    subject_emails = _area("Their email addresses", help_text="One per line")
    subject_phones = _area("Their phone numbers", help_text="One per line")
    subject_postcodes = _area("Postcodes they have lived at", help_text="One per line")
    details = _area("What they asked for, in their words", rows=4)
    notes = _area("Notes")

    def __init__(self, *args: Any, person_lookup: Any, **kwargs: Any) -> None:
        self.person_lookup = person_lookup
        super().__init__(*args, **kwargs)
        self.fields["subject_dob"].help_text = "For example, 17 5 1980"
        self.fields["received_on"].help_text = "For example, 3 9 2026"
        small = {"legend_size": Size.for_legend(Size.SMALL)}
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field("received_on", context=small),
            Fieldset(
                "requester_name",
                "requester_email",
                Field.text("requester_phone", field_width=20),
                "requester_address",
                Field.checkbox("acting_for_subject"),
                "authority",
                "identity_verified_how",
                legend="Who is asking",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("person_reference", field_width=10),
                "subject_names",
                Field("subject_dob", context=small),
                "subject_emails",
                "subject_phones",
                "subject_postcodes",
                legend="Who it is about",
                legend_size=Size.MEDIUM,
            ),
            "details",
            "notes",
            submit="Record request",
        )

    def request_details(self) -> RequestDetails:
        """The cleaned answers for `rights_request_record` (after is_valid())."""
        data = self.cleaned_data
        person: Person | None = None
        if reference := data.get("person_reference", "").strip():
            person = self.person_lookup(reference)
        return RequestDetails(
            kind=data["kind"],
            requester_name=data["requester_name"],
            received_on=data["received_on"],
            requester_email=data.get("requester_email", ""),
            requester_phone=data.get("requester_phone", ""),
            requester_address=data.get("requester_address", ""),
            acting_for_subject=bool(data.get("acting_for_subject")),
            authority=data.get("authority", ""),
            identity_verified_how=data.get("identity_verified_how", ""),
            person=person,
            subject_names=_lines(data.get("subject_names", "")),
            subject_dob=data.get("subject_dob"),
            subject_emails=_lines(data.get("subject_emails", "")),
            subject_phones=_lines(data.get("subject_phones", "")),
            subject_postcodes=_lines(data.get("subject_postcodes", "")),
            details=data.get("details", ""),
            notes=data.get("notes", ""),
        )


class IdentityForm(DomainErrorForm):
    SERVICE_FIELDS = {"identity_verified_how": "how"}

    how = _area("How was their identity checked?", required=True, help_text="For example, photo ID seen")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("how", submit="Record identity check")


class ExtendForm(DomainErrorForm):
    reason = _area("Why does the deadline need extending?", required=True, help_text="For example, complex request")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", submit="Extend by two months")


class DecideForm(DomainErrorForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=RightsDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision", "invalid_choice": "Select a decision"},
    )
    reason = _area(
        "Reason",
        help_text="Needed when refused or met in part: for example, kept for legal claims (Article 17(3)(e)), or "
        "manifestly unfounded or excessive (Article 12(5))",
    )
    action_taken = _area(
        "What was done",
        help_text="Rectification: what was wrong, what it now says and where. Erasure of a closed case: "
        "'anonymise early' for the retention job.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL), "reason", "action_taken", submit="Record decision"
        )


class ReviewForm(DomainErrorForm):
    """Extra words to redact (the record checkboxes are read by the view: their keys come from the search)."""

    extra_redactions = _area(
        "Other words to redact",
        rows=4,
        help_text="One per line: names or details of other people the search could not know about",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("extra_redactions")


class RequestListForm(EdgeForm):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *RightsKind.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.select("show"), Field.select("kind"), submit="Filter")
        self.helper.form_method = "get"
