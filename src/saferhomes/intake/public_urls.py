"""The public report form, confirmation and private status pages under /report/ (issue 6)."""

from django.urls import path

from saferhomes.intake.views import public as views

app_name = "intake"

urlpatterns = [
    path("", views.report_start, name="report-start"),
    path("check-answers/", views.CheckAnswersView.as_view(), name="check-answers"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("new-link/", views.LinkRequestView.as_view(), name="link-request"),
    path("new-link/sent/", views.link_sent, name="link-sent"),
    path("status/<str:token>/", views.status_page, name="status"),
    path("status/<str:token>/diary/", views.DiaryView.as_view(), name="diary"),
    path("<slug:slug>/", views.StepView.as_view(), name="step"),
]
