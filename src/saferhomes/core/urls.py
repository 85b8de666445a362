from django.urls import path

from saferhomes.core import views
from saferhomes.core.metrics import metrics_view

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus, behind SAFERHOMES_METRICS_TOKEN (issue 20 part 7)
]
