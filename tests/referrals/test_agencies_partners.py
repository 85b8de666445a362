"""Partner users belong to an agency: `saferhomes createstaff NAME --role partner --agency CODE` (an option referrals
adds through `accounts.extensions`, since accounts may not import referrals), the configuration admin, and a partner
without an agency sees nothing."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saferhomes.accounts.extensions import STAFF_OPTIONS
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.directory import AGENCY_OPTION
from saferhomes.referrals.models import Agency, PartnerMembership
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.referrals.factories import AgencyFactory, CaseShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> Agency:
    agency: Agency = AgencyFactory.create(code="COUNCIL-ASB", name="Hartwick Council ASB Team")
    return agency


def createstaff(*args: str) -> str:
    out = StringIO()
    call_command("createstaff", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_referrals_adds_the_agency_option_to_createstaff_from_ready() -> None:
    assert STAFF_OPTIONS["--agency"] is AGENCY_OPTION
    assert AGENCY_OPTION.roles == frozenset({"partner"})


def test_createstaff_makes_a_partner_user_at_an_agency(council: Agency) -> None:
    output = createstaff("pete", "--role", "partner", "--agency", "council-asb", "--email", "pete@example.org")
    assert "Created Partner agency user 'pete' at Hartwick Council ASB Team (COUNCIL-ASB)." in output
    user = User.objects.get(username="pete")
    assert user.role == Role.PARTNER
    assert user.partner_membership.agency == council
    event = AuditEvent.objects.get(verb=AuditVerb.PARTNER_MEMBERSHIP_SET)
    assert (event.actor_label, event.after) == ("system", {"agency": "COUNCIL-ASB"})


def test_a_partner_needs_an_agency(council: Agency) -> None:
    with pytest.raises(CommandError, match="A partner agency user needs --agency CODE"):
        createstaff("pete", "--role", "partner")
    assert not User.objects.filter(username="pete").exists()


def test_an_unknown_agency_creates_no_account(council: Agency) -> None:
    with pytest.raises(CommandError, match="No agency has the code POLICE"):
        createstaff("pete", "--role", "partner", "--agency", "POLICE")
    assert not User.objects.filter(username="pete").exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.STAFF_CREATED).exists()


def test_an_agency_no_longer_taking_referrals_creates_no_account() -> None:
    AgencyFactory.create(code="CLOSED", active=False)
    with pytest.raises(CommandError, match="no longer taking referrals"):
        createstaff("pete", "--role", "partner", "--agency", "CLOSED")
    assert not User.objects.filter(username="pete").exists()


def test_only_a_partner_takes_an_agency(council: Agency) -> None:
    with pytest.raises(CommandError, match="--agency is only for the role partner, not officer"):
        createstaff("olive", "--role", "officer", "--agency", "COUNCIL-ASB")
    assert not User.objects.filter(username="olive").exists()
    assert "Created Housing officer 'olive'" in createstaff("olive", "--role", "officer")


def test_a_partner_without_an_agency_sees_nothing(make_staff: Callable[..., User], council: Agency) -> None:
    partner = make_staff(Role.PARTNER, team=None)
    assert not PartnerMembership.objects.filter(user=partner).exists()
    officer = make_staff(Role.OFFICER)
    shared = case_for(officer, sensitivity="normal", relation="assigned")
    CaseShareFactory.create(case=shared, agency=council, created_by=officer)
    client = client_verified_as(partner)
    for url in (
        "/staff/cases/",
        "/staff/cases/all/",
        f"/staff/cases/{shared.reference}/",
        f"/staff/cases/{shared.reference}/partnership/",
        "/staff/partnership/agencies/",
        f"/staff/partnership/agencies/{council.code}/",
        "/staff/housing/properties/",
        "/staff/reports/",
    ):
        assert client.get(url).status_code in (403, 404), url
    home = client.get("/staff/").content.decode()
    assert shared.reference not in home
    assert council.name not in home


def test_the_configuration_admin_sets_a_partners_agency_through_the_audited_service(
    make_staff: Callable[..., User], council: Agency
) -> None:
    admin = make_staff(Role.ADMIN)
    partner = make_staff(Role.PARTNER, team=None)
    client = client_verified_as(admin)
    response = client.post("/staff/admin/referrals/partnermembership/add/", {"user": partner.pk, "agency": council.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PartnerMembership.objects.get(user=partner).agency == council
    event = AuditEvent.objects.get(verb=AuditVerb.PARTNER_MEMBERSHIP_SET)
    assert event.actor_label == admin.username
    officer = make_staff(Role.OFFICER)
    refused = client.post("/staff/admin/referrals/partnermembership/add/", {"user": officer.pk, "agency": council.pk})
    assert refused.status_code == 200
    assert "Only partner users belong to an agency" in refused.content.decode()
    membership = PartnerMembership.objects.get(user=partner)
    client.post(f"/staff/admin/referrals/partnermembership/{membership.pk}/delete/", {"post": "yes"})
    assert not PartnerMembership.objects.filter(user=partner).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.PARTNER_MEMBERSHIP_SET).count() == 2
