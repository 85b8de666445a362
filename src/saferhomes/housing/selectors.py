"""Reads of the housing register: every one takes the actor and checks the matching view permission."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from saferhomes.accounts.models import User
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing import rules
from saferhomes.housing.models import Estate, Person, Property, Tenancy, TenancyMember, TenancyRelationship

_RELATIONSHIP_ORDER = Case(
    When(relationship=TenancyRelationship.LEAD_TENANT, then=Value(0)),
    When(relationship=TenancyRelationship.JOINT_TENANT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def properties_search(*, actor: User, query: str = "", estate: Estate | None = None) -> QuerySet[Property]:
    """Homes matching a reference, postcode or address fragment, optionally on one estate, with estate and area."""
    require(actor, "housing.view_property")
    homes = Property.objects.select_related("estate__area")
    query = query.strip()
    if query:
        match = (
            Q(reference__iexact=query)
            | Q(postcode__istartswith=query)
            | Q(address_line_1__icontains=query)
            | Q(address_line_2__icontains=query)
            | Q(town__icontains=query)
        )
        if rules.is_uk_postcode(query):
            match |= Q(postcode=rules.normalise_postcode(query))
        homes = homes.filter(match)
    if estate is not None:
        homes = homes.filter(estate=estate)
    return homes.order_by("postcode", "address_line_1", "reference")


def estates_for_filter(*, actor: User) -> QuerySet[Estate]:
    """Estates to offer in the register's estate filter, by name."""
    require(actor, "housing.view_property")
    return Estate.objects.select_related("area").order_by("name", "code")


def _members_in_order() -> QuerySet[TenancyMember]:
    return (
        TenancyMember.objects.select_related("person")
        .annotate(rank=_RELATIONSHIP_ORDER)
        .order_by("rank", "person__last_name", "person__first_name", "id")
    )


def property_detail(*, actor: User, pk: int) -> Property:
    """One home with its estate, and its tenancies (newest first) with their people; 404 if there is none."""
    require(actor, "housing.view_property")
    require(actor, "housing.view_tenancy")
    tenancies = Tenancy.objects.order_by("-start_date", "reference").prefetch_related(
        Prefetch("members", queryset=_members_in_order())
    )
    homes = Property.objects.select_related("estate__area").prefetch_related(Prefetch("tenancies", queryset=tenancies))
    return get_object_or_404(homes, pk=pk)


def person_detail(*, actor: User, pk: int) -> Person:
    """One person with their tenancies and homes (newest first); 404 if there is none."""
    require(actor, "housing.view_person")
    memberships = TenancyMember.objects.select_related("tenancy__property").order_by(
        "-tenancy__start_date", "tenancy__reference"
    )
    people = Person.objects.prefetch_related(Prefetch("tenancy_memberships", queryset=memberships))
    return get_object_or_404(people, pk=pk)


def property_by_reference(*, actor: User, reference: str) -> Property:
    """The home a typed property reference names, ignoring case; DomainError if no home has it."""
    require(actor, "housing.view_property")
    reference = (reference or "").strip()
    home = Property.objects.filter(reference__iexact=reference).first() if reference else None
    if home is None:
        raise DomainError(f"No home has the property reference {reference}")
    return home


def person_by_reference(*, actor: User, reference: str) -> Person:
    """The person on the register a typed reference names, ignoring case; DomainError if nobody has it."""
    require(actor, "housing.view_person")
    reference = (reference or "").strip()
    person = Person.objects.filter(reference__iexact=reference).first() if reference else None
    if person is None:
        raise DomainError(f"No one on the housing register has the reference {reference}")
    return person


def property_at_address(*, postcode: str, line: str) -> Property | None:
    """One of our homes at this postcode whose first address line is `line` (ignoring case), for the public form.

    No actor: a resident matching their own address learns nothing they did not type.
    """
    line = (line or "").strip()
    if not line or not postcode:
        return None
    return Property.objects.filter(postcode=postcode, address_line_1__iexact=line).first()
