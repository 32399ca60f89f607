"""The Prefect layer: thin tasks around the plain stage functions, and the flows that wire them.

No logic lives here. Tasks pass paths, ids and pydantic records, never spaCy Docs or
pdfplumber objects, and each stage validates what it receives (Prefect may rebuild models
without validation). Documents stream through: each document's next stage is submitted as
soon as its previous one finishes, so a batch never holds more than it is working on.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Callable

from prefect import flow, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from briefex.models import BriefexError, IngestedDocument
from briefex.output.exporters import JsonlExporter
from briefex.output.store import Diff, Registration, Store
from briefex.sources import ingest, ingest_bytes

from .extract import Extraction, extract
from .summary import RunSummary

ProgressHook = Callable[[str, str], None]   # (document name or path, outcome)
_progress_hooks: list[ProgressHook] = []


@contextlib.contextmanager
def progress_reporting(hook: ProgressHook):
    """Let the CLI draw a progress bar without passing a callable as a flow parameter."""
    _progress_hooks.append(hook)
    try:
        yield
    finally:
        _progress_hooks.remove(hook)


def _report(name: str, outcome: str) -> None:
    for hook in _progress_hooks:
        hook(name, outcome)


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
@task(name="ingest", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)
def ingest_task(path: str) -> IngestedDocument:
    return ingest(path)


@task(name="ingest-version", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)
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
    return ingest_bytes(data, job.name)


@task(name="extract")
def extract_task(document: IngestedDocument) -> Extraction:
    return extract(IngestedDocument.model_validate(document.model_dump()))


@task(name="write", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)
def write_task(extraction: Extraction, out: str) -> int:
    with open(out, "a", encoding="utf-8") as fh:
        return JsonlExporter(fh).write(extraction.records)


@task(name="store", retries=3, retry_delay_seconds=2, retry_condition_fn=_transient)
def store_task(job: Registration, document: IngestedDocument, extraction: Extraction, db_url: str,
               pipeline_version: str, run_id: int | None) -> Diff:
    return Store(db_url, create=False).write_results(job, document, extraction.records,
                                                      list(extraction.rejected), pipeline_version, run_id,
                                                      extraction.sentences, extraction.misses)


@task(name="record-failure", retries=3, retry_delay_seconds=2, retry_condition_fn=_transient)
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
        extraction = extract_task(document)
        write_task(extraction, partial)
        summary.documents += 1
        summary.pages += document.page_count
        summary.records.update(r.kind for r in extraction.records)
        summary.rejected += len(extraction.rejected)
        _report(path, "done")
    os.replace(partial, out)
    return summary


@flow(name="briefex-process", validate_parameters=False, log_prints=False,
      task_runner=ThreadPoolTaskRunner(max_workers=1))
def process_flow(jobs: list[Registration], db_url: str, pipeline_version: str,
                 run_id: int | None = None) -> RunSummary:
    """Ingest -> extract -> store for registered document versions. A document that fails is
    recorded with its error and keeps its earlier records; the others go on."""
    summary = RunSummary()
    stage: dict = {}
    for job in jobs:
        stage[ingest_version_task.submit(job, db_url)] = ("ingest", job, None)
    while stage:
        future = next(iter(as_completed(list(stage))))
        step, job, document = stage.pop(future)
        try:
            value = future.result()
        except Exception as exc:
            reason = _one_line(job.name, exc)
            failure_task(job, db_url, pipeline_version, reason, run_id)
            summary.failed.append((job.name, reason))
            _report(job.name, "failed")
            continue
        if step == "ingest":
            stage[extract_task.submit(value)] = ("extract", job, value)
        elif step == "extract":
            summary.rejected += len(value.rejected)
            summary.records.update(r.kind for r in value.records)
            stage[store_task.submit(job, document, value, db_url, pipeline_version, run_id)] = ("store", job, document)
        else:
            summary.documents += 1
            summary.pages += document.page_count
            summary.diffs[job.name] = value
            _report(job.name, "done")
    return summary


