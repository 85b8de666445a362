"""The agency directory's services: administrators add and change agencies under one set of rules, each change audited
with what it was and what it became; partner users belong to one agency, set and audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, AgencyKind, PartnerMembership
from saferhomes.referrals.services.agencies import AgencyDetails, agency_create, agency_update
from saferhomes.referrals.services.membership import partner_membership_set
from tests.referrals.factories import AgencyFactory

pytestmark = pytest.mark.django_db

IDVA = AgencyDetails(
    code="HW-IDVA",
    name="  Hartwick IDVA Service ",
    kind=AgencyKind.IDVA,
    email="idva@example.org",
    secure_email="idva@gcsx.example.net",
    phone="01632 960 105",
    website="https://www.example.org/idva",
    area_served="Hartwick",
    handles_da=True,
)


@pytest.fixture
def admin(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.ADMIN)


def test_an_administrator_adds_an_agency_and_it_is_audited(admin: User) -> None:
    agency = agency_create(actor=admin, details=IDVA)
    assert (agency.code, agency.name, agency.kind, agency.handles_da) == (
        "HW-IDVA",
        "Hartwick IDVA Service",
        "idva",
        True,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCY_CREATED)
    assert event.actor_label == admin.username
    assert event.object_id == str(agency.pk)
    assert event.after is not None
    assert event.after["code"] == "HW-IDVA"
    assert event.after["handles_da"] is True


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_administrators_change_the_directory(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    with pytest.raises(PermissionDenied):
        agency_create(actor=user, details=IDVA)
    agency = AgencyFactory.create()
    with pytest.raises(PermissionDenied):
        agency_update(actor=user, agency=agency, details=replace(AgencyDetails.of(agency), name="Renamed"))
    assert not Agency.objects.filter(code="HW-IDVA").exists()
    assert Agency.objects.get(pk=agency.pk).name != "Renamed"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": ""}, "code", "Enter a code for the agency"),
        ({"code": "has spaces"}, "code", "Code must be letters and numbers"),
        ({"code": "-leading"}, "code", "Code must be letters and numbers"),
        ({"code": "x" * 31}, "code", "Code must be 30 characters or fewer"),
        ({"name": "   "}, "name", "Enter the agency's name"),
        ({"kind": "fire"}, "kind", "Select the kind of agency from the list"),
        ({"email": "idva.example.org"}, "email", "Enter an email address in the correct format"),
        ({"secure_email": "idva@"}, "secure_email", "Enter a secure email address in the correct format"),
        ({"website": "www.example.org"}, "website", "Enter the website address in the correct format"),
        ({"website": "javascript:alert(1)"}, "website", "Enter the website address in the correct format"),
        ({"phone": "call us"}, "phone", "Enter a phone number"),
        ({"address": "x" * 251}, "address", "Address must be 250 characters or fewer"),
    ],
)
def test_bad_details_are_refused_naming_the_field(admin: User, change: dict, field: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        agency_create(actor=admin, details=replace(IDVA, **change))
    assert list(refused.value.field_errors) == [field]
    assert refused.value.field_errors[field][0].startswith(message)
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.AGENCY_CREATED).exists()


def test_a_code_is_unique_ignoring_case(admin: User) -> None:
    AgencyFactory.create(code="hw-idva")
    with pytest.raises(DomainError) as refused:
        agency_create(actor=admin, details=IDVA)
    assert refused.value.field_errors == {"code": ["Another agency already has the code HW-IDVA: choose another"]}


def test_a_change_is_audited_with_what_it_was_and_what_it_became(admin: User) -> None:
    agency = agency_create(actor=admin, details=IDVA)
    changed = replace(AgencyDetails.of(agency), phone="01632 960 999", handles_da=False, code="HW-IDVA-2")
    saved = agency_update(actor=admin, agency=agency, details=changed)
    assert (saved.phone, saved.handles_da, saved.code) == ("01632 960 999", False, "HW-IDVA-2")
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCY_UPDATED)
    assert event.before == {"code": "HW-IDVA", "phone": "01632 960 105", "handles_da": True}
    assert event.after == {"code": "HW-IDVA-2", "phone": "01632 960 999", "handles_da": False}


def test_saving_the_same_details_writes_and_audits_nothing(admin: User) -> None:
    agency = agency_create(actor=admin, details=IDVA)
    stamp = Agency.objects.get(pk=agency.pk).updated_at
    agency_update(actor=admin, agency=agency, details=AgencyDetails.of(agency))
    assert not AuditEvent.objects.filter(verb=AuditVerb.AGENCY_UPDATED).exists()
    assert Agency.objects.get(pk=agency.pk).updated_at == stamp


def test_an_agency_keeps_its_own_code_but_may_not_take_another(admin: User) -> None:
    AgencyFactory.create(code="COUNCIL-ASB")
    agency = agency_create(actor=admin, details=IDVA)
    agency_update(actor=admin, agency=agency, details=replace(AgencyDetails.of(agency), code="hw-idva"))
    with pytest.raises(DomainError) as refused:
        agency_update(actor=admin, agency=agency, details=replace(AgencyDetails.of(agency), code="council-asb"))
    assert "code" in refused.value.field_errors


# Partner membership -------------------------------------------------------------------------------------------------


def test_a_partner_user_is_put_in_an_agency_moved_and_removed_each_audited(
    admin: User, make_staff: Callable[..., User]
) -> None:
    partner = make_staff(Role.PARTNER, team=None)
    council, police = AgencyFactory.create(code="COUNCIL"), AgencyFactory.create(code="POLICE")
    partner_membership_set(actor=admin, user=partner, agency=council)
    partner_membership_set(actor=admin, user=partner, agency=council)  # already so: nothing
    partner_membership_set(actor=admin, user=partner, agency=police)
    assert PartnerMembership.objects.get(user=partner).agency == police
    partner_membership_set(actor=None, user=partner, agency=None)
    assert not PartnerMembership.objects.filter(user=partner).exists()
    events = AuditEvent.objects.filter(verb=AuditVerb.PARTNER_MEMBERSHIP_SET).order_by("pk")
    assert [(e.before, e.after, e.actor_label) for e in events] == [
        ({"agency": None}, {"agency": "COUNCIL"}, admin.username),
        ({"agency": "COUNCIL"}, {"agency": "POLICE"}, admin.username),
        ({"agency": "POLICE"}, {"agency": None}, "system"),
    ]


def test_only_partner_users_belong_to_an_agency_and_only_to_an_active_one(
    admin: User, make_staff: Callable[..., User]
) -> None:
    officer, partner = make_staff(Role.OFFICER), make_staff(Role.PARTNER, team=None)
    with pytest.raises(DomainError) as refused:
        partner_membership_set(actor=admin, user=officer, agency=AgencyFactory.create())
    assert "user" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        partner_membership_set(actor=admin, user=partner, agency=AgencyFactory.create(active=False))
    assert "agency" in refused.value.field_errors
    assert not PartnerMembership.objects.exists()


def test_only_staff_managers_set_a_partners_agency(make_staff: Callable[..., User]) -> None:
    partner = make_staff(Role.PARTNER, team=None)
    with pytest.raises(PermissionDenied):
        partner_membership_set(actor=make_staff(Role.MANAGER), user=partner, agency=AgencyFactory.create())
