"""Partnership pages (issue 15): a case's Partnership tab under /staff/cases/<ref>/partnership/, the agency directory,
information-sharing agreements and the disclosure log under /staff/partnership/, and partners' own pages."""

from django.urls import path

from saferhomes.referrals.views import agreements, case, marac

app_name = "referrals"

urlpatterns: list = [
    path("cases/<str:reference>/partnership/", case.case_partnership, name="case"),
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
]
