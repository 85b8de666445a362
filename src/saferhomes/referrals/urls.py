"""Partnership pages (issue 15): a case's Partnership tab under /staff/cases/<ref>/partnership/, the agency directory,
information-sharing agreements and the disclosure log under /staff/partnership/, and partners' own pages."""

from django.urls import path

from saferhomes.referrals.views import agencies, agreements, case, conferences, marac, partner, shares
from saferhomes.referrals.views import referrals as referral_views
from saferhomes.referrals.views import support as support_views

app_name = "referrals"

REFERRAL = "cases/<str:reference>/partnership/referrals/<int:pk>"
SUPPORT = "cases/<str:reference>/partnership/support/<int:pk>"

urlpatterns: list = [
    path("cases/<str:reference>/partnership/", case.case_partnership, name="case"),
    # The agency directory (views/agencies.py)
    path("partnership/agencies/", agencies.agency_list, name="agencies"),
    path("partnership/agencies/add/", agencies.agency_add, name="agency-add"),
    path("partnership/agencies/<slug:code>/", agencies.agency_view, name="agency"),
    path("partnership/agencies/<slug:code>/edit/", agencies.agency_edit, name="agency-edit"),
    # Shares with partner agencies and case conferences (the Partnership tab's forms)
    path("cases/<str:reference>/partnership/share/", shares.ShareAddView.as_view(), name="share-add"),
    path(
        "cases/<str:reference>/partnership/shares/<int:pk>/withdraw/",
        shares.ShareWithdrawView.as_view(),
        name="share-withdraw",
    ),
    path(
        "cases/<str:reference>/partnership/updates/<int:pk>/file/",
        shares.PartnerUpdateFileView.as_view(),
        name="partner-update-file",
    ),
    path(
        "cases/<str:reference>/partnership/conference/", conferences.ConferenceAddView.as_view(), name="conference-add"
    ),
    path(
        "cases/<str:reference>/partnership/actions/<int:pk>/done/",
        conferences.conference_action_done_view,
        name="conference-action-done",
    ),
    # A partner agency user's own pages (ADR 0010)
    path("partner/", partner.PartnerCasesView.as_view(), name="partner-cases"),
    path("partner/cases/<str:reference>/", partner.PartnerCaseView.as_view(), name="partner-case"),
    path(
        "partner/cases/<str:reference>/documents/<int:pk>/",
        partner.PartnerDocumentView.as_view(),
        name="partner-document",
    ),
    path("partner/cases/<str:reference>/update/", partner.PartnerUpdateView.as_view(), name="partner-update-add"),
    # The MARAC referral form, DA permission set only (referrals/views/marac.py)
    path("cases/<str:reference>/partnership/marac/<int:pk>/", marac.marac_referral, name="marac-referral"),
    path(
        "cases/<str:reference>/partnership/marac-forms/<int:pk>/",
        marac.marac_form_download,
        name="marac-form-download",
    ),
    # Information-sharing agreements (referrals/views/agreements.py)
    path("partnership/agreements/", agreements.agreement_list, name="agreements"),
    path("partnership/agreements/new/", agreements.agreement_new, name="agreement-new"),
    path("partnership/agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("partnership/agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement-edit"),
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
