"""Planning a properties import: homes, with the estates and areas they name."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from saferhomes.housing import rules
from saferhomes.housing.importers.cells import Cells, cell_text, max_length
from saferhomes.housing.importers.columns import BATCH_SIZE, LOOKUP_CHUNK, ImportRow, ProgressCallback, RowProblem
from saferhomes.housing.importers.plan import Plan, apply_values, by_key, tick
from saferhomes.housing.models import (
    Area,
    Estate,
    Property,
    PropertyType,
)


def plan_properties(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> Plan:
    plan = Plan()
    existing = by_key(Property.objects.all(), "reference", (cell_text(r.values.get("reference")) for r in rows))
    uprn_owners = dict(_uprn_owners(rows))
    estates = {e.code: e for e in Estate.objects.select_related("area")}
    areas = {a.code: a for a in Area.objects.all()}
    new_estates: dict[str, Estate] = {}
    new_areas: dict[str, Area] = {}
    uprns_in_file: dict[int, int] = {}
    length = {name: max_length(Property, name) for name in ("reference", "address_line_1", "town")}
    length.update({name: max_length(Property, name) for name in ("address_line_2", "address_line_3")})
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=length["reference"])
        values: dict[str, Any] = {
            "address_line_1": cells.text("address_line_1", required=True, max_length=length["address_line_1"]),
            "town": cells.text("town", required=True, max_length=length["town"]),
        }
        for optional in ("address_line_2", "address_line_3"):
            if cells.has(optional):
                values[optional] = cells.text(optional, max_length=length[optional])
        postcode_text = cells.text("postcode", required=True)
        if postcode_text:
            try:
                values["postcode"] = rules.normalise_postcode(postcode_text)
            except rules.InvalidPostcodeError as exc:
                cells.error("postcode", str(exc))
        if cells.has("uprn"):
            uprn_text = cells.text("uprn")
            uprn: int | None = None
            if uprn_text:
                try:
                    uprn = rules.parse_uprn(uprn_text)
                except ValueError as exc:
                    cells.error("uprn", str(exc))
            if uprn is not None:
                owner = uprn_owners.get(uprn)
                if owner is not None and owner != reference:
                    cells.error("uprn", f"{uprn} already belongs to property {owner}")
                elif uprn in uprns_in_file:
                    cells.error("uprn", f"{uprn} also appears on row {uprns_in_file[uprn]}")
                else:
                    uprns_in_file[uprn] = row.number
            values["uprn"] = uprn
        if cells.has("estate_code"):
            values["estate"] = _resolve_estate(cells, estates, areas, new_estates, new_areas)
        if cells.has("property_type"):
            values["property_type"] = cells.choice("property_type", PropertyType) or PropertyType.OTHER
        if cells.has("bedrooms"):
            values["bedrooms"] = cells.integer("bedrooms", low=0, high=20)
        if cells.has("owned"):
            values["is_owned"] = cells.yes_no("owned", default=True)
        if cells.ok:
            current = existing.get(reference)
            if current is None:
                plan.create.append(Property(reference=reference, **values))
            else:
                apply_values(current, values, plan)
        tick(progress, "Checking rows", done, total)
    if new_areas or new_estates:
        plan.notes.append(f"New areas: {len(new_areas)}; new estates: {len(new_estates)}.")

    def create_places() -> None:
        Area.objects.bulk_create(new_areas.values(), batch_size=BATCH_SIZE)
        Estate.objects.bulk_create(new_estates.values(), batch_size=BATCH_SIZE)

    plan.before_writing.append(create_places)
    return plan


def _uprn_owners(rows: Sequence[ImportRow]) -> Iterator[tuple[int, str]]:
    """(uprn, property reference) for the file's UPRNs that are already in the register."""
    uprns = []
    for row in rows:
        try:
            uprns.append(rules.parse_uprn(cell_text(row.values.get("uprn"))))
        except ValueError:
            continue
    for start in range(0, len(uprns), LOOKUP_CHUNK):
        chunk = uprns[start : start + LOOKUP_CHUNK]
        for uprn, reference in Property.objects.filter(uprn__in=chunk).values_list("uprn", "reference"):
            if uprn is not None:
                yield uprn, reference


def _resolve_estate(
    cells: Cells,
    estates: dict[str, Estate],
    areas: dict[str, Area],
    new_estates: dict[str, Estate],
    new_areas: dict[str, Area],
) -> Estate | None:
    code = cells.text("estate_code", max_length=max_length(Estate, "code"))
    if not code:
        return None
    if code in estates:
        return estates[code]
    if code in new_estates:
        return new_estates[code]
    name = cells.text("estate_name", max_length=max_length(Estate, "name"))
    area_code = cells.text("area_code", max_length=max_length(Area, "code"))
    if not name:
        cells.error("estate_name", f"is needed to create the new estate '{code}'")
    if not area_code:
        cells.error("area_code", f"is needed to create the new estate '{code}'")
        return None
    area = areas.get(area_code) or new_areas.get(area_code)
    if area is None:
        area_name = cells.text("area_name", max_length=max_length(Area, "name"))
        if not area_name:
            cells.error("area_name", f"is needed to create the new area '{area_code}'")
            return None
        area = new_areas[area_code] = Area(code=area_code, name=area_name)
    if not name:
        return None
    estate = new_estates[code] = Estate(code=code, name=name, area=area)
    return estate
