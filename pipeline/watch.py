"""`briefex watch`: a Prefect deployment that looks at a folder on an interval and adds new or
changed files; its runs show up in the Prefect UI like any other deployment's.

Prefect schedules deployments only on a real API server, not on the temporary one a plain
flow run starts. Without a configured API, `watch` starts a local server on 127.0.0.1, with
its scheduler, for as long as it runs, and prints the UI address.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .prefect_api import prefect_api


def serve(directory: Path, db_url: str, interval_seconds: int, announce=print) -> None:
    """Blocks, running the deployment every `interval_seconds` until interrupted."""
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", str(max(1, min(interval_seconds, 10))))
    with prefect_api(services=True, scheduler_seconds=max(1, min(interval_seconds, 60))) as api:
        announce(f"Prefect UI: {api.wait_ready().removesuffix('/api')}")
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
