"""Staff intake and triage under /staff/reports/ (issue 6 parts 3 and 5)."""

from django.urls import path

from saferhomes.intake.views import staff as views_staff

app_name = "intake-staff"

urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("new/", views_staff.report_new, name="new"),
    path("register-search/", views_staff.register_search, name="register-search"),
    path("<str:reference>/", views_staff.report_detail, name="detail"),
    path("<str:reference>/created/", views_staff.report_created, name="created"),
    path("<str:reference>/triaged/", views_staff.report_triaged, name="triaged"),
    path("<str:reference>/status-links/<int:pk>/revoke/", views_staff.status_link_revoke, name="revoke-link"),
    path("<str:reference>/attachments/<int:pk>/", views_staff.attachment_download, name="attachment"),
]
