"""The intervention catalogue file format ("saferhomes-interventions/1"): parse and validate with line numbers.

Like the risk instruments (risk/schema.py), we walk PyYAML's node tree so that every problem names its line:
"interventions-v1.yaml line 40: duplicate milestone key 'issued' in kind 'cpw'". Every key is checked; unknown
keys, wrong types and missing keys are errors. `parse_catalogue` returns the normalised data that
`Catalogue.definition` stores and `catalogue.Catalogue*` helpers read.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import Node

from saferhomes.housing.models import TenancyType
from saferhomes.risk.yaml_nodes import InstrumentFileError, NodeChecker, compose

SCHEMA = "saferhomes-interventions/1"
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CATALOGUE_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ANY = "any"
MAX_FILE_CHARS = 200_000


class CatalogueFileError(InstrumentFileError):
    """A catalogue file was rejected: str() lists "name.yaml line N: reason", one a line."""


def _key(check: NodeChecker, node: Node, where: str) -> str | None:
    return check.text(node, where, max_len=60, pattern=KEY_RE, pattern_hint="must be lower-case letters, digits or '_'")


def _milestone(check: NodeChecker, node: Node, where: str) -> dict[str, Any] | None:
    fields = check.mapping(node, where, required=("key", "name", "order"))
    if fields is None or len(fields) < 3:
        return None
    key = _key(check, fields["key"], f"{where} key")
    name = check.text(fields["name"], f"{where} name", max_len=120)
    order = check.integer(fields["order"], f"{where} order", minimum=1)
    if key is None or name is None or order is None:
        return None
    return {"key": key, "name": name, "order": order}


def _tenancy_types(check: NodeChecker, node: Node, where: str) -> list[str] | str | None:
    if getattr(node, "value", None) == ANY and not isinstance(node.value, list):
        return ANY
    items = check.sequence(node, f"{where} (a list, or 'any')", min_items=1)
    if items is None:
        return None
    found: list[str] = []
    for item in items:
        value = check.text(item, where, max_len=30)
        if value is None:
            continue
        if value not in TenancyType.values:
            check.problem(item, f"unknown tenancy type '{value}' in {where} (expected {', '.join(TenancyType.values)})")
        elif value in found:
            check.problem(item, f"duplicate tenancy type '{value}' in {where}")
        else:
            found.append(value)
    return found


def _kind(check: NodeChecker, node: Node, where: str) -> dict[str, Any] | None:
    fields = check.mapping(
        node, where, required=("key", "name", "formal", "rung", "tenancy_types", "statute", "milestones")
    )
    if fields is None:
        return None
    key = _key(check, fields["key"], f"{where} key") if "key" in fields else None
    where = f"kind '{key}'" if key else where
    name = check.text(fields["name"], f"{where} name", max_len=120) if "name" in fields else None
    formal = check.boolean(fields["formal"], f"{where} formal") if "formal" in fields else None
    rung = check.integer(fields["rung"], f"{where} rung", minimum=1) if "rung" in fields else None
    tenancy = (
        _tenancy_types(check, fields["tenancy_types"], f"{where} tenancy_types") if "tenancy_types" in fields else None
    )
    statute = (
        check.text(fields["statute"], f"{where} statute", max_len=300, blank=True) if "statute" in fields else None
    )
    if formal and statute == "" and "statute" in fields:
        check.problem(fields["statute"], f"{where} is formal: its statute must be given")
    milestones: list[dict[str, Any]] = []
    if "milestones" in fields:
        for item in check.sequence(fields["milestones"], f"{where} milestones", min_items=1) or []:
            milestone = _milestone(check, item, f"a milestone of {where}")
            if milestone is None:
                continue
            if any(m["key"] == milestone["key"] for m in milestones):
                check.problem(item, f"duplicate milestone key '{milestone['key']}' in {where}")
                continue
            milestones.append(milestone)
    if None in (key, name, formal, rung, tenancy, statute):
        return None
    return {
        "key": key,
        "name": name,
        "formal": formal,
        "rung": rung,
        "tenancy_types": tenancy,
        "statute": statute,
        "milestones": sorted(milestones, key=lambda m: (m["order"], m["key"])),
    }


def parse_catalogue(text: str, *, source_name: str = "") -> dict[str, Any]:
    """The validated, normalised catalogue; CatalogueFileError listing every problem otherwise."""
    try:
        root = compose(text, source_name, max_chars=MAX_FILE_CHARS)
    except InstrumentFileError as exc:
        raise CatalogueFileError(exc.problems, source_name=source_name) from exc
    check = NodeChecker()
    top = check.mapping(root, "the file", required=("schema", "key", "version", "name", "kinds"))
    if top is None or len(top) < 5:
        raise CatalogueFileError(check.problems, source_name=source_name)
    schema = check.text(top["schema"], "schema", max_len=60)
    if schema is not None and schema != SCHEMA:
        check.problem(top["schema"], f"schema '{schema}' is not supported (expected {SCHEMA})")
    key = check.text(
        top["key"], "key", max_len=60, pattern=CATALOGUE_KEY_RE, pattern_hint="must be lower-case letters joined by '-'"
    )
    version = check.integer(top["version"], "version", minimum=1)
    name = check.text(top["name"], "name", max_len=200)
    kinds: list[dict[str, Any]] = []
    for index, item in enumerate(check.sequence(top["kinds"], "kinds", min_items=1) or [], start=1):
        kind = _kind(check, item, f"kind {index}")
        if kind is None:
            continue
        if any(k["key"] == kind["key"] for k in kinds):
            check.problem(item, f"duplicate kind key '{kind['key']}'")
            continue
        kinds.append(kind)
    if check.problems or key is None or version is None or name is None:
        raise CatalogueFileError(check.problems, source_name=source_name)
    return {"schema": SCHEMA, "key": key, "version": version, "name": name, "kinds": kinds}
