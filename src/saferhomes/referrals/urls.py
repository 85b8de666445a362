"""Partnership pages (issue 15): a case's Partnership tab under /staff/cases/<ref>/partnership/, the agency directory,
information-sharing agreements and the disclosure log under /staff/partnership/, and partners' own pages."""

from django.urls import path

from saferhomes.referrals.views import case

app_name = "referrals"

urlpatterns: list = [
    path("cases/<str:reference>/partnership/", case.case_partnership, name="case"),
]
