"""What abandoned report journeys and old rate limits leave behind is deleted by the worker's hourly job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from saferhomes.cases.storage import evidence_storage
from saferhomes.core.schedule import registry
from saferhomes.intake.models import Channel, IntakeAttempt, ReportAttachment
from saferhomes.intake.services.public_form import attachment_store, intake_leftovers_delete
from saferhomes.intake.services.report import ReportDetails, report_submit
from tests.cases.record_helpers import SAMPLES

pytestmark = pytest.mark.django_db
UPLOADED = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _photo() -> SimpleUploadedFile:
    name, content = SAMPLES["image/jpeg"]
    return SimpleUploadedFile(name, content, "image/jpeg")


def test_files_of_reports_never_sent_go_after_the_session_could_hold_them_and_sent_ones_stay() -> None:
    with time_machine.travel(UPLOADED, tick=False):
        abandoned = attachment_store(file=_photo())
        report = report_submit(
            details=ReportDetails(problem="noise", description="Drums", anonymous=True), channel=Channel.WEB
        )
        kept = attachment_store(file=_photo(), report=report)
    name = abandoned.file.name
    assert evidence_storage().exists(name)
    # 12 hours of session and an hour's grace: at 12 h 59 min the visitor may still be filling the form in.
    assert intake_leftovers_delete(now=UPLOADED + dt.timedelta(hours=12, minutes=59))["abandoned_files"] == 0
    assert intake_leftovers_delete(now=UPLOADED + dt.timedelta(hours=13, minutes=1))["abandoned_files"] == 1
    assert not ReportAttachment.objects.filter(pk=abandoned.pk).exists()
    assert not evidence_storage().exists(name)
    assert ReportAttachment.objects.filter(pk=kept.pk).exists()
    assert evidence_storage().exists(kept.file.name)


def test_rate_limit_records_go_once_past_their_window() -> None:
    with time_machine.travel(UPLOADED, tick=False):
        IntakeAttempt.objects.create(kind="ip", key_hash="a" * 64)
    with time_machine.travel(UPLOADED + dt.timedelta(minutes=50), tick=False):
        IntakeAttempt.objects.create(kind="ip", key_hash="b" * 64)
    assert intake_leftovers_delete(now=UPLOADED + dt.timedelta(minutes=61))["attempts"] == 1
    assert list(IntakeAttempt.objects.values_list("key_hash", flat=True)) == ["b" * 64]


def test_the_worker_runs_it_every_hour() -> None:
    job = next(job for job in registry.all() if job.name == "intake-leftovers")
    assert job.every == dt.timedelta(hours=1)
