"""Empty the demo landlord so a test can seed it again (the demo-seed tests of housing and cases)."""

from __future__ import annotations

from saferhomes.case_review.models import Application
from saferhomes.cases.models import Case, Contact, ContactPlan, ReferenceCounter
from saferhomes.housing.models import Area, Estate, Person, Property, Tenancy, TenancyMember
from saferhomes.privacy.models import LegalHold, RetentionRun, RightsRequest, SubjectAccessExport
from saferhomes.referrals.models import CaseShare, Disclosure, PartnerUpdate, SupportOffer


def wipe_demo() -> None:
    """Delete every case, Case Review application and register record, in an order the protecting links allow:
    disclosures and partner updates (kept whatever happens to a case), contacts and plans (they protect the parties
    they were with), the privacy lifecycle's runs, holds and rights requests (issue 19), then the cases, the
    numbering and the register."""
    PartnerUpdate.objects.all().delete()
    Disclosure.objects.all().delete()
    CaseShare.objects.all().delete()
    SupportOffer.objects.all().delete()
    Contact.objects.all().delete()
    ContactPlan.objects.all().delete()
    RetentionRun.objects.all().delete()  # and its items
    LegalHold.objects.all().delete()
    SubjectAccessExport.objects.all().delete()
    RightsRequest.objects.all().delete()
    Application.objects.all().delete()
    Case.objects.all().delete()
    Application.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    for model in (TenancyMember, Tenancy, Person, Property, Estate, Area):
        model.objects.all().delete()
