"""The review, panel, recommendations and appeal pages (issue 17 parts 4 and 5), included from `urls.py` in the
"case-review-staff" namespace; the application page links to "case-review-staff:review" when it exists."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
