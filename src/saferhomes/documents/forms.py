"""Forms of the Letters tab and the template pages. Fields only parse; `documents.services` decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.models import Party
from saferhomes.core.forms import DomainErrorForm
from saferhomes.documents.models import Audience, LetterTemplate, SentBy, Variant

PREFERRED = ""


def helper_for(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class LetterForm(DomainErrorForm):
    """Which template, to whom, in which format, sent how; an override reason when they asked not to get letters."""

    template = forms.ChoiceField(
        label="Letter",
        error_messages={"required": "Select a letter", "invalid_choice": "Select a letter from the list"},
    )
    party = forms.ChoiceField(
        label="To",
        error_messages={"required": "Select who the letter is to", "invalid_choice": "Select someone on this case"},
    )
    variant = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[(PREFERRED, "Their preferred format"), *Variant.choices],
        error_messages={"invalid_choice": "Select a format from the list"},
    )
    sent_how = forms.ChoiceField(
        label="Sent by",
        choices=SentBy.choices,
        initial=SentBy.POST,
        error_messages={"required": "Select how it is sent", "invalid_choice": "Select how it is sent"},
    )
    override_reason = forms.CharField(
        label="Why write to them although they asked not to be (only if so)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, templates: Sequence[LetterTemplate], parties: Sequence[Party], submit: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.parties = {str(p.pk): p for p in parties}
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            ("", "Choose a letter"),
            *((key, f"{t.name} (to the {t.get_audience_display().lower()})") for key, t in self.templates.items()),
        ]
        cast(forms.ChoiceField, self.fields["party"]).choices = [
            ("", "Choose who it is to"),
            *((key, f"{p.display_name} ({p.get_role_display().lower()})") for key, p in self.parties.items()),
        ]
        self.helper = helper_for(
            Field.select("template"),
            Field.select("party"),
            Field.select("variant"),
            Field.radios("sent_how", legend_size=Size.SMALL, small=True, inline=True),
            Field.textarea("override_reason"),
            submit=submit,
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "template": self.templates[data["template"]],
            "party": self.parties[data["party"]],
            "variant": data["variant"],
        }


class TemplateForm(DomainErrorForm):
    """An administrator's edit of a template: name, audience, words, in use."""

    key = forms.SlugField(label="Key (short, unique)", required=False, max_length=60)
    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter the template's name"})
    audience = forms.ChoiceField(
        label="Written to",
        choices=Audience.choices,
        error_messages={"required": "Select who the letter is to", "invalid_choice": "Select who the letter is to"},
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=20_000,
        error_messages={"required": "Enter the letter's text"},
    )
    active = forms.BooleanField(label="In use", required=False, initial=True)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["key"]
        fields = [Field.text("key", field_width=20)] if creating else []
        self.helper = helper_for(
            *fields,
            Field.text("name"),
            Field.select("audience"),
            Field.textarea("body"),
            Field.checkbox("active"),
            submit="Save and preview",
        )
