"""The Prefect layer: thin tasks around the plain stage functions, and the flows that wire them.

No logic lives here. Tasks pass paths, ids and pydantic records, never spaCy Docs or
pdfplumber objects, and each stage validates what it receives (Prefect may rebuild models
without validation). Large values are passed `opaque`, so Prefect does not walk them looking
for nested futures, and never leave the process that made them.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from itertools import islice
from pathlib import Path
from typing import Callable

from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.flows import flow  # not `from prefect import ...`: that loads prefect.main too
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import task
from prefect.utilities.annotations import opaque

from briefex.models import BriefexError, IngestedDocument
from briefex.output.exporters import JsonlExporter
from briefex.output.store import Registration, Store
from briefex.sources import ingest, ingest_bytes
from briefex.sources.pdf import PAGE_PROGRESS

from .extract import Extraction, extract
from .summary import Processed, RunSummary

ProgressHook = Callable[[str, str], None]   # (document name or path, outcome)
# (document name or path, share of that document done from 0 to 1, what is being done): reading
# its pages is the first half, extracting from its pieces the second.
WithinHook = Callable[[str, float, str], None]
_progress_hooks: list[ProgressHook] = []
_within_hooks: list[WithinHook] = []


@contextlib.contextmanager
def progress_reporting(hook: ProgressHook, within: WithinHook | None = None):
    """Let the CLI draw a progress bar without passing a callable as a flow parameter. The
    hooks live in this process: a task on a Dask worker reports only documents done."""
    _progress_hooks.append(hook)
    if within is not None:
        _within_hooks.append(within)
    try:
        yield
    finally:
        _progress_hooks.remove(hook)
        if within is not None:
            _within_hooks.remove(within)


def _report(name: str, outcome: str) -> None:
    for hook in _progress_hooks:
        hook(name, outcome)


def _report_within(name: str, share: float, doing: str) -> None:
    for hook in _within_hooks:
        hook(name, share, doing)


@contextlib.contextmanager
def _pages_reported(name: str):
    """Report each page the PDF reader finishes, inside one task run (the hook never crosses
    between tasks or processes)."""
    token = PAGE_PROGRESS.set(lambda done, total: _report_within(name, done / total / 2, f"page {done}/{total}"))
    try:
        yield
    finally:
        PAGE_PROGRESS.reset(token)


def _transient(task, task_run, state) -> bool:
    """Retry only what may pass on a second try (I/O or a locked database), never bad input."""
    try:
        state.result()
    except BriefexError:
        return False
    except Exception as exc:
        return isinstance(exc, OSError) or type(exc).__name__ in {"OperationalError", "InterfaceError"}
    return False


def _one_line(path: str, exc: BaseException) -> str:
    if isinstance(exc, BriefexError):
        return str(exc)
    return f"{Path(path).name}: {type(exc).__name__}: {exc}".splitlines()[0]


# -- tasks: one stage each, calling the plain functions ------------------------------------
# Our own skip logic (content hash + pipeline version, in the store) decides what to redo, so
# Prefect's input-hashing cache is off: hashing a document's text and records per task costs
# time and buys nothing.
_stage = dict(cache_policy=NO_CACHE, persist_result=False)
_retrying = dict(_stage, retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)


@task(name="ingest", **_retrying)
def ingest_task(path: str) -> IngestedDocument:
    with _pages_reported(path):
        return ingest(path)


@task(name="ingest-version", **_retrying)
def ingest_version_task(job: Registration, db_url: str) -> IngestedDocument:
    """Read a registered version from its file when the file still holds those bytes, else
    from the store (files move; the store keeps every version's bytes)."""
    data = None
    if job.path and Path(job.path).is_file():
        data = Path(job.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != job.sha256:
            data = None  # the file changed since it was registered: read the stored version
    if data is None:
        data = Store(db_url, create=False).content(job.sha256)
    with _pages_reported(job.name):
        return ingest_bytes(data, job.name)


@task(name="extract", **_stage)
def extract_task(document: IngestedDocument, name: str | None = None) -> Extraction:
    """`name`: what the progress reports call the document (its path in `extract_flow`)."""
    name = name or document.name
    return extract(IngestedDocument.model_validate(document.model_dump()),
                   on_piece=lambda done, total: _report_within(name, 0.5 + done / total / 2,
                                                               f"extracting {done}/{total}"))


@task(name="write", **_retrying)
def write_task(extraction: Extraction, out: str) -> int:
    with open(out, "a", encoding="utf-8") as fh:
        return JsonlExporter(fh).write(extraction.records)


@task(name="store", **dict(_retrying, retries=3, retry_delay_seconds=2))
def store_task(job: Registration, document: IngestedDocument, extraction: Extraction, db_url: str,
               pipeline_version: str, run_id: int | None) -> Processed:
    """Write one document's records; hand back only counts, so a flow (or a Dask client) never
    pulls a document's text or records across to itself."""
    diff = Store(db_url, create=False).write_results(job, document, extraction.records,
                                                     list(extraction.rejected), pipeline_version, run_id,
                                                     extraction.sentences, extraction.misses)
    return Processed.of(document, extraction, diff)


@task(name="record-failure", **dict(_retrying, retries=3, retry_delay_seconds=2))
def failure_task(job: Registration, db_url: str, pipeline_version: str, error: str, run_id: int | None) -> None:
    Store(db_url, create=False).record_failure(job.sha256, pipeline_version, error, run_id)


# -- flows: wiring only ----------------------------------------------------------------------
@flow(name="briefex-extract", validate_parameters=False, log_prints=False)
def extract_flow(paths: list[str], out: str) -> RunSummary:
    """Ingest -> extract -> write over a list of files, to a JSONL file; a bad file is reported
    and the rest go on. Records go to a temporary file renamed over `out` at the end."""
    summary = RunSummary()
    partial = f"{out}.tmp"
    Path(partial).write_text("", encoding="utf-8")
    for path in paths:
        try:
            document = ingest_task(path)
        except Exception as exc:
            summary.failed.append((path, _one_line(path, exc)))
            _report(path, "failed")
            continue
        extraction = extract_task(opaque(document), path)
        write_task(opaque(extraction), partial)
        summary.add(path, Processed.of(document, extraction))
        _report(path, "done")
    os.replace(partial, out)
    return summary


@task(name="document", **_stage)
def document_task(job: Registration, db_url: str, pipeline_version: str, run_id: int | None) -> Processed:
    """One document through its stages, each a task run of its own beneath this one.

    Nesting, rather than three tasks submitted side by side, keeps a document's text and
    records inside the process that made them (a Dask worker, say), and a task that starts
    on a Dask worker pays about 0.1 s to rebuild Prefect's settings and API client: once per
    document here, not once per stage."""
    document = ingest_version_task(job, db_url)
    extraction = extract_task(opaque(document))
    return store_task(job, opaque(document), opaque(extraction), db_url, pipeline_version, run_id)


def _parallelism(runner) -> int:
    """How many tasks can run at once: a Dask cluster's worker threads, else this machine's
    cores (more than a one-thread runner needs, but a queued document is only its registration)."""
    client = getattr(runner, "client", None)    # a started prefect-dask runner
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return os.cpu_count() or 1


@flow(name="briefex-process", validate_parameters=False, log_prints=False,
      task_runner=ThreadPoolTaskRunner(max_workers=1))
def process_flow(jobs: list[Registration], db_url: str, pipeline_version: str,
                 run_id: int | None = None) -> RunSummary:
    """Ingest -> extract -> store for registered document versions. A document that fails is
    recorded with its error and keeps its earlier records; the others go on.

    Documents are submitted a few more at a time than the runner has workers: every worker
    stays busy, and only registrations and counts cross between this process and the runner."""
    summary = RunSummary()
    queue = iter(jobs)
    running: dict = {}

    def start(job: Registration) -> None:
        running[document_task.submit(job, db_url, pipeline_version, run_id)] = job

    for job in islice(queue, 2 * _parallelism(FlowRunContext.get().task_runner)):
        start(job)
    while running:
        done = next(iter(as_completed(list(running))))
        job = running.pop(done)
        for following in islice(queue, 1):
            start(following)
        try:
            processed = done.result()
        except Exception as exc:
            reason = _one_line(job.name, exc)
            failure_task(job, db_url, pipeline_version, reason, run_id)
            summary.failed.append((job.name, reason))
            _report(job.name, "failed")
            continue
        summary.add(job.name, processed)
        _report(job.name, "done")
    return summary
