"""Planning a tenancies import: tenancies and their members, by person and property reference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from saferhomes.housing import rules
from saferhomes.housing.importers.cells import Cells, cell_text, max_length
from saferhomes.housing.importers.columns import BATCH_SIZE, LOOKUP_CHUNK, ImportRow, ProgressCallback, RowProblem
from saferhomes.housing.importers.plan import Plan, apply_values, by_key, tick
from saferhomes.housing.models import (
    Person,
    Property,
    Tenancy,
    TenancyMember,
    TenancyRelationship,
    TenancyType,
)

_TENANCY_SYNONYMS = {
    "introductory": TenancyType.STARTER,
    "starter_introductory": TenancyType.STARTER,
    "fixed": TenancyType.FIXED_TERM,
    "fixedterm": TenancyType.FIXED_TERM,
    "license": TenancyType.LICENCE,
    "lease": TenancyType.LEASEHOLD,
}


def plan_tenancies(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> Plan:
    plan = Plan()
    references = [cell_text(r.values.get("reference")) for r in rows]
    existing = by_key(Tenancy.objects.all(), "reference", references)
    properties = by_key(
        Property.objects.only("id", "reference"),
        "reference",
        (cell_text(r.values.get("property_reference")) for r in rows),
    )
    person_refs: list[str] = []
    for row in rows:
        person_refs += rules.split_list(cell_text(row.values.get("tenants")))
        person_refs += rules.split_list(cell_text(row.values.get("household_members")))
    people = by_key(Person.objects.exclude(reference="").only("id", "reference"), "reference", person_refs)
    current_members: dict[int, set[tuple[int, str]]] = {}
    tenancy_ids = [t.pk for t in existing.values()]
    for start in range(0, len(tenancy_ids), LOOKUP_CHUNK):
        chunk = TenancyMember.objects.filter(tenancy_id__in=tenancy_ids[start : start + LOOKUP_CHUNK])
        for tenancy_id, person_id, relationship in chunk.values_list("tenancy_id", "person_id", "relationship"):
            current_members.setdefault(tenancy_id, set()).add((person_id, relationship))
    wanted_members: dict[str, list[tuple[Person, str]]] = {}
    replace: set[str] = set()
    ref_length = max_length(Tenancy, "reference")
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=ref_length)
        values: dict[str, Any] = {}
        property_ref = cells.text("property_reference", required=True)
        if property_ref:
            home = properties.get(property_ref)
            if home is None:
                cells.error("property_reference", f"no property has the reference '{property_ref}'")
            values["property"] = home
        values["tenancy_type"] = cells.choice("tenancy_type", TenancyType, synonyms=_TENANCY_SYNONYMS, required=True)
        start_date = cells.date("start_date", required=True)
        values["start_date"] = start_date
        if cells.has("end_date"):
            end_date = cells.date("end_date")
            if end_date is not None and start_date is not None and end_date < start_date:
                cells.error("end_date", f"{end_date:%d/%m/%Y} is before the start date {start_date:%d/%m/%Y}")
            values["end_date"] = end_date
        members = _tenancy_members(cells, people)
        if cells.ok:
            wanted_members[reference] = members
            current = existing.get(reference)
            if current is None:
                plan.create.append(Tenancy(reference=reference, **values))
            else:
                wanted = {(person.pk, relationship) for person, relationship in members}
                household_changed = wanted != current_members.get(current.pk, set())
                if household_changed:
                    replace.add(reference)
                apply_values(current, values, plan, also_changed=household_changed)
        tick(progress, "Checking rows", done, total)

    def write_members() -> None:
        tenancies = by_key(Tenancy.objects.only("id", "reference"), "reference", wanted_members)
        stale = [tenancies[ref].pk for ref in replace]
        for start in range(0, len(stale), LOOKUP_CHUNK):
            TenancyMember.objects.filter(tenancy_id__in=stale[start : start + LOOKUP_CHUNK]).delete()
        fresh = {t.reference for t in plan.create} | replace
        TenancyMember.objects.bulk_create(
            (
                TenancyMember(tenancy=tenancies[ref], person=person, relationship=relationship)
                for ref in fresh
                for person, relationship in wanted_members[ref]
            ),
            batch_size=BATCH_SIZE,
        )

    plan.after_writing.append(write_members)
    return plan


def _tenancy_members(cells: Cells, people: Mapping[str, Person]) -> list[tuple[Person, str]]:
    members: list[tuple[Person, str]] = []
    seen: set[str] = set()
    tenants_text = cells.text("tenants", required=True)
    tenants = rules.split_list(tenants_text)
    if tenants_text and not tenants:
        cells.error("tenants", "needs at least one person reference")
    household = rules.split_list(cells.text("household_members")) if cells.has("household_members") else []
    for column, refs in (("tenants", tenants), ("household_members", household)):
        for position, ref in enumerate(refs):
            if ref in seen:
                cells.error(column, f"'{ref}' is listed more than once in this tenancy")
                continue
            seen.add(ref)
            person = people.get(ref)
            if person is None:
                cells.error(column, f"no person has the reference '{ref}' (import people first)")
                continue
            if column == "household_members":
                relationship = TenancyRelationship.HOUSEHOLD_MEMBER
            elif position == 0:
                relationship = TenancyRelationship.LEAD_TENANT
            else:
                relationship = TenancyRelationship.JOINT_TENANT
            members.append((person, relationship))
    return members
