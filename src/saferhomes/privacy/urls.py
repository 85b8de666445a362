from django.urls import path

from saferhomes.privacy.views import audit, disclosures
from saferhomes.privacy.views import rights as rights  # issue 19 part 4

app_name = "privacy"

urlpatterns = [
    path("audit/", audit.AuditSearchView.as_view(), name="audit-search"),
    path("audit/download/", audit.AuditDownloadView.as_view(), name="audit-download"),
    path("disclosures/", disclosures.DisclosureLogView.as_view(), name="disclosure-log"),
    path("disclosures/download/", disclosures.DisclosureLogDownloadView.as_view(), name="disclosure-download"),
    # Issue 19 part 4: data protection rights requests (subject access, erasure, rectification, ...).
    path("requests/", rights.RightsRequestListView.as_view(), name="rights-list"),
    path("requests/new/", rights.RightsRequestNewView.as_view(), name="rights-new"),
    path("requests/<int:pk>/", rights.RightsRequestDetailView.as_view(), name="rights-detail"),
    path("requests/<int:pk>/search/", rights.SubjectAccessReviewView.as_view(), name="rights-search"),
    path("requests/<int:pk>/export/", rights.SubjectAccessExportView.as_view(), name="rights-export"),
]
