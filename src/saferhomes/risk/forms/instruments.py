"""The form to upload a new risk instrument version (GOV.UK Design System via crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.files.uploadedfile import UploadedFile

from saferhomes.core.forms import EdgeForm
from saferhomes.core.uploads import safe_upload_name
from saferhomes.risk.schema import MAX_FILE_CHARS

MAX_UPLOAD_BYTES = MAX_FILE_CHARS * 2


def _text(upload: UploadedFile | None, what: str) -> str | None:
    if upload is None:
        return None
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"The {what} must be smaller than {MAX_UPLOAD_BYTES // 1000} KB")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(f"The {what} must be a YAML or JSON text file (UTF-8)") from None


class InstrumentUploadForm(EdgeForm):
    """An instrument file, optionally licensed wording for it, and whether to publish it straight away."""

    file = forms.FileField(
        label="Instrument file",
        help_text="A .yaml or .json file in the saferhomes-instrument/1 format",
        error_messages={"required": "Select an instrument file", "empty": "The selected file is empty"},
    )
    wording = forms.FileField(
        label="Licensed wording (optional)",
        required=False,
        help_text="A .yaml file mapping question ids to the official wording: the new version changes only the texts",
        error_messages={"empty": "The selected wording file is empty"},
    )
    publish = forms.BooleanField(
        label="Publish it straight away (otherwise it is loaded as a draft to check first)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(Field("file"), Field("wording"), Field.checkbox("publish"), Button("submit", "Upload"))
        self.helper = helper

    def clean_file(self) -> str | None:
        return _text(self.cleaned_data.get("file"), "instrument file")

    def clean_wording(self) -> str | None:
        return _text(self.cleaned_data.get("wording"), "wording file")

    def file_name(self, field: str) -> str:
        upload = self.files.get(field)
        return safe_upload_name(getattr(upload, "name", ""), "") if upload is not None else ""
