"""`saferhomes instruments load|list|publish|retire|show`: rich tables, "file.yaml line N: reason" and exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhomes.accounts.roles import Role
from saferhomes.core.models import AuditEvent
from saferhomes.risk.management.commands.instruments import Command
from saferhomes.risk.models import Instrument, InstrumentStatus
from tests.risk.instrument_helpers import TINY_MATRIX, next_version, shipped_text

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("instruments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("instruments", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_list_shows_every_version_as_a_table() -> None:
    out, _ = run("list")
    assert "Risk instruments" in out
    for key in ("asb-hate-matrix", "da-checklist", "household-factors"):
        assert key in out
    assert out.count("Published") >= 4  # the column and three rows


def test_load_a_new_version_as_a_draft_then_publish_it(tmp_path: Path) -> None:
    out, _ = run("load", write(tmp_path, "asb-v2.yaml", next_version("asb-hate-matrix")))
    assert "Loaded asb-hate-matrix version 2 (draft)." in out
    assert Instrument.objects.get(key="asb-hate-matrix", version=2).source_name == "asb-v2.yaml"
    out, _ = run("publish", "asb-hate-matrix", "2")
    assert "asb-hate-matrix version 2 is now published." in out
    assert Instrument.objects.get(key="asb-hate-matrix", version=1).status == InstrumentStatus.RETIRED
    event = AuditEvent.objects.get(verb="instrument.published", object_label__contains="version 2")
    assert event.actor is None
    assert event.actor_label == "system"


def test_load_and_publish_at_once_recorded_as_a_named_user(tmp_path: Path, make_staff) -> None:
    admin = make_staff(Role.ADMIN)
    out, _ = run("load", write(tmp_path, "tiny.yaml", TINY_MATRIX), "--publish", "--user", admin.username)
    assert "Loaded tiny version 1 (published)." in out
    assert AuditEvent.objects.get(verb="instrument.loaded", object_label__startswith="Tiny").actor == admin


def test_a_user_without_permission_cannot_load(tmp_path: Path, make_staff) -> None:
    officer = make_staff(Role.OFFICER)
    error, _ = fails("load", write(tmp_path, "tiny.yaml", TINY_MATRIX), "--user", officer.username)
    assert error.returncode == 2
    assert "permission" in str(error)
    assert not Instrument.objects.filter(key="tiny").exists()


def test_loading_the_same_file_again_is_nothing_new(tmp_path: Path) -> None:
    count = Instrument.objects.count()
    out, _ = run("load", write(tmp_path, "da-checklist.yaml", shipped_text("da-checklist")))
    assert "da-checklist version 1 was already loaded (published): nothing new." in out
    assert Instrument.objects.count() == count


def test_a_bad_file_prints_each_problem_with_its_line_and_exits_2(tmp_path: Path) -> None:
    bad = TINY_MATRIX.replace("type: yes_no_unknown", "type: scale").replace("- id: scared", "- id: hurt")
    error, err = fails("load", write(tmp_path, "tiny.yaml", bad))
    assert error.returncode == 2
    assert err.splitlines() == [
        "tiny.yaml line 17: duplicate question id 'hurt'",
        "tiny.yaml line 19: unknown question type 'scale' (expected choice, yes_no_unknown, number)",
    ]
    assert str(error) == "tiny.yaml was not loaded: 2 problems"


def test_the_console_script_exits_with_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "tiny.yaml", TINY_MATRIX.replace("priority: low", "priority: lowest"))
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["saferhomes", "instruments", "load", bad])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "tiny.yaml line 21: band 'low' priority 'lowest' is not a case priority" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("load", "/no/such/file.yaml"), "no such file"),
        (("publish", "da-checklist", "7"), "There is no version 7 of 'da-checklist'."),
        (("show", "nothing"), "There is no published version of 'nothing'."),
        (("load", "FILE", "--user", "nobody"), "There is no active staff account called 'nobody'."),
    ],
)
def test_mistakes_are_errors_with_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(write(tmp_path, "tiny.yaml", TINY_MATRIX) if a == "FILE" else a for a in args)
    error, _ = fails(*args)
    assert error.returncode == 2
    assert message in str(error)


def test_a_binary_file_is_an_error(tmp_path: Path) -> None:
    error, _ = fails("load", write(tmp_path, "x.yaml", b"\xff\xfe\x00\x01"))
    assert error.returncode == 2
    assert "not a UTF-8 text file" in str(error)


def test_a_taken_version_number_is_refused(tmp_path: Path) -> None:
    changed = shipped_text("da-checklist").replace("Were you injured", "Were you hurt")
    error, _ = fails("load", write(tmp_path, "da.yaml", changed))
    assert error.returncode == 2
    assert "Version 1 of da-checklist is already loaded with different content: give the new file version 2" in str(
        error
    )


def test_wording_makes_a_new_version_and_is_idempotent(tmp_path: Path) -> None:
    base = write(tmp_path, "da-checklist.yaml", shipped_text("da-checklist"))
    wording = write(tmp_path, "official.yaml", "injury:\n  text: Licensed wording one\n  help: Licensed help\n")
    out, _ = run("load", base, "--wording", wording)
    assert "Loaded da-checklist version 2 (draft)." in out
    question = Instrument.objects.get(key="da-checklist", version=2).definition["sections"][0]["questions"][0]
    assert (question["text"], question["help"]) == ("Licensed wording one", "Licensed help")
    out, _ = run("load", base, "--wording", wording)
    assert "da-checklist version 2 was already loaded (draft): nothing new." in out
    assert Instrument.objects.filter(key="da-checklist").count() == 2


def test_bad_wording_names_the_wording_file_and_line(tmp_path: Path) -> None:
    base = write(tmp_path, "da-checklist.yaml", shipped_text("da-checklist"))
    error, err = fails("load", base, "--wording", write(tmp_path, "official.yaml", "injury: ok\nnope: x\n"))
    assert error.returncode == 2
    assert err.strip() == "official.yaml line 2: 'nope' is not a question in da-checklist"


def test_show_prints_questions_weights_bands_and_marac() -> None:
    out, _ = run("show", "da-checklist")
    assert "Domestic abuse risk checklist (DASH-aligned)" in out
    assert "injury" in out
    assert "yes = Yes (1)" in out
    assert "Standard (standard)" in out
    assert "MARAC: 14 or more 'yes' answers" in out
    out, _ = run("show", "asb-hate-matrix", "--version", "1")
    assert "Bands (highest possible score 47)" in out


def test_retire_stops_offering_a_version(tmp_path: Path) -> None:
    out, _ = run("retire", "household-factors", "1")
    assert "household-factors version 1 is now retired." in out
    assert not Instrument.objects.filter(key="household-factors", status=InstrumentStatus.PUBLISHED).exists()
