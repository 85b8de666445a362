from django.urls import path

from saferhomes.privacy.views import audit, disclosures

app_name = "privacy"

urlpatterns = [
    path("audit/", audit.AuditSearchView.as_view(), name="audit-search"),
    path("audit/download/", audit.AuditDownloadView.as_view(), name="audit-download"),
    path("disclosures/", disclosures.DisclosureLogView.as_view(), name="disclosure-log"),
    path("disclosures/download/", disclosures.DisclosureLogDownloadView.as_view(), name="disclosure-download"),
]
