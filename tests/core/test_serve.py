"""`saferhomes serve` (issue 20 part 2): gunicorn with our config serves the app, logs each request with residents'
private links redacted, stops cleanly on SIGTERM, and production refuses to start without collected static files."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.test_settings import PRODUCTION_ENV, run_with_settings

SAFERHOMES_CLI = [sys.executable, "-c", "from saferhomes.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _wait_until_serving(port: int, server: subprocess.Popen[str], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped: {server.communicate()}"
        try:
            _get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within a minute")


def test_serve_runs_gunicorn_that_answers_logs_redacted_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAFERHOMES_", "DATABASE_URL"))}
    env.update(
        SAFERHOMES_ENV="development",
        SAFERHOMES_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="saferhomes.config.settings",
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [*SAFERHOMES_CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_serving(port, server)
        assert _get(port, "/healthz") == (200, b'{"status": "ok"}')
        status, body = _get(port, "/readyz")  # a fresh database: nothing migrated, no worker
        assert status == 503
        assert "not applied: run saferhomes migrate" in json.loads(body)["checks"]["migrations"]
        _get(port, "/report/status/tok3nOfAResident/")
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=40)
    assert server.returncode == 0, stderr
    assert "Starting gunicorn: gunicorn -c python:saferhomes.config.gunicorn" in stdout
    access_log = stdout.splitlines()
    assert any('"GET /healthz HTTP/1.1" 200' in line for line in access_log)
    assert any("/report/status/[redacted]/" in line for line in access_log)
    assert "tok3nOfAResident" not in stdout + stderr
    assert "Booting worker" in stderr
    assert "Shutting down: Master" in stderr


def test_serve_in_production_refuses_to_start_without_collected_static_files(tmp_path: Path) -> None:
    result = run_with_settings(
        ["-c", "from saferhomes.cli import main; main()", "serve"], var_dir=tmp_path, **PRODUCTION_ENV
    )

    assert result.returncode != 0
    assert "Static files are not collected" in result.stderr
    assert "saferhomes collectstatic --noinput" in result.stderr
