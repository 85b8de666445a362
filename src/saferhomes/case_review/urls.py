"""Staff Case Review pages at /staff/case-reviews/ (namespace "case-review-staff")."""

from django.urls import include, path

app_name = "case-review-staff"

urlpatterns: list = [
    path("", include("saferhomes.case_review.review_urls")),
]
