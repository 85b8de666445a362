"""Configuration-admin views of the housing register (the register itself arrives by import)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from saferhomes.core.forms import EdgeChecked
from saferhomes.housing.extensions import register_changed
from saferhomes.housing.models import (
    Area,
    ContactMethod,
    Estate,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    VulnerabilityCategory,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Estate)
class EstateAdmin(admin.ModelAdmin[Estate]):
    list_display = ["name", "code", "area"]
    list_filter = ["area"]
    search_fields = ["name", "code"]
    list_select_related = ["area"]


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin[Property]):
    list_display = ["reference", "address_line_1", "town", "postcode", "estate", "property_type", "is_owned"]
    list_filter = ["property_type", "is_owned", "estate__area", "estate"]
    search_fields = ["reference", "address_line_1", "address_line_2", "postcode", "uprn"]
    list_select_related = ["estate"]
    autocomplete_fields = ["estate"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Property, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            register_changed(property_ids=[obj.pk])


class TenancyMemberInline(admin.TabularInline[TenancyMember, Tenancy]):
    model = TenancyMember
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Tenancy)
class TenancyAdmin(admin.ModelAdmin[Tenancy]):
    list_display = ["reference", "property", "tenancy_type", "start_date", "end_date"]
    list_filter = ["tenancy_type"]
    search_fields = ["reference", "property__reference", "property__postcode"]
    list_select_related = ["property"]
    autocomplete_fields = ["property"]
    inlines = [TenancyMemberInline]
    readonly_fields = ["created_at", "updated_at"]


class PersonAdminForm(EdgeChecked, forms.ModelForm[Person]):
    vulnerability_categories = forms.MultipleChoiceField(
        choices=VulnerabilityCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    contact_avoid = forms.MultipleChoiceField(
        label="Ways never to use to contact them",
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "reference",
            "title",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "email",
            "phone",
            "mobile",
            "safe_contact_notes",
            "contact_avoid",
            "vulnerabilities",
            "vulnerability_categories",
            "reasonable_adjustments",
            "preferred_language",
            "preferred_format",
            "needs_interpreter",
        ]

    def clean_vulnerability_categories(self) -> list[str]:
        return list(self.cleaned_data.get("vulnerability_categories") or [])

    def clean_contact_avoid(self) -> list[str]:
        return list(self.cleaned_data.get("contact_avoid") or [])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    form = PersonAdminForm
    list_display = ["reference", "last_name", "first_name", "date_of_birth", "preferred_language"]
    list_filter = ["preferred_format", "needs_interpreter"]
    search_fields = ["reference", "first_name", "last_name", "preferred_name", "email"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            register_changed(person_ids=[obj.pk])
