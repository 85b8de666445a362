"""The Interventions tab of a case: /staff/cases/<ref>/interventions/ (issue 16), and what is due on interventions:
/staff/interventions/due/."""

from django.urls import path

from saferhomes.interventions.views import interventions as views
from saferhomes.interventions.views.due import interventions_due

app_name = "interventions"

urlpatterns: list = [
    path("interventions/due/", interventions_due, name="due"),
    path("cases/<str:reference>/interventions/", views.CaseInterventionsView.as_view(), name="case"),
    path("cases/<str:reference>/interventions/propose/", views.ProposeView.as_view(), name="propose"),
    path("cases/<str:reference>/interventions/<int:pk>/milestone/", views.MilestoneView.as_view(), name="milestone"),
    path("cases/<str:reference>/interventions/<int:pk>/<slug:step>/", views.StepView.as_view(), name="step"),
]
