from django.urls import path

from saferhomes.insights.views import action_taken, equality, hotspots, registers

app_name = "insights"

urlpatterns = [
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
