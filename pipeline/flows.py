"""The Prefect layer: thin tasks around the plain stage functions, and the flow that wires them.

No logic lives here. Tasks pass paths and pydantic records, never spaCy Docs or pdfplumber
objects, and each stage validates what it receives (Prefect may rebuild models unvalidated).
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from prefect import flow, task

from briefex.models import BriefexError, IngestedDocument, IngestError
from briefex.output.exporters import JsonlExporter
from briefex.sources import ingest

from .extract import Extraction, extract

ProgressHook = Callable[[str, str], None]   # (path, outcome)
_progress_hooks: list[ProgressHook] = []


@dataclass
class RunSummary:
    documents: int = 0
    pages: int = 0
    records: Counter = field(default_factory=Counter)
    rejected: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)   # (path, one-line reason)


def add_progress_hook(hook: ProgressHook) -> None:
    """Let the CLI draw a progress bar without passing a callable as a flow parameter."""
    _progress_hooks.append(hook)


def _report(path: str, outcome: str) -> None:
    for hook in _progress_hooks:
        hook(path, outcome)


def _transient(task, task_run, state) -> bool:
    """Retry only what may pass on a second try (I/O hiccups), never a bad input file."""
    try:
        state.result()
    except BriefexError:
        return False
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(name="ingest", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)
def ingest_task(path: str) -> IngestedDocument:
    return ingest(path)


@task(name="extract")
def extract_task(document: IngestedDocument) -> Extraction:
    return extract(IngestedDocument.model_validate(document.model_dump()))


@task(name="write", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient)
def write_task(extraction: Extraction, out: str) -> int:
    with open(out, "a", encoding="utf-8") as fh:
        return JsonlExporter(fh).write(extraction.records)


@flow(name="briefex-extract", validate_parameters=False, log_prints=False)
def extract_flow(paths: list[str], out: str) -> RunSummary:
    """Ingest -> extract -> write over a list of files; a bad file is reported, the rest go on.

    Records go to a temporary file renamed over `out` at the end, so an interrupted run never
    leaves a half-written export in place of a good one.
    """
    summary = RunSummary()
    partial = f"{out}.tmp"
    Path(partial).write_text("", encoding="utf-8")
    for path in paths:
        try:
            document = ingest_task(path)
        except IngestError as exc:
            summary.failed.append((path, str(exc)))
            _report(path, "failed")
            continue
        except Exception as exc:  # an unexpected reader failure: name it, go on with the batch
            summary.failed.append((path, f"{Path(path).name}: {type(exc).__name__}: {exc}"))
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
