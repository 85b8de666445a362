"""Forms of the Interventions tab: propose, move along (a step), record a milestone.

GOV.UK Design System via crispy-forms-gds. The forms only turn what was typed into values; the rules (formal action
needs proportionality and approval, the legal rules of each kind) live in the services, whose DomainErrors land back
on the right fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.models import EvidenceFile, Party
from saferhomes.core.forms import DomainErrorForm, GovukDateField, TimeField
from saferhomes.housing.models import TenancyType
from saferhomes.interventions.rules import ABSOLUTE_GROUND_CONDITIONS

TEXT_MAX = 5000


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _tenancies_in_words(kind: dict[str, Any]) -> str:
    """' (secure or assured tenancies only)' for a possession tool (the service refuses it for anyone else)."""
    types = kind.get("tenancy_types")
    if not types or types == "any":
        return ""
    labels = dict(TenancyType.choices)
    words = [str(labels.get(value, value)).lower() for value in types]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    return f" ({listed} tenancies only)"


class ProposeForm(DomainErrorForm):
    """Propose an intervention against someone on the case."""

    SERVICE_FIELDS = {"party": "party", "kind": "kind"}

    kind = forms.ChoiceField(label="Intervention")
    party = forms.ChoiceField(label="Who it is against")
    proportionality = forms.CharField(
        label="Why it is necessary and proportionate",
        help_text="Required for formal action: what has been tried, the harm, why a lighter step is not enough.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    started_on = GovukDateField(
        label="Date it started",
        help_text="Informal steps only (advice, a warning, a plan): leave empty for formal action, which starts "
        "after a manager approves it.",
        required=False,
    )

    def __init__(self, *args: Any, kinds: Sequence[dict[str, Any]], parties: Iterable[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "Select an intervention")] + [
            (k["key"], f"{k['rung']}. {k['name']}{' (formal)' if k['formal'] else ''}{_tenancies_in_words(k)}")
            for k in kinds
        ]
        cast(forms.ChoiceField, self.fields["party"]).choices = [("", "Select a person")] + [
            (str(p.pk), f"{p.display_name} ({p.get_role_display().lower()})") for p in parties
        ]
        self.helper = _helper("kind", "party", "proportionality", _date("started_on"), submit="Propose")


class StepForm(DomainErrorForm):
    """A step of an intervention; which fields show depends on the step."""

    FIELDS: dict[str, tuple[str, ...]] = {
        "request_approval": (),
        "approve": (),
        "refuse": ("reason",),
        "start": ("started_on",),
        "conclude": ("outcome", "outcome_on"),
        "withdraw": ("reason",),
    }

    reason = forms.CharField(label="Reason", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = GovukDateField(label="Date it started")
    outcome = forms.CharField(label="Outcome", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    outcome_on = GovukDateField(label="Date of the outcome")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, step: str, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {*self.FIELDS[step], "version"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.helper = _helper(
            *[_date(n) if n.endswith("_on") else n for n in self.FIELDS[step]], "version", submit=submit
        )


class MilestoneForm(DomainErrorForm):
    """Record a milestone, with the rule data its kind needs."""

    key = forms.ChoiceField(label="Milestone")
    occurred_on = GovukDateField(label="Date it happened")
    occurred_time = TimeField(label="Time it happened (when the hour matters)", required=False)
    notes = forms.CharField(
        label="Notes", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.ChoiceField(
        label="Document", required=False, help_text="A file already on the case (add it on the Incidents tab first)."
    )
    comply_by = GovukDateField(label="Time to comply ends", required=False, help_text="Community protection warning.")
    yot_consulted_on = GovukDateField(
        label="Youth offending team consulted on", required=False, help_text="Injunction application, under 18."
    )
    ends_on = GovukDateField(label="Injunction ends on", required=False, help_text="Injunction granted.")
    order_months = forms.IntegerField(
        label="Order length in months", required=False, min_value=1, max_value=12, help_text="Closure order made."
    )
    extension_months = forms.IntegerField(
        label="Extended by (months)", required=False, min_value=1, max_value=12, help_text="Closure order extended."
    )
    condition = forms.ChoiceField(
        label="Condition met",
        required=False,
        choices=[("", "Not applicable"), *ABSOLUTE_GROUND_CONDITIONS.items()],
        help_text="Absolute ground notice served.",
    )
    trigger_on = GovukDateField(
        label="Date of the conviction, finding of breach or closure order",
        required=False,
        help_text="Absolute ground notice served: or the date an appeal against it ended. The notice must be served "
        "within 12 months of it (3 months for a closure order).",
    )

    DETAILS = (
        "comply_by",
        "yot_consulted_on",
        "ends_on",
        "order_months",
        "extension_months",
        "condition",
        "trigger_on",
    )

    def __init__(
        self,
        *args: Any,
        milestones: Sequence[dict[str, Any]],
        details: Sequence[str],
        documents: Iterable[EvidenceFile] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document"]).choices = [("", "No document")] + [
            (str(d.pk), d.original_name) for d in documents
        ]
        cast(forms.ChoiceField, self.fields["key"]).choices = [("", "Select a milestone")] + [
            (m["key"], m["name"]) for m in milestones
        ]
        for name in self.DETAILS:
            if name not in details:
                del self.fields[name]
        shown = [_date(n) if n.endswith("_on") or n == "comply_by" else n for n in self.DETAILS if n in details]
        self.helper = _helper(
            "key", _date("occurred_on"), "occurred_time", "notes", "document", *shown, submit="Record"
        )
