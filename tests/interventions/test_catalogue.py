"""The intervention catalogue file: the shipped version loads after migrate; bad files are refused naming lines."""

from __future__ import annotations

from typing import Any

import pytest

from saferhomes.core.errors import DomainError
from saferhomes.housing.models import TenancyType
from saferhomes.interventions.models import Catalogue
from saferhomes.interventions.schema import CatalogueFileError, parse_catalogue
from saferhomes.interventions.services.catalogue import catalogue_load, shipped_catalogue_files

GOOD = """\
schema: saferhomes-interventions/1
key: test-ladder
version: 1
name: Test ladder
kinds:
  - key: advice
    name: Advice
    formal: false
    rung: 1
    tenancy_types: any
    statute: ""
    milestones:
      - {key: given, name: Advice given, order: 1}
"""

ISSUE_KINDS = {
    "advice", "verbal_warning", "warning_letter", "mediation", "abc", "good_neighbour_agreement", "support_plan",
    "cpw", "cpn", "civil_injunction", "closure_notice", "closure_order", "nosp", "absolute_ground", "demotion",
    "starter_extension",
}  # fmt: skip


def shipped() -> dict[str, Any]:
    path = shipped_catalogue_files()[0]
    return parse_catalogue(path.read_text("utf-8"), source_name=path.name)


def test_the_shipped_catalogue_has_every_kind_of_the_issue_with_milestones() -> None:
    kinds = {k["key"]: k for k in shipped()["kinds"]}
    assert set(kinds) == ISSUE_KINDS
    informal = {"advice", "verbal_warning", "warning_letter", "mediation", "abc", "good_neighbour_agreement"}
    assert all(not kinds[k]["formal"] for k in informal | {"support_plan"})
    assert all(kinds[k]["formal"] and kinds[k]["statute"] for k in ISSUE_KINDS - informal - {"support_plan"})
    assert [m["key"] for m in kinds["civil_injunction"]["milestones"]] == [
        "application", "without_notice_hearing", "return_hearing", "granted", "power_of_arrest", "expiry", "breach",
        "committal",
    ]  # fmt: skip
    assert [m["key"] for m in kinds["closure_order"]["milestones"]] == [
        "notice_served", "court_hearing", "order_made", "extension", "order_expiry",
    ]  # fmt: skip
    assert kinds["starter_extension"]["tenancy_types"] == [TenancyType.STARTER]
    assert kinds["absolute_ground"]["tenancy_types"] == [TenancyType.SECURE, TenancyType.ASSURED]
    assert kinds["advice"]["rung"] < kinds["cpw"]["rung"] < kinds["cpn"]["rung"] < kinds["absolute_ground"]["rung"]


@pytest.mark.django_db
def test_migrate_loaded_the_shipped_catalogue_once_and_loading_again_changes_nothing() -> None:
    catalogue = Catalogue.objects.get(key="interventions", version=1)
    assert len(catalogue.checksum) == 64
    path = shipped_catalogue_files()[0]
    assert catalogue_load(text=path.read_text("utf-8"), source_name=path.name).pk == catalogue.pk
    assert Catalogue.objects.filter(key="interventions").count() == 1


@pytest.mark.django_db
def test_a_changed_file_with_a_used_version_number_is_refused() -> None:
    catalogue_load(text=GOOD, source_name="ladder.yaml")
    with pytest.raises(DomainError, match="give the new file version 2"):
        catalogue_load(text=GOOD.replace("Advice given", "Advice offered"), source_name="ladder.yaml")
    newer = catalogue_load(text=GOOD.replace("version: 1", "version: 2"), source_name="ladder.yaml")
    assert newer.version == 2


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("formal: false", "formal: maybe"), "line 8: kind 'advice' formal must be true or false"),
        (("tenancy_types: any", "tenancy_types: [castle]"), "line 10: unknown tenancy type 'castle'"),
        (("rung: 1", "rung: one"), "line 9: kind 'advice' rung must be a whole number"),
        (("order: 1}", "order: 1}\n      - {key: given, name: Again, order: 2}"), "duplicate milestone key 'given'"),
        (('    statute: ""\n', '    statute: ""\n    colour: red\n'), "line 12: unknown key 'colour'"),
        (("formal: false", "formal: true"), "kind 'advice' is formal: its statute must be given"),
        (("schema: saferhomes-interventions/1", "schema: other/1"), "line 1: schema 'other/1' is not supported"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line_and_the_problem(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(GOOD.replace(*change), source_name="ladder.yaml")
    assert problem in str(caught.value)
    assert str(caught.value).startswith("ladder.yaml line")
