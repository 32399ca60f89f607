"""Batch runs over the store: which documents to (re)process, and running the flow on them.

`add` registers files by content hash; `reprocess` picks stored documents. Either way a
version already processed without error by the current pipeline version is skipped unless
forced, so re-running a command after a crash (or kill -9) finishes the work and redoes
nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefex.output.store import Registration, Store
from briefex.sources import discover

from .summary import RunSummary
from .version import pipeline_version


@dataclass
class Plan:
    jobs: list[Registration] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _queue(plan: Plan, store: Store, registration: Registration, version: str, force: bool) -> None:
    if not force and store.is_current(registration.sha256, version):
        plan.skipped.append(registration.name)
    else:
        plan.jobs.append(registration)


def plan_add(store: Store, paths: list[str | Path], force: bool = False) -> Plan:
    plan, version = Plan(), pipeline_version()
    for path in discover(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            plan.failed.append((str(path), f"{path.name}: {exc.strerror or 'cannot be read'}"))
            continue
        _queue(plan, store, store.register(data, path), version, force)
    return plan


def plan_reprocess(store: Store, mode: str = "changed", document: str | None = None,
                   force: bool = False) -> Plan:
    """mode 'all' or 'doc': stored versions; 'changed' also registers files changed on disk."""
    plan, version = Plan(), pipeline_version()
    paths = store.paths()
    for registration in store.current_versions(document):
        path = Path(paths.get(registration.document_id, ""))
        if mode == "changed" and path.is_file():
            registration = store.register(path.read_bytes(), path)
        _queue(plan, store, registration, version, force)
    return plan


def run(store: Store, plan: Plan, command_line: str, task_runner=None):
    """Run the flow over a plan, bracketed by a run row in the store. Prefect is imported only
    when there is work: an unchanged reprocess answers in about a second."""
    version = pipeline_version()
    run_id = store.start_run(command_line, version)
    summary = RunSummary()
    status = "failed"
    try:
        if plan.jobs:
            from .flows import process_flow

            flow = process_flow.with_options(task_runner=task_runner) if task_runner else process_flow
            summary = flow(plan.jobs, store.url, version, run_id)
        status = "ok"
    finally:
        summary.skipped = plan.skipped + summary.skipped
        summary.failed = plan.failed + summary.failed
        store.finish_run(run_id, status, {"documents": summary.documents, "skipped": len(summary.skipped),
                                          "failed": len(summary.failed), "records": dict(summary.records)})
    return summary


def check_scheduler(address: str, timeout_seconds: float = 3.0) -> None:
    """Fail at once when nothing listens at a Dask scheduler address; left to Dask, a dead
    address is noticed after 30 s, with a long traceback."""
    import socket
    import urllib.parse

    from briefex.models.errors import Failure

    parsed = urllib.parse.urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parsed.hostname, parsed.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise Failure(f"bad --dask-address {address!r}", "expected tcp://HOST:PORT")
    try:
        socket.create_connection((host, port), timeout=timeout_seconds).close()
    except OSError as exc:
        why = exc.strerror or str(exc) or "no answer"
        raise Failure(f"cannot reach the Dask scheduler at {address}", why) from None


def dask_runner(address: str | None = None, local_workers: int | None = None):
    """A prefect-dask task runner for a running cluster or a local one of N processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": local_workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})
