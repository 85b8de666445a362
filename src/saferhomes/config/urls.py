"""Top-level URL map: public site at /, staff site under /staff/, JSON API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from saferhomes.api.api import api
from saferhomes.intake.views.webhook import inbound_email

admin.site.site_header = "Saferhomes configuration"

# 400 and 404 use Django's handlers with our GOV.UK-styled templates; 403 too, after recording the refusal in the
# audit trail; 500 renders without the request context.
handler403 = "saferhomes.core.views.permission_denied"
handler500 = "saferhomes.core.views.server_error"

urlpatterns = [
    path("", include("saferhomes.core.urls")),
    path("survey/", include("saferhomes.cases.public_urls")),
    path("report/", include("saferhomes.intake.public_urls")),
    path("case-review/statistics/", include("saferhomes.case_review.public_stats_urls")),  # before "case-review/"
    path("case-review/", include("saferhomes.case_review.public_urls")),
    path("action-taken/", include("saferhomes.insights.public_urls")),  # public "action we've taken" (issue 18)
    path("intake/inbound-email/", inbound_email, name="intake-inbound-email"),  # mail provider webhook
    path("staff/", include("saferhomes.accounts.urls")),
    path("staff/housing/", include("saferhomes.housing.urls")),
    path("staff/cases/", include("saferhomes.cases.urls")),
    path("staff/reports/", include("saferhomes.intake.urls")),
    path("staff/case-reviews/", include("saferhomes.case_review.urls")),
    path("staff/", include("saferhomes.risk.urls")),  # cases/<ref>/risk/... and risk/instruments/...
    path("staff/", include("saferhomes.referrals.urls")),  # cases/<ref>/partnership/... and partnership/...
    path("staff/", include("saferhomes.documents.urls")),  # cases/<ref>/letters/..., cases/<ref>/bundle/, documents/...
    path("staff/", include("saferhomes.interventions.urls")),  # cases/<ref>/interventions/...
    path("staff/privacy/", include("saferhomes.privacy.urls")),
    path("staff/insights/", include("saferhomes.insights.urls")),
    path("staff/settings/", include("saferhomes.cases.calendar_urls")),
    path("staff/admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
