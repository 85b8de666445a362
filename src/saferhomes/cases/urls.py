from django.urls import path

from saferhomes.cases.views import cases
from saferhomes.cases.views import closure as closure_views
from saferhomes.cases.views import record as record_views
from saferhomes.cases.views import workload as workload_views

app_name = "cases"

urlpatterns: list = [
    path("", cases.dashboard, name="dashboard"),
    path("all/", cases.case_list, name="list"),
    path("all/download/<str:export_format>/", cases.case_list_download, name="list-download"),
    path("new/", cases.case_create, name="create"),
    path("break-glass/", cases.break_glass, name="break-glass"),
    path("approvals/", cases.approvals, name="approvals"),
    # Team workload (cases/views/workload.py): before "<reference>/", which would take "workload" for a reference.
    path("workload/", workload_views.workload, name="workload"),
    path("workload/<str:officer>/", workload_views.workload_officer, name="workload-officer"),
    path("<str:reference>/", cases.case_detail, name="detail"),
    path("<str:reference>/parties/", cases.case_parties, name="parties"),
    path("<str:reference>/parties/new/", cases.party_add, name="party-add"),
    path("<str:reference>/parties/<int:pk>/", cases.party_edit, name="party-edit"),
    path("<str:reference>/triage/", cases.case_triage, name="triage"),
    path("<str:reference>/assign/", cases.case_assign, name="assign"),
    path("<str:reference>/status/", cases.case_transition, name="transition"),
    path("<str:reference>/links/new/", cases.case_link_add, name="link-add"),
    # Investigation record (cases/views/record.py)
    path("<str:reference>/incidents/", record_views.IncidentsView.as_view(), name="incidents"),
    path("<str:reference>/incidents/new/", record_views.IncidentAddView.as_view(), name="incident-add"),
    path("<str:reference>/evidence/<int:pk>/", record_views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("<str:reference>/contacts/", record_views.ContactsView.as_view(), name="contacts"),
    path("<str:reference>/contacts/new/", record_views.ContactAddView.as_view(), name="contact-add"),
    path("<str:reference>/contacts/plan/", record_views.ContactPlanView.as_view(), name="contact-plan"),
    path("<str:reference>/actions/", record_views.ActionsView.as_view(), name="actions"),
    path("<str:reference>/actions/new/", record_views.ActionAddView.as_view(), name="action-add"),
    path(
        "<str:reference>/actions/<int:pk>/complete/",
        record_views.ActionCompleteView.as_view(),
        name="action-complete",
    ),
    path(
        "<str:reference>/actions/<int:pk>/reopen/",
        record_views.ActionReopenView.as_view(),
        name="action-reopen",
    ),
    path("<str:reference>/notes/new/", record_views.NoteAddView.as_view(), name="note-add"),
    path("<str:reference>/timeline/", record_views.TimelineView.as_view(), name="timeline"),
    # Closure (cases/views/closure.py)
    path("<str:reference>/closure/", closure_views.ClosureView.as_view(), name="closure"),
    path("<str:reference>/closure/request/", closure_views.ClosureRequestView.as_view(), name="closure-request"),
    path("<str:reference>/closure/approve/", closure_views.ClosureApproveView.as_view(), name="closure-approve"),
    path("<str:reference>/closure/close/", closure_views.CaseCloseView.as_view(), name="closure-close"),
    path("<str:reference>/closure/reopen/", closure_views.CaseReopenView.as_view(), name="closure-reopen"),
    path(
        "<str:reference>/closure/survey-link/",
        closure_views.SurveyLinkView.as_view(),
        name="closure-survey-link",
    ),
]
