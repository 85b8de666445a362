"""Staff pages of insights under /staff/insights/ (namespace "insights")."""

from django.urls import path

from saferhomes.insights.views import action_taken, equality, hotspots, index, monthly, registers, tsm

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
    # Issue 18 parts 3-5: hotspots, "action we've taken" approval, registers, equality monitoring.
    path("hotspots/", hotspots.HotspotsView.as_view(), name="hotspots"),
    path("hotspots/repeats/", hotspots.RepeatsView.as_view(), name="repeats"),
    path("action-taken/", action_taken.ActionTakenReviewView.as_view(), name="action-taken"),
    path("initiatives/", registers.InitiativeListView.as_view(), name="initiatives"),
    path("initiatives/new/", registers.InitiativeNewView.as_view(), name="initiative-new"),
    path("training/", registers.TrainingListView.as_view(), name="training"),
    path("training/new/", registers.TrainingNewView.as_view(), name="training-new"),
    path("policy-reviews/", registers.PolicyReviewListView.as_view(), name="policy-reviews"),
    path("policy-reviews/new/", registers.PolicyReviewNewView.as_view(), name="policy-review-new"),
    path("policy-reviews/<int:pk>/", registers.PolicyReviewDetailView.as_view(), name="policy-review"),
    path("equality/", equality.EqualityReportView.as_view(), name="equality"),
    path("equality/find/", equality.EqualityFindCaseView.as_view(), name="equality-find"),
    path("equality/cases/<str:reference>/", equality.EqualityCaseView.as_view(), name="equality-case"),
    path(
        "equality/cases/<str:reference>/parties/<int:party_id>/",
        equality.EqualityPartyView.as_view(),
        name="equality-party",
    ),
]
