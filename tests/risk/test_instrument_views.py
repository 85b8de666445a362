"""The risk instrument admin pages: list, one version in full, upload (errors with lines), publish (audited)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from saferhomes.accounts.roles import Role
from saferhomes.core.models import AuditEvent
from saferhomes.risk.models import Instrument, InstrumentStatus
from tests.risk.instrument_helpers import TINY_MATRIX, next_version, shipped_text

pytestmark = pytest.mark.django_db

LIST = reverse("risk:instruments")
UPLOAD = reverse("risk:instrument-upload")


def detail(key: str, version: int) -> str:
    return reverse("risk:instrument-detail", kwargs={"key": key, "version": version})


def publish(key: str, version: int) -> str:
    return reverse("risk:instrument-publish", kwargs={"key": key, "version": version})


def upload(client: Client, text: str | bytes, *, name: str = "instrument.yaml", **extra: object):
    data: dict[str, object] = {"file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)}
    data.update(extra)
    return client.post(UPLOAD, data)


@pytest.fixture(name="admin")
def admin_fixture(staff_client) -> Client:
    return staff_client(Role.ADMIN)


def test_admin_sees_every_instrument_with_its_published_version_and_the_menu_entry(admin: Client) -> None:
    page = admin.get(LIST).content.decode()
    for name in ("ASB and hate victim risk matrix", "Domestic abuse risk checklist", "Perpetrator and household"):
        assert name in page
    assert page.count("govuk-tag--green") == 3
    assert f'href="{LIST}"' in page  # staff menu
    assert "Upload a new version" in page


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER, Role.PARTNER, Role.DPO]
)
def test_only_administrators_reach_the_instrument_pages(staff_client, role: str) -> None:
    client = staff_client(role)
    for url in (LIST, detail("da-checklist", 1), UPLOAD, publish("da-checklist", 1)):
        assert client.get(url).status_code == 403, url
    assert client.post(publish("da-checklist", 1)).status_code == 403
    assert upload(client, TINY_MATRIX).status_code == 403
    assert not Instrument.objects.filter(key="tiny").exists()
    assert f'href="{LIST}"' not in client.get(reverse("cases:dashboard")).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_detail_shows_every_question_answer_weight_and_band(admin: Client) -> None:
    page = admin.get(detail("asb-hate-matrix", 1)).content.decode()
    assert "Has the person been physically hurt because of what has happened?" in page
    assert "Yes, an injury that needed medical treatment <code>serious</code>" in page
    assert "(weight 6)" in page
    for band_range in ("0 to 11", "12 to 23", "24 or more"):
        assert band_range in page
    assert "Highest possible score" in page
    assert ">47<" in page
    assert "Every 7 days" in page
    assert "28 days" in page


def test_da_checklist_detail_explains_counting_and_marac(admin: Client) -> None:
    page = admin.get(detail("da-checklist", 1)).content.decode()
    assert page.count("(counts 1)") == 24
    assert "14 or more 'Yes' answers: visible high risk" in page
    assert "3 or more police call-outs in the last 12 months" in page
    assert "not scored, used for potential escalation" in page
    assert "10 to 13" in page
    assert "14 or more" in page


def test_factors_detail_says_it_is_not_banded(admin: Client) -> None:
    page = admin.get(detail("household-factors", 1)).content.decode()
    assert "does not set a band" in page
    assert "Is the alleged perpetrator under 18?" in page


def test_unknown_instrument_or_version_is_404(admin: Client) -> None:
    assert admin.get(detail("da-checklist", 9)).status_code == 404
    assert admin.get(detail("nothing-here", 1)).status_code == 404
    assert admin.get(publish("nothing-here", 1)).status_code == 404


def test_upload_loads_a_draft_and_audits_it(admin: Client) -> None:
    response = upload(admin, next_version("asb-hate-matrix", replace=("Has their home, car", "Has their house, car")))
    assert response.status_code == 302
    assert response["Location"] == detail("asb-hate-matrix", 2)
    new = Instrument.objects.get(key="asb-hate-matrix", version=2)
    assert new.status == InstrumentStatus.DRAFT
    assert new.source_name == "instrument.yaml"
    assert Instrument.objects.get(key="asb-hate-matrix", version=1).status == InstrumentStatus.PUBLISHED
    event = AuditEvent.objects.get(verb="instrument.loaded", object_id=str(new.pk))
    assert event.actor is not None
    page = admin.get(response["Location"]).content.decode()
    assert "loaded as a draft" in page
    assert "Has their house, car" in page
    assert "Publish version 2" in page


def test_upload_and_publish_straight_away_retires_the_previous_version(admin: Client) -> None:
    response = upload(admin, next_version("da-checklist"), publish="on")
    assert response.status_code == 302
    assert Instrument.objects.get(key="da-checklist", version=2).status == InstrumentStatus.PUBLISHED
    assert Instrument.objects.get(key="da-checklist", version=1).status == InstrumentStatus.RETIRED


def test_a_rejected_file_lists_each_problem_with_its_line_in_the_error_summary(admin: Client) -> None:
    bad = TINY_MATRIX.replace("type: yes_no_unknown", "type: scale").replace("min_score: 5", "min_score: 0")
    response = upload(admin, bad, name="tiny.yaml")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "tiny.yaml line 19: unknown question type &#x27;scale&#x27;" in page
    assert "tiny.yaml line 22: band &#x27;high&#x27; starts at 0" in page
    assert 'href="#id_file"' in page
    assert not Instrument.objects.filter(key="tiny").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\xff\xfe\x00bad", "must be a YAML or JSON text file"),
        (b"key: [unclosed", "not valid YAML"),
        (b"- just\n- a list\n", "the file must be a mapping"),
    ],
)
def test_files_that_are_not_instruments_are_errors_not_crashes(admin: Client, content: bytes, message: str) -> None:
    response = upload(admin, content)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_no_file_is_an_error(admin: Client) -> None:
    response = admin.post(UPLOAD, {})
    assert response.status_code == 200
    assert "Select an instrument file" in response.content.decode()


def test_the_same_file_again_changes_nothing(admin: Client) -> None:
    count = Instrument.objects.count()
    response = upload(admin, shipped_text("da-checklist"))
    assert response.status_code == 302
    assert Instrument.objects.count() == count
    assert "was already loaded (published)" in admin.get(response["Location"]).content.decode()


def test_a_used_version_number_with_different_content_is_refused(admin: Client) -> None:
    changed = shipped_text("da-checklist").replace("Were you injured this time", "Were you hurt this time")
    response = upload(admin, changed)
    assert response.status_code == 200
    assert "Version 1 of da-checklist is already loaded with different content" in response.content.decode()


def test_licensed_wording_makes_a_new_version_with_only_the_texts_changed(admin: Client) -> None:
    wording = SimpleUploadedFile("official.yaml", b"injury: Licensed text for question one\n")
    response = upload(admin, shipped_text("da-checklist"), name="da-checklist.yaml", wording=wording)
    assert response.status_code == 302
    new = Instrument.objects.get(key="da-checklist", version=2)
    assert "Licensed text for question one" in admin.get(detail("da-checklist", 2)).content.decode()
    old = Instrument.objects.get(key="da-checklist", version=1)
    assert new.definition["bands"] == old.definition["bands"]
    assert "official.yaml" in new.source_name


def test_wording_for_an_unknown_question_is_an_error_on_the_wording_field(admin: Client) -> None:
    wording = SimpleUploadedFile("official.yaml", b"injury: Fine\nnot_a_question: Nope\n")
    response = upload(admin, shipped_text("da-checklist"), wording=wording)
    assert response.status_code == 200
    page = response.content.decode()
    assert "official.yaml line 2: &#x27;not_a_question&#x27; is not a question in da-checklist" in page
    assert 'href="#id_wording"' in page


def test_publish_asks_for_confirmation_then_publishes_and_audits(admin: Client) -> None:
    upload(admin, next_version("asb-hate-matrix"))
    page = admin.get(publish("asb-hate-matrix", 2)).content.decode()
    assert "Are you sure you want to publish version 2?" in page
    assert "Version 1: it will be retired" in page
    assert Instrument.objects.get(key="asb-hate-matrix", version=2).status == InstrumentStatus.DRAFT
    response = admin.post(publish("asb-hate-matrix", 2))
    assert response.status_code == 302
    assert Instrument.objects.get(key="asb-hate-matrix", version=2).status == InstrumentStatus.PUBLISHED
    assert Instrument.objects.get(key="asb-hate-matrix", version=1).status == InstrumentStatus.RETIRED
    event = AuditEvent.objects.get(verb="instrument.published", object_label__contains="version 2")
    assert event.before == {"published_version": 1}
    assert event.after == {"published_version": 2}


def test_publishing_the_published_version_just_goes_back(admin: Client) -> None:
    response = admin.get(publish("da-checklist", 1))
    assert response.status_code == 302
    assert response["Location"] == detail("da-checklist", 1)
