"""Risk assessment pages: on each case under /staff/cases/<ref>/risk/, instruments under /staff/risk/ (issue 7)."""

from django.urls import path

from saferhomes.risk.views import assessments as views
from saferhomes.risk.views import instruments as views_instruments
from saferhomes.risk.views.reassessments import reassessments

app_name = "risk"

urlpatterns: list = [
    # Risk instruments, for administrators (risk/views/instruments.py)
    path("risk/instruments/", views_instruments.InstrumentListView.as_view(), name="instruments"),
    path("risk/instruments/upload/", views_instruments.InstrumentUploadView.as_view(), name="instrument-upload"),
    path(
        "risk/instruments/<slug:key>/<int:version>/",
        views_instruments.InstrumentDetailView.as_view(),
        name="instrument-detail",
    ),
    path(
        "risk/instruments/<slug:key>/<int:version>/publish/",
        views_instruments.InstrumentPublishView.as_view(),
        name="instrument-publish",
    ),
    # The Risk tab of a case (risk/views/assessments.py)
    path("cases/<str:reference>/risk/", views.CaseRiskView.as_view(), name="case"),
    path("cases/<str:reference>/risk/new/<slug:key>/", views.AssessView.as_view(), name="assess"),
    path("cases/<str:reference>/risk/new/<slug:key>/step/<int:n>/", views.StepView.as_view(), name="assess-step"),
    path("cases/<str:reference>/risk/new/<slug:key>/check/", views.CheckView.as_view(), name="assess-check"),
    path("cases/<str:reference>/risk/<int:pk>/", views.ResultView.as_view(), name="result"),
    path("cases/<str:reference>/risk/<int:pk>/override/", views.OverrideView.as_view(), name="override"),
    path("cases/<str:reference>/risk/<int:pk>/marac/made/", views.MaracMadeView.as_view(), name="marac-made"),
    path(
        "cases/<str:reference>/risk/<int:pk>/marac/not-referred/",
        views.MaracNotReferredView.as_view(),
        name="marac-not-referred",
    ),
    path(
        "cases/<str:reference>/risk/checklist-not-done/",
        views.DaChecklistWaiverView.as_view(),
        name="checklist-waiver",
    ),
    path("risk/reassessments/", reassessments, name="reassessments"),
]
