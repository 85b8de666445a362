"""The register's search form (GET, so a search is a link that can be shared)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from saferhomes.core.forms import EdgeForm
from saferhomes.housing.models import Estate


class PropertySearchForm(EdgeForm):
    q = forms.CharField(
        label="Reference, postcode or address",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search text must be 100 characters or fewer"},
    )
    estate = forms.ModelChoiceField(
        label="Estate",
        queryset=Estate.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="All estates",
        error_messages={"invalid_choice": "Select an estate from the list"},
    )

    def __init__(self, *args: Any, estates: QuerySet[Estate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["estate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = estates
