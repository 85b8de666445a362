"""The public ASB Case Review pages under /case-review/ (issue 17 part 1)."""

from django.urls import path

from saferhomes.case_review.views import public as views

app_name = "case-review"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("status/<str:token>/", views.status_page, name="status"),
]
