"""The example import files in docs/examples import cleanly beside the demo data, and re-importing changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from saferhomes.housing.models import Person, Property, Tenancy

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _import(kind: str) -> str:
    out = StringIO()
    call_command("import", kind, str(EXAMPLES / f"{kind}.csv"), stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_example_files_import_beside_the_demo_landlord_then_reimport_unchanged() -> None:
    call_command("seed", homes=30, stdout=StringIO())
    homes_before = Property.objects.count()
    assert "4 created, 0 updated" in _import("properties")
    assert "4 created, 0 updated" in _import("people")
    assert "2 created, 0 updated" in _import("tenancies")
    assert Property.objects.count() == homes_before + 4
    assert Person.objects.filter(reference__startswith="EX").count() == 4
    assert Tenancy.objects.filter(reference__startswith="EX").count() == 2
    for kind in ("properties", "people", "tenancies"):
        assert "0 created, 0 updated" in _import(kind)
