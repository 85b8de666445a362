"""The threshold rules file format ("saferhomes-case-review-threshold/1"): parse and validate with line numbers.

Like the intervention catalogue (interventions/schema.py), every problem names its line, every key is checked, and
unknown keys, wrong types and missing keys are errors. A rule asking for more than 3 complaints is refused (the
statutory guidance's ceiling). `parse_rules` returns the normalised data `ThresholdRuleSet.definition` stores.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import Node

from saferhomes.case_review import rules
from saferhomes.cases.models import CaseType
from saferhomes.risk.yaml_nodes import InstrumentFileError, NodeChecker, compose, peek_int

SCHEMA = "saferhomes-case-review-threshold/1"
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SET_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_FILE_CHARS = 50_000
MAX_MONTHS = 24
MAX_WORKING_DAYS = 250


class RulesFileError(InstrumentFileError):
    """A threshold rules file was rejected: str() lists "name.yaml line N: reason", one a line."""


def _rule(check: NodeChecker, node: Node, where: str) -> dict[str, Any] | None:
    fields = check.mapping(node, where, required=("key", "name", "counts", "required", "case_types"))
    if fields is None or len(fields) < 5:
        return None
    key = check.text(fields["key"], f"{where} key", max_len=60, pattern=KEY_RE, pattern_hint="must be lower-case")
    where = f"rule '{key}'" if key else where
    name = check.text(fields["name"], f"{where} name", max_len=200)
    counts = check.one_of(fields["counts"], f"{where} counts", rules.COUNT_KINDS)
    required = peek_int(fields["required"])
    if required is None:
        check.integer(fields["required"], f"{where} required")
    elif refusal := rules.required_refusal(required):
        check.problem(fields["required"], f"{where}: {refusal}")
        required = None
    case_types: list[str] = []
    for item in check.sequence(fields["case_types"], f"{where} case_types", min_items=1) or []:
        value = check.text(item, f"{where} case_types", max_len=20)
        if value is None:
            continue
        if value not in CaseType.values:
            check.problem(item, f"unknown case type '{value}' in {where} (expected {', '.join(CaseType.values)})")
        elif value not in case_types:
            case_types.append(value)
    if None in (key, name, counts, required) or not case_types:
        return None
    return {"key": key, "name": name, "counts": counts, "required": required, "case_types": case_types}


def _timescales(check: NodeChecker, node: Node) -> dict[str, int] | None:
    names = ("decision_working_days", "review_working_days", "outcome_working_days")
    fields = check.mapping(node, "timescales", required=names)
    if fields is None or len(fields) < len(names):
        return None
    found = {name: check.integer(fields[name], f"timescales {name}", minimum=1) for name in names}
    for name, value in found.items():
        if value is not None and value > MAX_WORKING_DAYS:
            check.problem(fields[name], f"timescales {name} must be {MAX_WORKING_DAYS} or fewer")
            return None
    return None if None in found.values() else {name: int(value or 0) for name, value in found.items()}


def _months(check: NodeChecker, node: Node, where: str) -> int | None:
    value = check.integer(node, where, minimum=1)
    if value is not None and value > MAX_MONTHS:
        check.problem(node, f"{where} must be {MAX_MONTHS} or fewer")
        return None
    return value


def parse_rules(text: str, *, source_name: str = "") -> dict[str, Any]:
    """The validated, normalised rule set; RulesFileError listing every problem otherwise."""
    try:
        root = compose(text, source_name, max_chars=MAX_FILE_CHARS)
    except InstrumentFileError as exc:
        raise RulesFileError(exc.problems, source_name=source_name) from exc
    check = NodeChecker()
    required = (
        "schema", "key", "version", "name", "window_months", "complaint_within_months", "default_rule",
        "timescales", "rules",
    )  # fmt: skip
    top = check.mapping(root, "the file", required=required)
    if top is None or len(top) < len(required):
        raise RulesFileError(check.problems, source_name=source_name)
    schema = check.text(top["schema"], "schema", max_len=60)
    if schema is not None and schema != SCHEMA:
        check.problem(top["schema"], f"schema '{schema}' is not supported (expected {SCHEMA})")
    key = check.text(top["key"], "key", max_len=60, pattern=SET_KEY_RE, pattern_hint="must be lower-case words")
    version = check.integer(top["version"], "version", minimum=1)
    name = check.text(top["name"], "name", max_len=200)
    window = _months(check, top["window_months"], "window_months")
    within = _months(check, top["complaint_within_months"], "complaint_within_months")
    default = check.text(top["default_rule"], "default_rule", max_len=60)
    timescales = _timescales(check, top["timescales"])
    found: list[dict[str, Any]] = []
    for index, item in enumerate(check.sequence(top["rules"], "rules", min_items=1) or [], start=1):
        rule = _rule(check, item, f"rule {index}")
        if rule is None:
            continue
        if any(r["key"] == rule["key"] for r in found):
            check.problem(item, f"duplicate rule key '{rule['key']}'")
            continue
        found.append(rule)
    if default is not None and found and not any(r["key"] == default for r in found) and not check.problems:
        check.problem(top["default_rule"], f"default_rule '{default}' is not one of the rules")
    if check.problems or None in (key, version, name, window, within, default, timescales):
        raise RulesFileError(check.problems, source_name=source_name)
    return {
        "schema": SCHEMA,
        "key": key,
        "version": version,
        "name": name,
        "window_months": window,
        "complaint_within_months": within,
        "default_rule": default,
        "timescales": timescales,
        "rules": found,
    }


def rule_of(definition: dict[str, Any], key: str) -> rules.Rule | None:
    """The rule `key` of a stored definition, as the pure rules take it (None if the set has no such rule)."""
    for item in definition.get("rules", []):
        if item["key"] == key:
            return rules.Rule(
                key=item["key"],
                name=item["name"],
                counts=item["counts"],
                required=int(item["required"]),
                case_types=tuple(item["case_types"]),
            )
    return None


def timescales_of(definition: dict[str, Any]) -> rules.Timescales:
    return rules.Timescales(**definition["timescales"])
