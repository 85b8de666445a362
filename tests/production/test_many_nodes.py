"""Many nodes against one PostgreSQL (issue 20 part 3): two gunicorn servers and two workers share one database and
keep no state of their own. A rate limit holds across both servers, no scheduled job runs twice, and a task whose
worker is killed mid-task is finished by another worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.production.nodes import Deployment, deployment, http_request

pytestmark = pytest.mark.production


def test_two_servers_and_two_workers_share_one_database_and_lose_nothing(tmp_path: Path) -> None:
    with deployment(tmp_path, SAFERHOMES_API_RATE_LIMIT="6/m", SAFERHOMES_WORKER_HEARTBEAT_MAX_AGE_SECONDS="4") as live:
        token = live.run("createtoken", "manager_nodes").strip().splitlines()[-1]
        first, second = live.serve(), live.serve()
        assert http_request(first, "GET", "/readyz")[0] == 503  # no worker yet: not ready for traffic

        worker_a, worker_b = live.start("worker", "--interval", "0.2"), live.start("worker", "--interval", "0.2")
        for port in (first, second):
            live.wait_for(f"server {port} ready", lambda port=port: http_request(port, "GET", "/readyz")[0] == 200)
            assert http_request(port, "GET", "/staff/sign-in/")[0] == 200

        _a_rate_limit_holds_across_both_servers(token, first, second)
        _no_scheduled_job_runs_twice(live)
        _a_task_whose_worker_dies_is_finished_by_another(live, worker_a, worker_b)


def _a_rate_limit_holds_across_both_servers(token: str, first: int, second: int) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    answers = [http_request(port, "GET", "/api/v1/me", headers=bearer)[0] for port in (first, second) * 3]
    assert answers == [200] * 6, "six requests, three on each server, are within the limit of 6 a minute"
    assert http_request(first, "GET", "/api/v1/me", headers=bearer)[0] == 429
    status, body = http_request(second, "GET", "/api/v1/me", headers=bearer)
    assert status == 429, "the other server counted the same requests"
    assert json.loads(body)["status"] == 429


def _no_scheduled_job_runs_twice(live: Deployment) -> None:
    jobs = int(live.python("from saferhomes.core.schedule import registry; print(len(registry.all()))"))
    enqueued = "SELECT count(*) FROM core_scheduledjob WHERE last_enqueued_at IS NOT NULL"
    live.wait_for("every periodic job enqueued", lambda: live.sql(enqueued)[0][0] == jobs)
    per_job = live.sql("SELECT task_path, count(*) FROM django_tasks_database_dbtaskresult GROUP BY task_path")
    assert len(per_job) == jobs
    assert {path: count for path, count in per_job if count != 1} == {}, "both workers started; each job ran once"


def _a_task_whose_worker_dies_is_finished_by_another(live: Deployment, worker_a, worker_b) -> None:
    live.stop(worker_b)  # one worker left, so it is the one that takes the task
    task_id = live.python(
        "from tests.production.slow_tasks import slow_then_mark; print(slow_then_mark.enqueue(3, 'survivor').id)"
    )

    def status() -> str:
        return str(live.sql("SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", task_id)[0][0])

    live.wait_for("the task to start", lambda: status() == "RUNNING")
    live.stop(worker_a, kill=True)  # mid-task, as the kernel's OOM killer or a lost machine would
    live.start("worker", "--interval", "0.2")

    live.wait_for("another worker to finish the task", lambda: status() == "SUCCESSFUL", seconds=90)
    finished = live.sql("SELECT count(*) FROM core_auditevent WHERE verb = 'test.slow_task_finished'")
    assert finished == [(1,)], "finished once: the killed worker never completed it"
