"""The review pages of an application and the lists the dashboard counts link to (issue 17 parts 4, 5 and 7).

Included from case_review/urls.py (namespace "case-review-staff", at /staff/case-reviews/): no app_name here.
"""

from django.urls import path

from saferhomes.case_review.views import review as views
from saferhomes.case_review.views.statistics import statistics_download

urlpatterns: list = [
    path("due/<slug:which>/", views.due_list, name="review-due"),
    path("statistics/download/", statistics_download, name="statistics-download"),
    path("<str:reference>/review/", views.review_page, name="review"),
    path("<str:reference>/review/contact/", views.SpocView.as_view(), name="review-spoc"),
    path("<str:reference>/review/agencies/", views.InviteView.as_view(), name="review-invite"),
    path("<str:reference>/review/panel/", views.PanelView.as_view(), name="review-panel"),
    path(
        "<str:reference>/review/recommendations/add/",
        views.RecommendationAddView.as_view(),
        name="review-recommendation-add",
    ),
    path(
        "<str:reference>/review/recommendations/<int:pk>/",
        views.RecommendationProgressView.as_view(),
        name="review-recommendation",
    ),
    path("<str:reference>/review/conclude/", views.ConcludeView.as_view(), name="review-conclude"),
    path("<str:reference>/review/appeal/", views.AppealView.as_view(), name="review-appeal"),
    path("<str:reference>/review/appeal/outcome/", views.AppealConcludeView.as_view(), name="review-appeal-outcome"),
    path("<str:reference>/review/letters/<int:pk>/pdf/", views.letter_pdf, name="review-letter-pdf"),
    path("<str:reference>/review/letters/<slug:kind>/", views.LetterSendView.as_view(), name="review-letter"),
]
