"""Staff pages of insights under /staff/insights/ (namespace "insights")."""

from django.urls import path

from saferhomes.insights.views import index, monthly, tsm

app_name = "insights"

urlpatterns = [
    # Performance report and Tenant Satisfaction Measures (issue 18 parts 1 and 2)
    path("", index.index, name="index"),
    path("monthly/", monthly.monthly, name="monthly"),
    path("monthly/report.pdf", monthly.monthly_download, {"fmt": "pdf"}, name="monthly-pdf"),
    path("monthly/report.xlsx", monthly.monthly_download, {"fmt": "xlsx"}, name="monthly-xlsx"),
    path("tsm/", tsm.tsm, name="tsm"),
    path("tsm/data-return.csv", tsm.tsm_data_return, name="tsm-data-return"),
    path("tsm/cases.csv", tsm.tsm_cases_export, name="tsm-cases"),
]
