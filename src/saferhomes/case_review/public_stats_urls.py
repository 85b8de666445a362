"""The public Case Review statistics page at /case-review/statistics/ (namespace "case-review-stats")."""

from django.urls import path

from saferhomes.case_review.views.statistics import statistics_page

app_name = "case-review-stats"

urlpatterns: list = [
    path("", statistics_page, name="statistics"),
]
