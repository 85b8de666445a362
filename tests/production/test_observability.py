"""Observability as production runs it (issue 20 part 7): `saferhomes serve` with production settings logs JSON by
default — gunicorn's access log one object a line with the request id the app sent back and no resident's token —
and /metrics, behind its token, adds up the request latency of every gunicorn worker (prometheus_client's
multi-process folder) and reads the queue and the workers' heartbeats from PostgreSQL."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.production.nodes import CLI, ROOT, deployment, free_port

pytestmark = pytest.mark.production

TOKEN = "metrics-token-serve-0123456789"


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("X-Request-ID") or ""
    finally:
        connection.close()


def _samples(body: bytes) -> list[tuple[str, dict[str, str], float]]:
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    ]


def test_production_logs_json_with_request_ids_and_metrics_add_up_every_worker(tmp_path: Path) -> None:
    with deployment(tmp_path, SAFERHOMES_METRICS_TOKEN=TOKEN) as live:
        live.start("worker", "--interval", "0.2")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [*CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=live.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            live.wait_for("gunicorn", lambda: _try(port))
            for _ in range(20):  # each a new connection, answered by either worker
                _get(port, "/healthz")
            _, _, request_id = _get(port, "/report/status/tok3nOfAResident/", {"X-Request-ID": "lb-serve-00000001"})
            assert request_id == "lb-serve-00000001"
            assert _get(port, "/metrics")[0] == 401

            def alive() -> list[tuple[str, dict[str, str], float]] | None:
                status, body, _ = _get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"})
                assert status == 200
                samples = _samples(body)
                return samples if ("saferhomes_workers_alive", {}, 1.0) in samples else None

            samples = live.wait_for("the worker's heartbeat on /metrics", alive)
        finally:
            server.send_signal(signal.SIGTERM)
            stdout, stderr = server.communicate(timeout=40)
    assert server.returncode == 0, stderr

    healthz = sum(
        value for name, labels, value in samples if name.endswith("_count") and labels.get("view") == "core:healthz"
    )
    assert healthz >= 20  # both workers' requests (more: the calls while waiting for the server to start)
    assert len([value for name, _, value in samples if name == "saferhomes_task_queue_depth"]) == 1
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    status_page = [entry for entry in access if entry["path"] == "/report/status/[redacted]/"]
    assert len(status_page) == 1
    assert status_page[0]["request_id"] == "lb-serve-00000001"
    assert status_page[0]["status"] == 404
    assert status_page[0]["method"] == "GET"
    assert isinstance(status_page[0]["duration_ms"], float)
    assert all(entry["request_id"] for entry in access)
    assert "tok3nOfAResident" not in stdout + stderr
    error_log = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any("Booting worker" in entry["message"] for entry in error_log)


def _try(port: int) -> bool:
    try:
        _get(port, "/healthz")
    except OSError:
        return False
    return True
