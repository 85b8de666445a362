"""The configuration admin for the partnership records: every model registered; agencies changed through the audited
service; case records (referrals, shares, disclosures...) read-only and out of an administrator's sight; a disclosure is
never added, changed or deleted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.forms import EdgeChecked
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, Disclosure, DisclosureSource, LawfulBasis
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as
from tests.factories import UserFactory
from tests.referrals.factories import AgencyFactory, ReferralFactory

pytestmark = pytest.mark.django_db

CASE_RECORDS = [
    "referral",
    "referralchase",
    "supportoffer",
    "sharingagreement",
    "agreementreviewreminder",
    "caseshare",
    "partnerupdate",
    "disclosure",
    "caseconference",
    "conferenceaction",
]


def test_every_referrals_model_is_registered_and_passes_djangos_checks() -> None:
    call_command("check", "referrals")
    models = apps.get_app_config("referrals").get_models()
    assert all(admin.site.is_registered(model) for model in models)


def test_every_admin_form_is_edge_checked() -> None:
    request = RequestFactory().get("/")
    request.user = UserFactory.create(role=Role.ADMIN, is_superuser=True)
    for model in apps.get_app_config("referrals").get_models():
        form = admin.site.get_model_admin(model).get_form(request)
        assert issubclass(form, EdgeChecked), model


def test_case_records_are_read_only_even_for_a_superuser() -> None:
    request = RequestFactory().get("/")
    request.user = UserFactory.create(role=Role.ADMIN, is_superuser=True)
    for name in CASE_RECORDS:
        model_admin = admin.site.get_model_admin(apps.get_model("referrals", name))
        assert not model_admin.has_add_permission(request), name
        assert not model_admin.has_change_permission(request), name
        assert not model_admin.has_delete_permission(request), name
        assert model_admin.has_view_permission(request), name


def test_an_administrator_sees_agencies_and_memberships_but_no_case_record(
    make_staff: Callable[..., User],
) -> None:
    agency = AgencyFactory.create(code="HW-IDVA")
    referral = ReferralFactory.create(agency=agency)
    client = client_verified_as(make_staff(Role.ADMIN))
    assert client.get("/staff/admin/referrals/agency/?q=idva").status_code == 200
    assert client.get(f"/staff/admin/referrals/agency/{agency.pk}/change/").status_code == 200
    assert client.get("/staff/admin/referrals/partnermembership/").status_code == 200
    assert client.get("/staff/admin/referrals/referral/").status_code == 403
    assert client.get(f"/staff/admin/referrals/referral/{referral.pk}/change/").status_code == 403
    assert client.get("/staff/admin/referrals/disclosure/").status_code == 403
    assert client.get(f"/staff/admin/referrals/agency/{agency.pk}/delete/").status_code == 403


def test_a_superuser_reads_a_disclosure_but_cannot_add_change_or_delete_one(make_staff: Callable[..., User]) -> None:
    superuser = make_staff(Role.ADMIN, username="root", is_superuser=True)
    case = CaseFactory.create()
    disclosure = Disclosure.objects.create(
        case=case,
        agency=AgencyFactory.create(),
        source=DisclosureSource.OTHER,
        what="Name and address",
        reason="Safeguarding",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        disclosed_by=superuser,
    )
    client: Client = client_verified_as(superuser)
    assert client.get("/staff/admin/referrals/disclosure/").status_code == 200
    page = client.get(f"/staff/admin/referrals/disclosure/{disclosure.pk}/change/")
    assert page.status_code == 200
    assert 'name="what"' not in page.content.decode()
    assert client.get("/staff/admin/referrals/disclosure/add/").status_code == 403
    assert client.post(f"/staff/admin/referrals/disclosure/{disclosure.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Disclosure.objects.filter(pk=disclosure.pk).exists()


def test_changing_an_agency_in_the_admin_is_audited_and_keeps_the_directorys_rules(
    make_staff: Callable[..., User],
) -> None:
    agency = AgencyFactory.create(code="HW-IDVA", name="Hartwick IDVA", kind="idva")
    AgencyFactory.create(code="TAKEN")
    client = client_verified_as(make_staff(Role.ADMIN))
    form = {
        "code": "HW-IDVA",
        "name": "Hartwick IDVA Service",
        "kind": "idva",
        "email": agency.email,
        "secure_email": agency.secure_email,
        "website": "",
        "area_served": agency.area_served,
        "handles_da": "on",
        "active": "on",
    }
    response = client.post(f"/staff/admin/referrals/agency/{agency.pk}/change/", form)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.handles_da) == ("Hartwick IDVA Service", True)
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCY_UPDATED)
    assert event.after == {"name": "Hartwick IDVA Service", "handles_da": True}
    refused = client.post(f"/staff/admin/referrals/agency/{agency.pk}/change/", {**form, "code": "taken"})
    assert refused.status_code == 200
    assert "Another agency already has the code taken" in refused.content.decode()
    bad_url = client.post(f"/staff/admin/referrals/agency/{agency.pk}/change/", {**form, "website": "ftp://x.org"})
    assert bad_url.status_code == 200
    assert Agency.objects.get(pk=agency.pk).code == "HW-IDVA"
