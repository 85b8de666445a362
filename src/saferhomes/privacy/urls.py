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

# --- Issue 19 part H2: retention schedule, legal holds, anonymisation runs ---
from saferhomes.privacy.views import holds as _holds  # noqa: E402
from saferhomes.privacy.views import retention as _retention  # noqa: E402

urlpatterns += [
    path("", _retention.privacy_index, name="index"),
    path("retention/", _retention.retention_schedule, name="retention-schedule"),
    path("retention/<int:pk>/change/", _retention.retention_rule_edit, name="retention-rule-change"),
    path("retention/runs/", _retention.run_list, name="run-list"),
    path("retention/runs/plan/", _retention.run_plan, name="run-plan"),
    path("retention/runs/<int:pk>/", _retention.run_detail, name="run-detail"),
    path("retention/runs/<int:pk>/approve/", _retention.run_approve, name="run-approve"),
    path("retention/runs/<int:pk>/cancel/", _retention.run_cancel, name="run-cancel"),
    path("retention/runs/<int:pk>/items/<int:item_pk>/exclude/", _retention.run_item_exclude, name="run-item-exclude"),
    path("holds/", _holds.hold_list, name="hold-list"),
    path("holds/download/", _holds.hold_download, name="hold-download"),
    path("holds/new/", _holds.hold_new, name="hold-new"),
    path("holds/<int:pk>/lift/", _holds.hold_lift, name="hold-lift"),
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
