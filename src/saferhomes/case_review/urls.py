"""Staff Case Review pages under /staff/case-reviews/ (issue 17): applications and threshold decisions here; the
review, panel, recommendations and appeal pages in `review_urls.py` (same namespace)."""

from django.urls import include, path

from saferhomes.case_review.views import staff as views

app_name = "case-review-staff"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("told/<str:case_reference>/", views.case_told, name="told"),
    path("", include("saferhomes.case_review.review_urls")),
    path("<str:reference>/", views.application_detail, name="detail"),
    path("<str:reference>/assess/", views.application_assess, name="assess"),
    path("<str:reference>/decide/", views.application_decide, name="decide"),
    path("<str:reference>/complaints/new/", views.complaint_new, name="complaint-new"),
]
