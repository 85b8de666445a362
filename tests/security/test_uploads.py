"""Every upload in the product (issue 21 part 5; ASVS V5): the type is read from the content, the size is bounded,
and an uploader's file name never carries a folder into a page, a download or the store.

The surfaces are one table (`SURFACES`); `test_every_upload_in_the_product_is_in_the_table` fails when a form with a
file field or a module reading uploaded files appears without an entry here or without handing the file to one of
the checked services.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from django import forms
from django.contrib import admin as django_admin
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client, RequestFactory
from django.urls import get_resolver
from pytest_django.fixtures import Settings

import saferhomes
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import EvidenceFile
from saferhomes.cases.services.evidence import inspect_upload
from saferhomes.core.errors import DomainError
from saferhomes.core.uploads import safe_upload_name
from saferhomes.intake.models import Channel, ReportAttachment
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from saferhomes.referrals.models import PartnerUpdate
from saferhomes.risk.forms.instruments import MAX_UPLOAD_BYTES
from saferhomes.risk.models import Instrument
from tests.cases.factories import CaseFactory
from tests.cases.record_helpers import EXE_BYTES, SAMPLES
from tests.conftest import client_verified_as
from tests.intake.public_journey import YESTERDAY, date_parts
from tests.referrals.partner_helpers import council_agency, partner_of, share_of
from tests.risk.instrument_helpers import next_version

pytestmark = pytest.mark.django_db

PNG_NAME, PNG = SAMPLES["image/png"]
WEBHOOK_SECRET = "webhook-secret-for-the-upload-tests"
_message_ids = itertools.count(1)

Send = Callable[[str, bytes], Any]


@dataclass(frozen=True)
class Surface:
    """One place files come in: how to send one, and the (original name, stored name) of each file kept."""

    name: str
    forms: tuple[str, ...]  # dotted names of the form classes behind it (the completeness check reads them)
    modules: tuple[str, ...]  # source files that read the uploaded bytes
    sender: Callable[[Callable[..., User]], Send]
    kept: Callable[[], list[tuple[str, str]]]


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")  # whatever the browser claims


def _staff_evidence(make_staff: Callable[..., User]) -> Send:
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/incidents/"
    return lambda name, content: client.post(url, {"file": _file(name, content), "description": "Door"})


def _public_report(make_staff: Callable[..., User]) -> Send:
    client = Client()
    return lambda name, content: client.post("/report/evidence/", {"upload": "1", "file": _file(name, content)})


def _reporter_diary(make_staff: Callable[..., User]) -> Send:
    details = ReportDetails(problem="noise", description="Music at night", first_name="Ada", email="ada@example.org")
    token = status_link_issue(report=report_submit(details=details, channel=Channel.WEB))
    client = Client()
    answers = {**date_parts("occurred_on", YESTERDAY), "occurred_time": "22:15", "description": "Music again"}
    url = f"/report/status/{token}/diary/"
    return lambda name, content: client.post(url, {**answers, "file": _file(name, content)})


def _partner_update(make_staff: Callable[..., User]) -> Send:
    agency = council_agency()
    case = CaseFactory.create()
    share_of(case, agency)
    client = client_verified_as(partner_of(agency, "partner_pete"))
    url = f"/staff/partner/cases/{case.reference}/update/"
    return lambda name, content: client.post(url, {"text": "We served a warning", "file": _file(name, content)})


def _email_webhook(make_staff: Callable[..., User]) -> Send:
    client = Client(enforce_csrf_checks=True)

    def send(name: str, content: bytes) -> Any:
        body = {
            "message_id": f"<upload-{next(_message_ids)}@mail.example>",
            "from": "Cara Singh <cara@example.org>",
            "subject": "Fly-tipping",
            "text": "Mattresses by the bins",
            "attachments": [{"filename": name, "content_base64": base64.b64encode(content).decode()}],
        }
        headers = {"X-Saferhomes-Webhook-Secret": WEBHOOK_SECRET}
        return client.post("/intake/inbound-email/", json.dumps(body), content_type="application/json", headers=headers)

    return send


def _names(rows: object) -> list[tuple[str, str]]:
    return [(row.original_name, row.file.name or "") for row in rows]  # type: ignore[attr-defined]


SURFACES = [
    Surface(
        "staff evidence on a case",
        ("saferhomes.cases.forms.record.EvidenceForm",),
        ("cases/views/record.py", "cases/services/evidence.py"),
        _staff_evidence,
        lambda: _names(EvidenceFile.objects.order_by("pk")),
    ),
    Surface(
        "public report form",
        ("saferhomes.intake.forms.public_incident.EvidenceUploadForm",),
        ("intake/views/public.py", "intake/services/public_form.py"),
        _public_report,
        lambda: _names(ReportAttachment.objects.order_by("pk")),
    ),
    Surface(
        "reporter's diary on the status page",
        ("saferhomes.intake.forms.public_status.DiaryEntryForm",),
        ("intake/views/public.py", "intake/services/diary.py"),
        _reporter_diary,
        lambda: _names(ReportAttachment.objects.order_by("pk")),
    ),
    Surface(
        "partner agency update",
        ("saferhomes.referrals.forms.shares.PartnerUpdateForm",),
        ("referrals/views/partner.py", "referrals/services/partner.py"),
        _partner_update,
        lambda: _names(PartnerUpdate.objects.exclude(file="").order_by("pk")),
    ),
    Surface(
        "inbound email (webhook and fetchmail)",
        (),
        ("intake/views/webhook.py", "intake/services/email.py"),
        _email_webhook,
        lambda: _names(ReportAttachment.objects.order_by("pk")),
    ),
]
# The risk instrument upload takes YAML or JSON text, not evidence: it has its own tests below.
INSTRUMENT_FORM = "saferhomes.risk.forms.instruments.InstrumentUploadForm"
INSTRUMENT_MODULES = ("risk/views/instruments.py", "risk/forms/instruments.py")
# A module that takes uploaded files without being in the table must hand them to one of these checked services.
CHECKED_SERVICES = ("evidence_upload", "attachment_store", "partner_update_add", "inspect_upload", "diary_entry_add")


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.INTAKE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture(params=SURFACES, ids=[surface.name for surface in SURFACES])
def surface(request: pytest.FixtureRequest, make_staff: Callable[..., User]) -> tuple[Surface, Send]:
    chosen: Surface = request.param
    return chosen, chosen.sender(make_staff)


def test_a_real_file_is_kept_on_every_upload(surface: tuple[Surface, Send]) -> None:
    described, send = surface
    response = send(PNG_NAME, PNG)
    assert response.status_code in (202, 302), response.content.decode()[:500]
    assert [original for original, _ in described.kept()] == [PNG_NAME]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("holiday.jpg", EXE_BYTES),  # a Windows program dressed as a photo
        ("statement.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64),  # a Linux program
        ("notes.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64),  # a zip archive
        ("diary.txt", "Tuesday: shouting".encode("utf-16")),  # not UTF-8 text
        ("notes.txt", b"Tuesday\x00\x01\x02 shouting" * 8),  # control bytes: binary, of no known type
    ],
    ids=["exe-as-jpg", "elf-as-pdf", "zip-as-txt", "utf16-text", "binary-as-txt"],
)
def test_the_type_is_read_from_the_content_not_the_name_on_every_upload(
    surface: tuple[Surface, Send], name: str, content: bytes
) -> None:
    described, send = surface
    response = send(name, content)
    assert response.status_code in (200, 202)
    if response.status_code == 200:  # a form page: the error is shown by the field
        assert "The selected file must be a JPG, PNG" in response.content.decode()
    assert described.kept() == []


def test_active_content_is_only_ever_kept_as_plain_text(surface: tuple[Surface, Send]) -> None:
    """HTML or SVG with a script is text: kept as text/plain and stored as .txt, so it is never served as a page."""
    described, send = surface
    send("look.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>')
    [(original, stored)] = described.kept()
    assert original == "look.svg"
    assert stored.endswith(".txt")


def test_a_file_over_the_limit_is_refused_on_every_upload(surface: tuple[Surface, Send], settings: Settings) -> None:
    described, send = surface
    settings.EVIDENCE_MAX_BYTES = 1024
    response = send(PNG_NAME, PNG + b"\x00" * 2048)
    assert response.status_code in (200, 202)
    if response.status_code == 200:
        assert "The selected file must be smaller than 1 KB" in response.content.decode()
    assert described.kept() == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../../../etc/cron.d/evil.png", "evil.png"),
        ("..\\..\\Windows\\System32\\evil.png", "evil.png"),
        ("/var/lib/saferhomes/evidence/evil.png", "evil.png"),
        ("evil.png\x00.txt", "evil.png.txt"),
        ("photos/.../ ..evil.png. ", "evil.png"),
    ],
    ids=["dot-dot-slash", "backslashes", "absolute", "nul", "dots-and-spaces"],
)
def test_a_file_name_never_carries_a_folder_on_every_upload(
    surface: tuple[Surface, Send], given: str, kept: str, tmp_path: Path
) -> None:
    described, send = surface
    response = send(given, PNG)
    assert response.status_code in (202, 302), response.content.decode()[:500]
    [(original, stored)] = described.kept()
    assert original == kept
    assert not set(original) & {"/", "\\", "\x00"}
    assert ".." not in Path(stored).parts
    assert (tmp_path / "evidence" / stored).resolve().is_relative_to(tmp_path.resolve())


# The risk instrument upload (administrators): YAML or JSON text ---------------------------------------------------


@pytest.fixture
def admin(make_staff: Callable[..., User]) -> Client:
    return client_verified_as(make_staff(Role.ADMIN))


def _instrument(client: Client, name: str, content: bytes) -> Any:
    return client.post("/staff/risk/instruments/upload/", {"file": SimpleUploadedFile(name, content)})


def test_an_instrument_file_must_be_utf8_text(admin: Client) -> None:
    response = _instrument(admin, "matrix.yaml", EXE_BYTES)
    assert "must be a YAML or JSON text file" in response.content.decode()
    assert not Instrument.objects.filter(version__gt=1).exists()


def test_an_instrument_file_over_its_limit_is_refused(admin: Client) -> None:
    response = _instrument(admin, "matrix.yaml", b"# " + b"x" * MAX_UPLOAD_BYTES)
    assert "must be smaller than" in response.content.decode()


def test_an_instrument_file_name_keeps_no_folder(admin: Client) -> None:
    text = next_version("asb-hate-matrix", replace=("Has their home, car", "Has their house, car"))
    response = _instrument(admin, "../../../etc/asb.yaml", text.encode())
    assert response.status_code == 302
    assert Instrument.objects.get(key="asb-hate-matrix", version=2).source_name == "asb.yaml"


# Completeness -----------------------------------------------------------------------------------------------------


def _forms_with_file_fields() -> set[str]:
    get_resolver().url_patterns  # noqa: B018 - importing every view imports every form
    seen: set[str] = set()
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        fields = getattr(cls, "base_fields", {})
        if cls.__module__.startswith("saferhomes.") and any(isinstance(f, forms.FileField) for f in fields.values()):
            seen.add(f"{cls.__module__}.{cls.__qualname__}")
    return seen


def _admin_forms_that_cannot_save() -> set[str]:
    """Admin forms of models only their services write: shown, never added or changed through the admin."""
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True)
    return {
        f"{model_admin.form.__module__}.{model_admin.form.__qualname__}"
        for model_admin in django_admin.site._registry.values()
        if not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
    }


def test_every_upload_in_the_product_is_in_the_table() -> None:
    tabled = {form for surface in SURFACES for form in surface.forms} | {INSTRUMENT_FORM}
    assert _forms_with_file_fields() - _admin_forms_that_cannot_save() == tabled
    root = Path(saferhomes.__file__).parent
    tabled_modules = {module for surface in SURFACES for module in surface.modules} | set(INSTRUMENT_MODULES)
    takes_files = re.compile(r"request\.FILES|UploadedFile|forms\.FileField\(|ninja import .*\bFile\b|content_base64")
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative in tabled_modules:
            continue
        source = path.read_text()
        form_module = relative.startswith(("cases/forms/", "intake/forms/", "referrals/forms/"))
        if takes_files.search(source) and not form_module:
            assert any(service in source for service in CHECKED_SERVICES), (
                f"{relative} takes uploaded files: add it to SURFACES or hand them to {CHECKED_SERVICES}"
            )


@pytest.mark.parametrize(
    ("given", "default", "kept"),
    [
        ("..", "evidence", "evidence"),
        ("../..", "evidence", "evidence"),
        ("", "document", "document"),
        (None, "attachment", "attachment"),
        ("C:\\Users\\ada\\Desktop\\diary.txt", "evidence", "diary.txt"),
        ('rep"ort<1>|?*.pdf', "evidence", "report1.pdf"),
        ("a" * 300 + ".png", "evidence", "a" * 255),
    ],
)
def test_safe_upload_name_keeps_only_a_plain_last_part(given: object, default: str, kept: str) -> None:
    assert safe_upload_name(given, default) == kept


def test_no_more_than_the_limit_of_an_upload_reaches_the_disk(settings: Settings) -> None:
    """A 3 MB file against a 64 KB limit: the form gets limit + 1 bytes (so the size check still refuses it)."""
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so the temporary-file handler, the one that writes to disk, is used
    request = RequestFactory().post("/report/evidence/", {"upload": "1", "file": _file("big.png", PNG * 40_000)})
    assert int(request.META["CONTENT_LENGTH"]) > 3_000_000
    uploaded = cast(UploadedFile, request.FILES["file"])
    assert uploaded.size == 64 * 1024 + 1
    assert request.POST["upload"] == "1"  # the fields after the file are still read
    with pytest.raises(DomainError, match="smaller than 64 KB"):
        inspect_upload(uploaded)


def test_a_file_within_the_limit_arrives_whole(settings: Settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    content = PNG * 100
    request = RequestFactory().post("/report/evidence/", {"file": _file("small.png", content)})
    assert cast(UploadedFile, request.FILES["file"]).read() == content


def test_a_request_with_more_files_than_any_form_takes_is_refused(settings: Settings) -> None:
    """Each file is bounded, and so is their number: one request never keeps more than 5 files' worth."""
    files = {f"file{n}": _file(f"photo{n}.png", PNG) for n in range(6)}
    response = Client().post("/report/evidence/", {"upload": "1", **files})
    assert response.status_code == 400
    assert not ReportAttachment.objects.exists()
