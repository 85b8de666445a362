"""Threshold rule sets: load a version from a file (immutable once loaded), the shipped file after migrate, and the
version in force.

Loading the same file again changes nothing; a different file with a version number already used, or lower than one
loaded, is refused. The newest loaded version is the one new applications are assessed under; a decision keeps the
version it was made under (`Application.rule_set`), so loading a new version never changes a decision already made.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from saferhomes.case_review.models import ThresholdRuleSet
from saferhomes.case_review.schema import parse_rules
from saferhomes.core.errors import DomainError

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "rules"
RULE_SET_KEY = "threshold"


def rule_set_load(*, text: str, source_name: str) -> ThresholdRuleSet:
    """Validate a rules file and store it as a new version (RulesFileError naming lines for a bad file).

    Only the deployment loads rule sets (the shipped files after migrate, or `saferhomes caserules load FILE`): the
    row keeps the file, its checksum and when it was loaded (the command also records the load in the audit trail).
    """
    data = parse_rules(text, source_name=source_name)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        versions = list(ThresholdRuleSet.objects.select_for_update().filter(key=data["key"]).order_by("-version"))
        latest = versions[0].version if versions else 0
        existing = next((r for r in versions if r.version == data["version"]), None)
        if existing is not None:
            if existing.checksum == checksum or existing.definition == data:
                return existing
            raise DomainError(
                f"Version {data['version']} of the {data['key']} rules is already loaded with different content: "
                f"give the new file version {latest + 1}"
            )
        if data["version"] < latest:
            raise DomainError(
                f"Version {data['version']} of the {data['key']} rules is older than version {latest}, already "
                f"loaded: give the new file version {latest + 1}"
            )
        loaded = ThresholdRuleSet.objects.create(
            key=data["key"],
            version=data["version"],
            name=data["name"],
            definition=data,
            source_text=text,
            source_name=source_name[:255],
            checksum=checksum,
        )
        return loaded


def rule_sets_load_shipped() -> list[ThresholdRuleSet]:
    """Load every shipped rules file, oldest version first (idempotent; runs after every migrate)."""
    return [rule_set_load(text=p.read_text("utf-8"), source_name=p.name) for p in sorted(SHIPPED_DIR.glob("*.yaml"))]


def rule_set_current() -> ThresholdRuleSet:
    """The newest loaded version of the threshold rules (loading the shipped file if none is loaded yet)."""
    current = ThresholdRuleSet.objects.filter(key=RULE_SET_KEY).order_by("-version").first()
    if current is None:
        rule_sets_load_shipped()
        current = ThresholdRuleSet.objects.filter(key=RULE_SET_KEY).order_by("-version").first()
    if current is None:
        raise DomainError("No ASB Case Review threshold rules are loaded")
    return current
