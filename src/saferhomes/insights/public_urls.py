from django.urls import path

from saferhomes.insights.views.action_taken import PublicActionTakenView

app_name = "insights-public"

urlpatterns = [path("", PublicActionTakenView.as_view(), name="action-taken")]
