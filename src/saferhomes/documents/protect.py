"""THE RULE (issue 16 part 4): a letter to an alleged perpetrator never includes a reporter's, victim's or
witness's name, address or contact details.

Two locks. The sandbox does not offer fields that could carry them to templates written to an alleged perpetrator
(`merge.PERPETRATOR_BLOCKED`). And after merging, `perpetrator_leaks` looks in the text for every detail of every
reporter, victim and witness on the case — names, address lines and postcode, phone numbers and email addresses,
from the party and from their register person — so an officer's incident summary that names the victim is caught
too. A detail the recipient shares (their own surname, or the home a household shares) is not a leak and is not
looked for. Names are matched as whole words with their capital letters (so a victim called May does not stop
"we may take action"); addresses and emails in any case; phone numbers by their digits, whatever the spacing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.housing.models import Property, TenancyMember

PROTECTED_ROLES = frozenset({PartyRole.REPORTER, PartyRole.VICTIM, PartyRole.WITNESS})


@dataclass(frozen=True)
class Detail:
    kind: str  # "name", "address", "phone", "email"
    value: str


Homes = Mapping[int, Property]
"""Register person id -> their home today, from `party_homes` (one query for any number of parties)."""


def party_homes(parties: Iterable[Party], today: dt.date | None = None) -> dict[int, Property]:
    """The homes of the parties' register people today: the property of each one's newest current tenancy."""
    person_ids = {party.person_id for party in parties if party.person_id is not None}
    if not person_ids:
        return {}
    today = today or timezone.localdate()
    memberships = (
        TenancyMember.objects.filter(person_id__in=person_ids, tenancy__start_date__lte=today)
        .filter(Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today))
        .select_related("tenancy__property")
        .order_by("person_id", "-tenancy__start_date", "-tenancy_id")
    )
    homes: dict[int, Property] = {}
    for membership in memberships:
        homes.setdefault(membership.person_id, membership.tenancy.property)
    return homes


def party_home(party: Party, today: dt.date | None = None, *, homes: Homes | None = None) -> Property | None:
    """The party's register person's home today (from `homes` when the caller loaded them for many parties)."""
    if party.person_id is None:
        return None
    if homes is None:
        homes = party_homes([party], today)
    return homes.get(party.person_id)


def party_address_lines(party: Party, *, homes: Homes | None = None) -> list[str]:
    """Where a letter to the party goes: their register home, else the address typed on the case."""
    home = party_home(party, homes=homes)
    if home is not None:
        return home.address_lines
    return [line.strip() for line in party.address.split(",") if line.strip()]


def party_details(party: Party, *, homes: Homes | None = None) -> list[Detail]:
    """Every identifying detail of a party we hold, from the case and from the register."""
    details: list[Detail] = []
    person = party.person if party.person_id is not None else None
    names = [party.first_name, party.last_name, f"{party.first_name} {party.last_name}"]
    phones = [party.phone]
    emails = [party.email]
    address = [line.strip() for line in party.address.split(",")]
    if person is not None:
        names += [person.first_name, person.last_name, person.preferred_name, person.full_name]
        phones += [person.phone, person.mobile]
        emails += [person.email]
    home = party_home(party, homes=homes)
    if home is not None:
        address += [home.address_line_1, home.address_line_2, home.address_line_3, home.postcode]
    details += [Detail("name", value.strip()) for value in names]
    details += [Detail("phone", value.strip()) for value in phones]
    details += [Detail("email", value.strip()) for value in emails]
    details += [Detail("address", value.strip()) for value in address]
    return [detail for detail in details if len(detail.value) >= 2]


def detail_pattern(detail: Detail) -> re.Pattern[str]:
    if detail.kind == "phone":
        digits = re.sub(r"\D", "", detail.value)
        return re.compile(r"(?<!\d)" + r"[\s\-()]*".join(digits) + r"(?!\d)")
    words = [re.escape(word) for word in detail.value.split()]
    joiner = r"\s*" if detail.kind == "address" and len(words) == 2 and len(detail.value) <= 8 else r"\s+"
    flags = 0 if detail.kind == "name" else re.IGNORECASE
    return re.compile(r"(?<!\w)" + joiner.join(words) + r"(?!\w)", flags)


def detail_usable(detail: Detail) -> bool:
    if detail.kind == "phone":
        return len(re.sub(r"\D", "", detail.value)) >= 6
    return True


def perpetrator_leaks(text: str, *, case: Case, recipient: Party) -> list[str]:
    """What in `text` belongs to a reporter, victim or witness of the case (empty when nothing does)."""
    protected = list(case.parties.select_related("person").filter(role__in=PROTECTED_ROLES).exclude(pk=recipient.pk))
    homes = party_homes([recipient, *protected])
    own = {detail.value.casefold() for detail in party_details(recipient, homes=homes)}
    found: list[str] = []
    for party in protected:
        for detail in party_details(party, homes=homes):
            if detail.value.casefold() in own or not detail_usable(detail):
                continue
            if detail_pattern(detail).search(text):
                found.append(f"the {party.get_role_display().lower()}'s {detail.kind} ({detail.value})")
    return list(dict.fromkeys(found))
