from django.urls import path

from saferhomes.privacy.views import audit, disclosures

app_name = "privacy"

urlpatterns = [
    path("audit/", audit.AuditSearchView.as_view(), name="audit-search"),
    path("audit/download/", audit.AuditDownloadView.as_view(), name="audit-download"),
    path("disclosures/", disclosures.DisclosureLogView.as_view(), name="disclosure-log"),
    path("disclosures/download/", disclosures.DisclosureLogDownloadView.as_view(), name="disclosure-download"),
]

# Issue 19 part 5 (H4): the DPO's oversight of access (metadata only) and access given to the DPO (ADR 0020).
from saferhomes.privacy.views import dpo_access, oversight  # noqa: E402

urlpatterns += [
    path("oversight/", oversight.ReadsView.as_view(), name="oversight-reads"),
    path("oversight/break-glass/", oversight.BreakGlassView.as_view(), name="oversight-break-glass"),
    path("oversight/anomalies/", oversight.AnomaliesView.as_view(), name="oversight-anomalies"),
    path("oversight/dpo-access/", dpo_access.DpoAccessView.as_view(), name="oversight-dpo-access"),
    path("oversight/dpo-access/<int:grant_id>/end/", dpo_access.DpoAccessEndView.as_view(), name="oversight-dpo-end"),
    path("oversight/<slug:section>/download/", oversight.OversightDownloadView.as_view(), name="oversight-download"),
]
