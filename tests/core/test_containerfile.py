"""The production process model's files stay honest (issue 20 part 2). No container engine runs here, so these tests
check what the Containerfile, compose.yaml and the Procfile name: every copied path exists, every `saferhomes`
command is a real command, every environment variable they set is one the settings read, and `.env.example` sets
everything production refuses to start without."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = (ROOT / "Containerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
PROCFILE = (ROOT / "Procfile").read_text()
SETTINGS_SOURCES = "".join(
    (ROOT / "src/saferhomes/config" / name).read_text() for name in ("settings.py", "gunicorn.py", "wsgi.py")
)


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each line of the Containerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", CONTAINERFILE)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1]) for line in lines]


def _saferhomes_commands(text: str) -> list[str]:
    return re.findall(r"\bsaferhomes\s+([a-z][a-z_-]*)", text)


def test_every_path_the_containerfile_copies_from_the_repository_exists() -> None:
    copied = []
    for instruction, arguments in _instructions():
        if instruction == "COPY" and not arguments.startswith("--from"):
            *sources, _destination = shlex.split(arguments)
            copied += sources
    assert copied, "the Containerfile copies the project in"
    for source in copied:
        assert (ROOT / source).exists(), source


def test_every_saferhomes_command_named_for_production_exists() -> None:
    named = set(
        _saferhomes_commands(CONTAINERFILE)
        + _saferhomes_commands(PROCFILE)
        + [word for service in COMPOSE["services"].values() for word in service.get("command", [])[1:2]]
    )
    commands = get_commands()
    assert {"serve", "worker", "migrate", "collectstatic"} <= named
    assert not named - set(commands), named - set(commands)


def test_the_procfile_runs_migrations_the_web_server_and_the_worker() -> None:
    processes = dict(line.split(": ", 1) for line in PROCFILE.strip().splitlines())
    assert processes == {
        "release": "saferhomes migrate --noinput",
        "web": "saferhomes serve",
        "worker": "saferhomes worker",
    }


def test_the_image_runs_as_a_non_root_user_with_collected_static_files() -> None:
    instructions = _instructions()
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users
    assert users[-1] not in {"root", "0"}
    assert any(
        "collectstatic --noinput" in arguments for instruction, arguments in instructions if instruction == "RUN"
    )
    assert [i for i, _ in instructions].count("FROM") >= 2, "multi-stage: build tools stay out of the runtime image"


@pytest.mark.parametrize(
    "variable", ["SAFERHOMES_VAR_DIR", "SAFERHOMES_STATIC_ROOT", "GUNICORN_BIND", "SAFERHOMES_ENV"]
)
def test_every_setting_the_image_sets_is_read_by_the_settings(variable: str) -> None:
    assert f"{variable}=" in CONTAINERFILE
    assert f'"{variable}"' in SETTINGS_SOURCES


def test_the_image_health_check_and_compose_use_real_endpoints() -> None:
    assert "/healthz" in CONTAINERFILE
    assert resolve("/healthz").url_name == "healthz"
    assert resolve("/readyz").url_name == "readyz"


def test_the_example_environment_sets_everything_production_refuses_to_start_without() -> None:
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    required = {"SECRET_KEY", "ALLOWED_HOSTS", "SAFERHOMES_BASE_URL", "SAFERHOMES_PUBLIC_URL", "EMAIL_HOST"}
    assert required <= set(example)
    for service in ("migrate", "web", "worker"):
        database = COMPOSE["services"][service]["environment"]["DATABASE_URL"]
        assert database.startswith("postgres://"), service
