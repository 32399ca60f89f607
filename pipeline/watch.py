"""`briefex watch`: a Prefect deployment that looks at a folder on an interval and adds new or
changed files; its runs show up in the Prefect UI like any other deployment's.

Prefect schedules deployments only on a real API server, not on the temporary one a plain
flow run starts. Without PREFECT_API_URL, `watch` starts a local server on 127.0.0.1 for as
long as it runs, and prints the UI address.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SERVER_STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def prefect_server(scheduler_seconds: int = 60):
    """Yield the API URL of a Prefect server: the configured one, or a local one started here
    whose scheduler looks for due runs every `scheduler_seconds` (Prefect's default is 60)."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": str(scheduler_seconds)}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the local Prefect server did not start") from None
                time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def serve(directory: Path, db_url: str, interval_seconds: int, announce=print) -> None:
    """Blocks, running the deployment every `interval_seconds` until interrupted."""
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", str(max(1, min(interval_seconds, 10))))
    with prefect_server(scheduler_seconds=max(1, min(interval_seconds, 60))) as api_url:
        announce(f"Prefect UI: {api_url.removesuffix('/api')}")
        from prefect import flow

        from briefex.output.store import Store

        from .batch import plan_add, run

        @flow(name="briefex-watch", validate_parameters=False, log_prints=True)
        def watch_flow(directory: str, db_url: str) -> dict:
            store = Store(db_url)
            summary = run(store, plan_add(store, [directory]), f"watch {directory}")
            print(f"{summary.documents} added, {len(summary.skipped)} unchanged, {len(summary.failed)} failed")
            return {"added": summary.documents, "skipped": len(summary.skipped), "failed": len(summary.failed)}

        # limit=1: a look that outlasts the interval delays the next; two never add at once
        watch_flow.serve(name=f"watch-{directory.name or 'root'}",
                         interval=dt.timedelta(seconds=interval_seconds), limit=1,
                         parameters={"directory": str(directory), "db_url": db_url})
