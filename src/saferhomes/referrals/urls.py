"""Partnership pages (issue 15): a case's Partnership tab under /staff/cases/<ref>/partnership/, the agency directory,
information-sharing agreements and the disclosure log under /staff/partnership/, and partners' own pages."""

from django.urls import path

from saferhomes.referrals.views import case
from saferhomes.referrals.views import referrals as referral_views
from saferhomes.referrals.views import support as support_views

app_name = "referrals"

REFERRAL = "cases/<str:reference>/partnership/referrals/<int:pk>"
SUPPORT = "cases/<str:reference>/partnership/support/<int:pk>"

urlpatterns: list = [
    path("cases/<str:reference>/partnership/", case.case_partnership, name="case"),
    # Referrals and support offers (views/referrals.py, views/support.py)
    path(
        "cases/<str:reference>/partnership/referrals/new/",
        referral_views.ReferralAddView.as_view(),
        name="referral-add",
    ),
    path(f"{REFERRAL}/acknowledge/", referral_views.ReferralAcknowledgeView.as_view(), name="referral-acknowledge"),
    path(f"{REFERRAL}/outcome/", referral_views.ReferralOutcomeView.as_view(), name="referral-outcome"),
    path(f"{REFERRAL}/withdraw/", referral_views.ReferralWithdrawView.as_view(), name="referral-withdraw"),
    path(
        "cases/<str:reference>/partnership/support/new/", support_views.SupportOfferView.as_view(), name="support-add"
    ),
    path(f"{SUPPORT}/answer/", support_views.SupportDecisionView.as_view(), name="support-decide"),
    path(f"{SUPPORT}/outcome/", support_views.SupportOutcomeView.as_view(), name="support-outcome"),
]
