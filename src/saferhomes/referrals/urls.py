"""Partnership pages (issue 15): a case's Partnership tab under /staff/cases/<ref>/partnership/, the agency directory,
information-sharing agreements and the disclosure log under /staff/partnership/, and partners' own pages."""

from django.urls import path

from saferhomes.referrals.views import agencies, case

app_name = "referrals"

urlpatterns: list = [
    path("cases/<str:reference>/partnership/", case.case_partnership, name="case"),
    # The agency directory (views/agencies.py)
    path("partnership/agencies/", agencies.agency_list, name="agencies"),
    path("partnership/agencies/add/", agencies.agency_add, name="agency-add"),
    path("partnership/agencies/<slug:code>/", agencies.agency_view, name="agency"),
    path("partnership/agencies/<slug:code>/edit/", agencies.agency_edit, name="agency-edit"),
]
