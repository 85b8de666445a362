"""The shipped instruments are loaded and published after migrate, once (same checksum: nothing new)."""

from __future__ import annotations

import pytest

from saferhomes.core.models import AuditEvent
from saferhomes.risk.models import Instrument, InstrumentStatus
from saferhomes.risk.selectors.instruments import instrument_definition, published_instruments
from saferhomes.risk.services.instruments import instruments_load_shipped

pytestmark = pytest.mark.django_db


def test_fresh_database_has_the_three_shipped_instruments_published_as_version_1() -> None:
    published = {i.key: i for i in published_instruments()}
    assert set(published) == {"asb-hate-matrix", "da-checklist", "household-factors"}
    assert {i.version for i in published.values()} == {1}
    assert [i.key for i in published_instruments(case_type="da")] == ["da-checklist", "household-factors"]
    assert [i.key for i in published_instruments(case_type="asb")] == ["asb-hate-matrix", "household-factors"]


def test_installing_them_is_the_deployment_not_a_person_so_it_writes_no_audit_event() -> None:
    # Every fresh database has them; the rows say which file, its checksum and when; people's changes are audited.
    assert not AuditEvent.objects.filter(verb__startswith="instrument.").exists()
    shipped = Instrument.objects.get(key="asb-hate-matrix", version=1)
    assert (shipped.loaded_by, shipped.source_name, len(shipped.checksum)) == (None, "asb-hate-matrix.yaml", 64)
    assert shipped.published_at is not None


def test_loading_the_shipped_instruments_again_changes_nothing() -> None:
    before = list(Instrument.objects.values_list("pk", "checksum", "status"))
    instruments_load_shipped()
    assert list(Instrument.objects.values_list("pk", "checksum", "status")) == before


def test_shipped_da_checklist_has_24_counted_questions_and_the_callouts_question() -> None:
    definition = instrument_definition(Instrument.objects.get(key="da-checklist", status=InstrumentStatus.PUBLISHED))
    assert definition.max_score == 24
    assert definition.marac_yes_threshold == 14
    assert definition.escalation_callouts == 3
    assert definition.question(definition.callouts_question or "").type == "number"
