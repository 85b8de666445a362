"""Make sure Redis answers on 127.0.0.1:6379 for the shared-state tests (issue 20 part 3): install Debian's
redis-server with apt-get if it is missing (never skip silently), start it if it is not running, wait for it.

Usage: uv run python scripts/ensure_redis.py   (also called by tests/conftest.py's `redis_url` fixture)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

HOST, PORT = "127.0.0.1", 6379
WAIT_SECONDS = 30


def _root_prefix() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo", "-n"]


def port_open() -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, PORT)) == 0


def ensure_redis() -> str:
    """The URL of a running Redis (database 15 is the tests'), installing and starting it if need be."""
    if not port_open():
        if shutil.which("redis-server") is None:
            print("redis-server is missing: installing Debian's redis-server", file=sys.stderr)
            subprocess.run([*_root_prefix(), "apt-get", "install", "-y", "redis-server"], check=True)  # noqa: S603
        print(f"Redis is not answering on {HOST}:{PORT}: starting redis-server", file=sys.stderr)
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        subprocess.run(  # noqa: S603 - Debian's redis-server, fixed arguments
            [server, "--bind", HOST, "--port", str(PORT), "--daemonize", "yes", "--save", ""], check=True
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while not port_open():
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis did not start on {HOST}:{PORT} within {WAIT_SECONDS}s")
            time.sleep(0.2)
    return f"redis://{HOST}:{PORT}/15"


if __name__ == "__main__":
    print(ensure_redis())
