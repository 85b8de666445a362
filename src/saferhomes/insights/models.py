"""Insights and governance (issue 18): reads every other app and is read by none (.importlinter)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

# --- Performance report and Tenant Satisfaction Measures (issue 18 parts 1, 2 and 6) ------------------------------


class MeasureSettings(models.Model):
    """How the landlord counts its Tenant Satisfaction Measures (one row; ADR 0015)."""

    SINGLETON_ID = 1

    count_domestic_abuse_in_nm01 = models.BooleanField(
        default=False,
        help_text=(
            "Count domestic abuse cases that are not also ASB or hate cases in NM01. Off (the default): only ASB "
            "and hate cases count, as the regulator's definition of anti-social behaviour does not include them."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "measure settings"
        verbose_name_plural = "measure settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="insights_measure_settings_single_row")]

    def __str__(self) -> str:
        return "Tenant Satisfaction Measure settings"


class HomeSale(models.Model):
    """A home that left the landlord's ownership on a date (sold, transferred or demolished): NM01 counts homes owned
    at the end of a year, so a home sold during a year is not counted for that year, but is for the years before."""

    property = models.OneToOneField("housing.Property", on_delete=models.CASCADE, related_name="sale")
    sold_on = models.DateField(help_text="The date the landlord stopped owning the home.")
    note = models.CharField(max_length=250, blank=True, help_text="Right to buy, stock transfer, demolition...")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sold_on", "property_id"]

    def __str__(self) -> str:
        return f"{self.property_id} sold {self.sold_on:%Y-%m-%d}"


class MonthlyReportRun(models.Model):
    """The worker's run of one month's performance report: claimed by inserting the row (one per month), so the
    report is emailed once however often the job runs."""

    month = models.DateField(unique=True, help_text="The first day of the month the report is about.")
    built_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True, help_text="Ids of the managers emailed.")
    figures = models.JSONField(default=dict, blank=True, help_text="The report's figures as the API gives them.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        permissions = [("view_performance", "Can see the performance report and Tenant Satisfaction Measures")]

    def __str__(self) -> str:
        return f"Monthly report {self.month:%Y-%m}"
