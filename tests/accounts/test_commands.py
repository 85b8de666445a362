"""The accounts commands: createstaff, createtoken, tokens, roles and totp-code."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from saferhomes.accounts.models import ApiToken, Team, User, hash_token
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.accounts.selectors import totp_current_code
from saferhomes.accounts.services import staff_totp_device_create, token_create
from saferhomes.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-velvet-93"


def run(*args: str, stdin_tty: bool = False) -> str:
    out = io.StringIO()
    with mock.patch("sys.stdin.isatty", return_value=stdin_tty):
        call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- createstaff ------------------------------------------------------------------------------------------------


def test_createstaff_creates_a_user_in_the_role_with_its_group(db: None) -> None:
    out = run(
        "createstaff", "cara", "--role", "coordinator", "--email", "cara@example.org", "--password", GOOD_PASSWORD,
        "--first-name", "Cara", "--last-name", "Jones", "--team", "North team",
    )  # fmt: skip
    user = User.objects.get(username="cara")
    assert user.role == Role.COORDINATOR
    assert user.check_password(GOOD_PASSWORD)
    assert (user.first_name, user.last_name, user.email) == ("Cara", "Jones", "cara@example.org")
    assert user.team == Team.objects.get(name="North team")
    assert list(user.groups.values_list("name", flat=True)) == ["coordinator"]
    assert not user.is_staff
    assert not user.is_superuser
    assert "Created Community safety coordinator 'cara'" in out
    assert AuditEvent.objects.filter(verb="staff.created", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(verb="team.created").exists()


def test_createstaff_admin_role_gets_admin_site_access(db: None) -> None:
    run("createstaff", "ada", "--role", "admin", "--password", GOOD_PASSWORD)
    assert User.objects.get(username="ada").is_staff


def test_createstaff_bad_role_lists_the_roles_and_creates_nothing(db: None) -> None:
    with pytest.raises(CommandError) as error:
        run("createstaff", "x", "--role", "wizard", "--password", GOOD_PASSWORD)
    assert "Unknown role 'wizard'" in str(error.value)
    for role in Role.values:
        assert role in str(error.value)
    assert not User.objects.filter(username="x").exists()


def test_createstaff_rejects_a_weak_password(db: None) -> None:
    with pytest.raises(CommandError, match="password is not allowed"):
        run("createstaff", "weak", "--role", "officer", "--password", "password")
    assert not User.objects.filter(username="weak").exists()


def test_createstaff_rejects_a_duplicate_username(officer_olivia: User) -> None:
    with pytest.raises(CommandError, match="already exists"):
        run("createstaff", officer_olivia.username.upper(), "--role", "officer", "--password", GOOD_PASSWORD)


def test_createstaff_without_password_and_no_terminal_leaves_it_to_the_reset_link(db: None) -> None:
    out = run("createstaff", "nadia", "--role", "officer", "--email", "nadia@example.org")
    assert not User.objects.get(username="nadia").has_usable_password()
    assert "/staff/password-reset/" in out


def test_createstaff_prompts_twice_on_a_terminal(db: None) -> None:
    with mock.patch("getpass.getpass", side_effect=[GOOD_PASSWORD, GOOD_PASSWORD]) as prompt:
        run("createstaff", "tom", "--role", "officer", stdin_tty=True)
    assert prompt.call_count == 2
    assert User.objects.get(username="tom").check_password(GOOD_PASSWORD)


def test_createstaff_prompt_retries_on_mismatch_then_gives_up(db: None) -> None:
    with (
        mock.patch("getpass.getpass", side_effect=["a-long-password-1", "different-one-22"] * 3),
        pytest.raises(CommandError, match="No acceptable password"),
    ):
        run("createstaff", "tim", "--role", "officer", stdin_tty=True)
    assert not User.objects.filter(username="tim").exists()


def test_createstaff_fails_with_nonzero_exit_from_the_console_script(db: None) -> None:
    from saferhomes.cli import main

    with (
        mock.patch("sys.argv", ["saferhomes", "createstaff", "x", "--role", "wizard"]),
        pytest.raises(SystemExit) as exit_info,
    ):
        main()
    assert exit_info.value.code != 0


# --- createtoken and tokens --------------------------------------------------------------------------------------


def test_createtoken_prints_the_token_alone_on_the_last_line_and_stores_only_its_hash(officer_olivia: User) -> None:
    out = run("createtoken", officer_olivia.username, "--name", "Reporting")
    raw = out.rstrip("\n").splitlines()[-1]
    assert raw.startswith("shk_")
    assert raw.strip() == raw
    assert " " not in raw
    token = ApiToken.objects.get(user=officer_olivia)
    assert token.key_hash == hash_token(raw)
    assert token.name == "Reporting"
    assert raw not in repr(list(ApiToken.objects.values()))
    assert raw not in repr(list(AuditEvent.objects.values()))
    assert AuditEvent.objects.filter(verb="api_token.created", object_id=str(token.pk)).exists()


def test_createtoken_for_unknown_or_inactive_user_fails(officer_olivia: User) -> None:
    with pytest.raises(CommandError, match="No staff account"):
        run("createtoken", "nobody")
    officer_olivia.is_active = False
    officer_olivia.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("createtoken", officer_olivia.username)
    assert not ApiToken.objects.exists()


def test_tokens_list_shows_prefix_owner_and_status_never_the_token(officer_olivia: User, dpo_daniel: User) -> None:
    mine, raw = token_create(actor=None, user=officer_olivia, name="Spreadsheet")
    token_create(actor=None, user=dpo_daniel, name="Audit export")
    out = run("tokens", "list")
    assert mine.key_prefix in out
    assert "Spreadsheet" in out
    assert "Audit export" in out
    assert raw not in out
    only_olivia = run("tokens", "list", officer_olivia.username)
    assert "Spreadsheet" in only_olivia
    assert "Audit export" not in only_olivia


def test_tokens_revoke_by_prefix_and_by_id(officer_olivia: User) -> None:
    first, _ = token_create(actor=None, user=officer_olivia, name="one")
    second, _ = token_create(actor=None, user=officer_olivia, name="two")
    run("tokens", "revoke", first.key_prefix + "…")
    run("tokens", "revoke", str(second.pk))
    assert ApiToken.objects.active().count() == 0
    assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 2
    assert "revoked" in run("tokens", "list")


def test_tokens_revoke_unknown_or_already_revoked_fails_clearly(officer_olivia: User) -> None:
    token, _ = token_create(actor=None, user=officer_olivia)
    with pytest.raises(CommandError, match="No API token"):
        run("tokens", "revoke", "shk_zzzzzzzz")
    run("tokens", "revoke", str(token.pk))
    with pytest.raises(CommandError, match="already revoked"):
        run("tokens", "revoke", str(token.pk))


# --- roles and totp-code ----------------------------------------------------------------------------------------


def test_roles_syncs_groups_and_prints_each_role(db: None) -> None:
    Group.objects.get(name="dpo").permissions.clear()
    out = run("roles")
    assert set(Group.objects.get(name="dpo").permissions.values_list("codename", flat=True)) == {
        perm.split(".", 1)[1] for perm in ROLE_PERMISSIONS[Role.DPO]
    }
    for role in Role:
        assert role.value in out
    assert "search_auditevent" in out


@override_settings(DEBUG=False, ENVIRONMENT="development")
def test_totp_code_prints_the_current_code_in_development(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    out = run("totp-code", officer_olivia.username)
    assert out.strip() == totp_current_code(device)
    assert len(out.strip()) == 6


@override_settings(DEBUG=False, ENVIRONMENT="production")
def test_totp_code_is_refused_in_production(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    with pytest.raises(CommandError, match="only works in development"):
        run("totp-code", officer_olivia.username)


@override_settings(DEBUG=True, ENVIRONMENT="development")
def test_totp_code_needs_a_confirmed_device(officer_olivia: User) -> None:
    with pytest.raises(CommandError, match="has not set up an authenticator app"):
        run("totp-code", officer_olivia.username)
