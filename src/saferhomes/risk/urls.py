"""Risk assessment pages: on each case under /staff/cases/<ref>/risk/, instruments under /staff/risk/ (issue 7)."""

from django.urls import path

from saferhomes.risk import views_instruments

app_name = "risk"

urlpatterns: list = [
    # Risk instruments, for administrators (risk/views_instruments.py)
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
]
