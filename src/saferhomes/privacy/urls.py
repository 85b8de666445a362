from django.urls import path

from saferhomes.privacy import views

app_name = "privacy"

urlpatterns = [
    path("audit/", views.AuditSearchView.as_view(), name="audit-search"),
    path("audit/download/", views.AuditDownloadView.as_view(), name="audit-download"),
]
