"""Partnership factories (issue 15): agencies, partner users, referrals and shares (synthetic organisations only)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.referrals.models import (
    Agency,
    AgencyKind,
    CaseShare,
    Consent,
    LawfulBasis,
    PartnerMembership,
    Referral,
    ReferralKind,
    SharePart,
)
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    """A council ASB team (not entitled to DA information) unless told otherwise."""

    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Example Council ASB Team {n}")
    kind = AgencyKind.COUNCIL
    email = factory.LazyAttribute(lambda a: f"{a.code}@example.org")
    secure_email = factory.LazyAttribute(lambda a: f"{a.code}@secure.example.org")
    area_served = "Example borough"
    handles_da = False


def partner_user(agency: Agency, **kwargs: object) -> User:
    """A partner user (role partner, 2FA not yet set up) who works for `agency`."""
    user: User = UserFactory.create(role=Role.PARTNER, team=None, **kwargs)
    PartnerMembership.objects.create(user=user, agency=agency)
    return user


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    """A support referral sent yesterday, consent given, not yet acknowledged."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    kind = ReferralKind.SUPPORT
    reason = "Needs support to sustain the tenancy"
    information_shared = "Name, address, phone number and a summary of the problem"
    lawful_basis = LawfulBasis.CONSENT
    consent = Consent.GIVEN
    consent_note = "Agreed by phone"
    clock_started_at = factory.LazyAttribute(lambda r: r.case.received_at)
    sent_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    created_by = factory.LazyAttribute(lambda r: r.case.assigned_officer)


class CaseShareFactory(factory.django.DjangoModelFactory[CaseShare]):
    """The summary and incidents of a case shared with an agency for 30 days, on the basis of public task."""

    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    parts = factory.LazyFunction(lambda: [SharePart.SUMMARY, SharePart.INCIDENTS])
    lawful_basis = LawfulBasis.PUBLIC_TASK
    reason = "Joint problem-solving with the council ASB team"
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    created_by = factory.LazyAttribute(lambda s: s.case.assigned_officer)
