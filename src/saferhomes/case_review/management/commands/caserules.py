"""`saferhomes caserules load FILE | list`: load a new version of the ASB Case Review threshold rules, or list them.

A rejected file prints one line per problem ("threshold-v2.yaml line 27: rule 'x': a rule may not ask for more than 3
complaints (it asks for 4)") and exits with 2. Decisions already made keep the version they used.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferhomes.case_review.models import ThresholdRuleSet
from saferhomes.case_review.services.rule_sets import rule_set_load
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Load a new version of the ASB Case Review threshold rules (YAML), or list the versions loaded."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="Validate a rules file and store it as a new version.")
        load.add_argument("file", help="The rules file (.yaml).")
        actions.add_parser("list", help="Every version loaded, newest first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for row in ThresholdRuleSet.objects.order_by("key", "-version"):
                rules = ", ".join(f"{r['key']} ({r['required']})" for r in row.definition["rules"])
                self.stdout.write(f"{row.key} version {row.version}: {row.name} — {rules}")
            return
        path = Path(options["file"])
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}", returncode=BAD_INPUT) from None
        try:
            loaded = rule_set_load(text=text, source_name=path.name)
        except DomainError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        audit(actor=None, verb=AuditVerb.CASE_REVIEW_RULES_LOADED, obj=loaded, after={"checksum": loaded.checksum})
        self.stdout.write(f"{loaded.key} version {loaded.version} is loaded and in force for new assessments.")
