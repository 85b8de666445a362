"""No per-process memory state (issue 20 part 3): the cache behind the API's throttles is the database's cache table,
or Redis when REDIS_URL is set, so what one web process counts another sees."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from scripts.ensure_redis import ensure_redis

READ_OR_COUNT = (
    "import sys, django; django.setup(); from django.core.cache import cache; "
    "cache.add(sys.argv[1], 0, 60); print(cache.incr(sys.argv[1]))"
)


def _in_a_new_process(env: dict[str, str], key: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", READ_OR_COUNT, key], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_default_cache_is_the_database_not_one_process_memory() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.REDIS_URL:
        assert backend == "django.core.cache.backends.redis.RedisCache"
    else:
        assert backend == "django.core.cache.backends.db.DatabaseCache"
        assert settings.CACHES["default"]["LOCATION"] == "saferhomes_cache"


def test_two_processes_count_in_one_redis_when_redis_url_is_set(tmp_path: Path) -> None:
    env = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        "REDIS_URL": ensure_redis(),
        "SAFERHOMES_ENV": "development",
        "SAFERHOMES_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "saferhomes.config.settings",
    }
    key = f"test-shared-{uuid.uuid4()}"

    assert [_in_a_new_process(env, key) for _ in range(3)] == ["1", "2", "3"]
