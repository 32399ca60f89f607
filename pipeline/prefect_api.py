"""Where flow runs report: the Prefect API already configured (environment or profile), or a
local server this process starts and stops.

Prefect's own fallback, the temporary server, starts only when the first flow run asks for
it; the client then imports Prefect's whole server package (about 2.5 s here) and waits
about 4 s more for the server to answer, all before the first task. Started here instead,
the server boots in its own process while this one imports spaCy and loads the model, and a
command pays the start-up once, mostly on the other core.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PrefectAPI:
    url: str
    process: subprocess.Popen | None = None   # None: a server someone else runs

    def wait_ready(self) -> str:
        """Block until the API answers; a local server that dies or never answers is an error."""
        if self.process is None:
            return self.url
        deadline = time.monotonic() + float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 90))
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/health", timeout=2)
                return self.url
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the local Prefect server did not start") from None
                time.sleep(0.1)


def _drain() -> None:
    """Send the logs and events Prefect still holds while the server is up; left to Prefect's
    exit hooks, they would fail against a stopped server ("Error logging to API")."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=10)


@contextlib.contextmanager
def prefect_api(services: bool = False, scheduler_seconds: int = 60) -> Iterator[PrefectAPI]:
    """Yield the configured API, or start a local server and point Prefect at it until the
    block ends. `services` runs the scheduler (deployments need it; plain flow runs do not),
    looking for due runs every `scheduler_seconds` (Prefect's default is 60). The server is
    starting, not yet ready, when the block begins: call `wait_ready()` before the first run."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    configured = get_current_settings().api.url
    if configured:
        yield PrefectAPI(configured)
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    if not services:
        command += ["--no-services", "--no-ui"]
    env = {**os.environ, "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": str(scheduler_seconds)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url   # for child processes: Dask workers, served flow runs
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            yield PrefectAPI(url, server)
    finally:
        _drain()
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
