from django.urls import path

from saferhomes.cases.views import cases

app_name = "cases"

urlpatterns: list = [
    path("", cases.dashboard, name="dashboard"),
    path("all/", cases.case_list, name="list"),
    path("<str:reference>/", cases.case_detail, name="detail"),
    path("<str:reference>/parties/", cases.case_parties, name="parties"),
]
