"""Letters and evidence bundles: a case's Letters tab under /staff/cases/<ref>/letters/ and the letter templates under
/staff/documents/templates/ (administrators)."""

from django.urls import path

from saferhomes.documents.views import letters, templates

app_name = "documents"

urlpatterns: list = [
    path("cases/<str:reference>/letters/", letters.case_letters_view, name="case-letters"),
    path("cases/<str:reference>/letters/preview/", letters.letter_preview_view, name="letter-preview"),
    path("cases/<str:reference>/letters/send/", letters.letter_send_view, name="letter-send"),
    path("cases/<str:reference>/letters/<int:pk>/download/", letters.letter_download_view, name="letter-download"),
    path("cases/<str:reference>/bundle/", letters.bundle_view, name="bundle"),
    path("documents/templates/", templates.template_list, name="templates"),
    path("documents/templates/new/", templates.template_edit, name="template-add"),
    path("documents/templates/<int:pk>/", templates.template_edit, name="template-edit"),
]
