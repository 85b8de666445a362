"""Configuration of the measures in Django admin (DESIGN.md §8: admin is for configuration only)."""

from django.contrib import admin

from saferhomes.insights.models import HomeSale, MeasureSettings


@admin.register(MeasureSettings)
class MeasureSettingsAdmin(admin.ModelAdmin[MeasureSettings]):
    list_display = ["__str__", "count_domestic_abuse_in_nm01", "updated_at"]

    def has_add_permission(self, request: object) -> bool:
        return not MeasureSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(HomeSale)
class HomeSaleAdmin(admin.ModelAdmin[HomeSale]):
    list_display = ["property", "sold_on", "note"]
    search_fields = ["property__reference", "property__postcode"]
    raw_id_fields = ["property"]
    date_hierarchy = "sold_on"
