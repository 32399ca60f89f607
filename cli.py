"""The briefex command line: each command parses, calls the library, and turns a user-facing
error into one clear line (the sqlite-utils habit). Heavy imports (spaCy, Prefect) happen
inside the commands that need them, so `briefex --help` and `briefex ingest` stay quick."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from briefex import __version__

app = typer.Typer(no_args_is_help=True, add_completion=False)
err = Console(stderr=True)
out = Console()

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",           # no telemetry: the network is closed
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",                     # the progress bar tells the story
    # A bad file gets one line from briefex, not Prefect's traceback on the console; the
    # Prefect UI still has the whole log.
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
}


def _prefect_environment() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@app.callback()
def main_options(ctx: typer.Context,
                 db: str | None = typer.Option(None, "--db", envvar="BRIEFEX_DB",
                                                  help="store: a SQLite path or a SQLAlchemy URL "
                                                       "(postgresql://user@host/db); default ./briefex.db")):
    """Dated events, actors and figures from briefing papers, each traceable to its sentence."""
    ctx.obj = {"db": db}


def _store(ctx: typer.Context):
    from briefex.output.store import Store

    try:
        return Store(ctx.obj.get("db") if ctx.obj else None)
    except Exception as exc:  # a wrong URL or an unreachable server: one line, no traceback
        err.print(f"[red]error[/red] cannot open the store: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        raise typer.Exit(2) from exc


def _runner(dask_address: str | None, dask_local: int | None):
    if not (dask_address or dask_local):
        return None
    from briefex.pipeline.batch import dask_runner

    return dask_runner(dask_address, dask_local)


@contextlib.contextmanager
def _progress(total: int, label: str):
    """A Rich progress bar advanced by the flow's per-document reports."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefex.pipeline.flows import progress_reporting

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err) as progress:
        bar = progress.add_task(label, total=max(1, total))
        with progress_reporting(lambda name, outcome: progress.update(
                bar, advance=1, description=f"{outcome}: {Path(name).name}")):
            yield
        progress.update(bar, completed=max(1, total), description="done")


@contextlib.contextmanager
def _flow_session(total: int, preload_model: bool = True):
    """What a flow-running command needs, overlapped: the Prefect API (a local server boots in
    its own process when none is configured), the model loading meanwhile, a progress bar."""
    import threading

    from briefex.pipeline.prefect_api import prefect_api

    with prefect_api() as api:   # first: importing spaCy before it would delay the server's start
        if preload_model:
            from briefex.pipeline.nlp import load_nlp

            threading.Thread(target=load_nlp, daemon=True).start()
        with _progress(total, "starting Prefect..."):
            api.wait_ready()
            yield


def _run_with_progress(store, plan, command_line: str, task_runner):
    from briefex.pipeline.batch import run

    if not plan.jobs:
        return run(store, plan, command_line, task_runner)   # nothing to draw, no Prefect to start
    # With Dask the model loads in the workers, not here.
    with _flow_session(len(plan.jobs), preload_model=task_runner is None):
        return run(store, plan, command_line, task_runner)


def _summary_table(summary, title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("documents processed", str(summary.documents))
    table.add_row("pages", str(summary.pages))
    for kind in ("actor", "event", "figure"):
        table.add_row(f"{kind} records", str(summary.records.get(kind, 0)))
    table.add_row("quarantined (failed validation)", str(summary.rejected))
    table.add_row("skipped (unchanged)", str(len(summary.skipped)))
    table.add_row("failed", str(len(summary.failed)))
    err.print(table)


def _print_batch_summary(summary, store, title: str, show_diff: bool) -> None:
    _summary_table(summary, title)
    if summary.diffs:
        changes = Table(title="changes against the previous run (added / removed / kept)")
        changes.add_column("document")
        for kind in ("actor", "event", "figure"):
            changes.add_column(kind, justify="right")
        for name, diff in summary.diffs.items():
            counts = diff.counts()
            changes.add_row(name, *(f"+{a} -{r} ={k}" for a, r, k in (counts[x] for x in ("actor", "event", "figure"))))
        err.print(changes)
    if show_diff:
        for name, diff in summary.diffs.items():
            for kind, kind_diff in diff.kinds.items():
                for line in kind_diff.added:
                    out.print(f"+ {name} {kind} {line}", highlight=False)
                for line in kind_diff.removed:
                    out.print(f"- {name} {kind} {line}", highlight=False)
    for name in summary.skipped:
        err.print(f"[dim]skipped[/dim] {name}: unchanged content and pipeline version", highlight=False)
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)
    out.print(f"store: {store.url}", highlight=False)


DASK_ADDRESS = typer.Option(None, "--dask-address", help="run tasks on a Dask cluster at tcp://HOST:PORT")
DASK_LOCAL = typer.Option(None, "--dask-local", help="run tasks on a local Dask cluster of N worker processes")


@app.command()
def add(ctx: typer.Context,
        paths: list[Path] = typer.Argument(..., help="files or folders of PDF and text files"),
        force: bool = typer.Option(False, "--force", help="process even documents already stored"),
        diff: bool = typer.Option(False, "--diff", help="list records added and removed"),
        dask_address: str | None = DASK_ADDRESS, dask_local: int | None = DASK_LOCAL):
    """Register documents by content hash, run the flow and store their records."""
    _prefect_environment()
    from briefex.pipeline.batch import plan_add

    store = _store(ctx)
    plan = plan_add(store, paths, force=force)
    summary = _run_with_progress(store, plan, "add " + " ".join(map(str, paths)), _runner(dask_address, dask_local))
    _print_batch_summary(summary, store, "briefex add", diff)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def reprocess(ctx: typer.Context,
              all_documents: bool = typer.Option(False, "--all", help="every stored document"),
              changed: bool = typer.Option(False, "--changed", help="documents whose file or pipeline version changed (default)"),
              doc: str | None = typer.Option(None, "--doc", help="one document id"),
              force: bool = typer.Option(False, "--force", help="re-run even unchanged documents"),
              diff: bool = typer.Option(False, "--diff", help="list records added and removed"),
              dask_address: str | None = DASK_ADDRESS, dask_local: int | None = DASK_LOCAL):
    """Re-run the flow over stored documents; unchanged ones are skipped unless --force."""
    _prefect_environment()
    from briefex.pipeline.batch import plan_reprocess

    if sum(bool(x) for x in (all_documents, changed, doc)) > 1:
        err.print("[red]error[/red] choose one of --all, --changed and --doc")
        raise typer.Exit(2)
    store = _store(ctx)
    mode = "all" if all_documents else "doc" if doc else "changed"
    plan = plan_reprocess(store, mode, doc, force)
    if doc and not plan.jobs and not plan.skipped:
        err.print(f"[red]error[/red] no stored document with id {doc}")
        raise typer.Exit(2)
    summary = _run_with_progress(store, plan, f"reprocess --{mode}" + (" --force" if force else ""),
                                 _runner(dask_address, dask_local))
    _print_batch_summary(summary, store, "briefex reprocess", diff)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def export(ctx: typer.Context,
           fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv"),
           kind: str | None = typer.Option(None, "--kind", help="actor, event or figure"),
           document: str | None = typer.Option(None, "--document", help="a document id or file name"),
           status: str | None = typer.Option(None, "--status", help="pending, accepted (with edits), "
                                                "rejected, edited or orphaned"),
           out_path: Path = typer.Option(..., "--out", "-o", help="file to write")):
    """Export stored records as JSON Lines (the export contract) or CSV, each with its id,
    fingerprint and review status; --status accepted exports what reviewers accepted, edits applied."""
    from briefex.output.exporters import EXPORTERS
    from briefex.output.store import StoreError

    if fmt not in EXPORTERS:
        err.print(f"[red]error[/red] unknown format {fmt!r}; choose jsonl or csv")
        raise typer.Exit(2)
    if kind and kind not in ("actor", "event", "figure"):
        err.print(f"[red]error[/red] unknown kind {kind!r}; choose actor, event or figure")
        raise typer.Exit(2)
    store = _store(ctx)
    if status:
        _export_reviewed(store, fmt, kind, document, status, out_path)
        return
    from briefex.output.review import Review

    statuses = Review(store).statuses()
    refused = written = 0
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        exporter = EXPORTERS[fmt](fh)
        for record_id, data in store.rows(kind=kind, document=document):
            try:
                record = store.load(record_id, data)
            except StoreError as exc:
                err.print(f"[red]refused[/red] {exc.cause}", highlight=False)
                refused += 1
                continue
            written += exporter.write([record], status=statuses.get(record_id, "pending"))
    out.print(f"{written} records written to {out_path.resolve()}", highlight=False)
    raise typer.Exit(1 if refused else 0)


def _export_reviewed(store, fmt: str, kind, document, status: str, out_path: Path) -> None:
    from briefex.output.exporters import EXPORTERS
    from briefex.output.review import STATUSES, Review

    if status not in STATUSES:
        err.print(f"[red]error[/red] unknown status {status!r}; choose one of {', '.join(STATUSES)}")
        raise typer.Exit(2)
    wanted = {"accepted": ("accepted", "edited")}.get(status, (status,))
    items = [i for i in Review(store).items(document=document, kind=kind) if i.status in wanted]
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        exporter = EXPORTERS[fmt](fh)
        for item in items:
            exporter.write([item.record], status=item.status)
    out.print(f"{len(items)} records written to {out_path.resolve()}", highlight=False)


@app.command()
def watch(ctx: typer.Context,
          directory: Path = typer.Argument(..., help="folder to watch for new or changed files"),
          interval: int = typer.Option(60, "--interval", help="seconds between looks")):
    """Serve a Prefect deployment that adds new or changed files in DIRECTORY on an interval."""
    _prefect_environment()
    from briefex.output.store import resolve_url
    from briefex.pipeline.watch import serve

    if not directory.is_dir():
        err.print(f"[red]error[/red] {directory}: not a folder")
        raise typer.Exit(2)
    url = resolve_url(ctx.obj.get("db") if ctx.obj else None)
    err.print(f"watching {directory.resolve()} every {interval} s; store: {url}")
    serve(directory.resolve(), url, interval, announce=lambda text: err.print(text, highlight=False))


@app.command()
def ingest(files: list[Path] = typer.Argument(..., help="PDF or text files"),
           as_json: bool = typer.Option(False, "--json", help="print text, pages and metadata as JSON")):
    """Print the clean text of each file (page breaks as form feeds with --json off)."""
    from briefex.models import IngestError
    from briefex.sources import ingest as ingest_file

    failed = 0
    for path in files:
        try:
            document = ingest_file(path)
        except IngestError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            failed += 1
            continue
        if as_json:
            print(document.model_dump_json(indent=2))
        else:
            print(document.text)
    raise typer.Exit(1 if failed else 0)


@app.command()
def extract(paths: list[Path] = typer.Argument(..., help="files or folders of PDF and text files"),
            out_path: Path = typer.Option(Path("records.jsonl"), "--out", "-o", help="JSONL to write")):
    """Run the Prefect flow (ingest -> extract -> write) and write records as JSON Lines."""
    _prefect_environment()
    from briefex.pipeline.flows import extract_flow
    from briefex.sources import discover

    files = [str(p) for p in discover(paths)]
    if not files:
        err.print("[red]error[/red] no PDF or text files found in the paths given")
        raise typer.Exit(2)
    with _flow_session(len(files)):
        summary = extract_flow(files, str(out_path))
    _summary_table(summary, "briefex extract")
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)
    out.print(f"records written to {out_path.resolve()}", highlight=False)
    raise typer.Exit(1 if summary.failed else 0)


def _documents_table(report) -> Table:
    """One row per document, so a regression on one paper shows beside the totals."""
    table = Table(title="per document")
    for column in ("document", "actors F1", "events F1", "events R", "figures F1", "types", "macro F1"):
        table.add_column(column, justify="right" if column != "document" else "left")
    for name, doc in report.documents.items():
        kinds = doc.kinds
        types = f"{doc.type_accuracy:.2f}" if doc.type_accuracy is not None else "-"
        table.add_row(name, f"{kinds['actor'].f1:.2f}", f"{kinds['event'].f1:.2f}", f"{kinds['event'].recall:.2f}",
                      f"{kinds['figure'].f1:.2f}", types, f"{doc.macro_f1:.2f}")
    return table


@app.command()
def evaluate(paths: list[Path] = typer.Argument(..., help="files or folders to extract and score"),
             gold: Path = typer.Option(..., "--gold", help="folder of gold JSON files, one per document")):
    """Extract records from FILES and report precision, recall and F1 per kind against gold."""
    import tempfile

    from briefex.pipeline.evaluate import evaluate as score

    if not gold.is_dir():
        err.print(f"[red]error[/red] {gold}: not a folder of gold files")
        raise typer.Exit(2)
    _prefect_environment()
    from briefex.pipeline.flows import extract_flow
    from briefex.sources import discover

    files = [str(p) for p in discover(paths)]
    with tempfile.TemporaryDirectory() as tmp, _flow_session(len(files)):
        out_path = Path(tmp) / "records.jsonl"
        summary = extract_flow(files, str(out_path))
        records = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    report, missing = score(records, gold)
    out.print(_documents_table(report))
    table = Table(title=f"briefex evaluate against {gold}")
    for column in ("kind", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind, s in report.kinds.items():
        table.add_row(kind, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    out.print(table)
    if report.matched_events:
        out.print(f"event dates exact: {report.event_dates_exact / report.matched_events:.3f}   "
                  f"event types right: {report.type_accuracy:.3f}")
    out.print(f"macro F1: {report.macro_f1:.3f}")
    for stem in missing:
        err.print(f"[yellow]no predictions[/yellow] for gold file {stem}.json", highlight=False)
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)


@app.command("review")
def review_server(ctx: typer.Context,
                  host: str = typer.Option("127.0.0.1", "--host", help="address to bind (local only by default)"),
                  port: int = typer.Option(8765, "--port"),
                  reviewer: str | None = typer.Option(None, "--reviewer", envvar="BRIEFEX_REVIEWER",
                                                         help="name kept on every decision")):
    """Serve the review web page: accept, reject, edit and add records against their evidence."""
    import uvicorn

    from briefex.output.web.app import create_app

    app_ = create_app(ctx.obj.get("db") if ctx.obj else None, reviewer)
    out.print(f"briefex review: http://{host}:{port}/", highlight=False)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


records_app = typer.Typer(help="List, show and decide records from scripts.", no_args_is_help=True)
app.add_typer(records_app, name="records")
REVIEWER = typer.Option(None, "--reviewer", envvar="BRIEFEX_REVIEWER", help="name kept on the decision")


def _review(ctx: typer.Context):
    from briefex.output.review import Review

    return Review(_store(ctx.parent if ctx.parent and ctx.parent.obj else ctx))


@records_app.command("list")
def records_list(ctx: typer.Context, status: str | None = typer.Option(None, "--status"),
                 kind: str | None = typer.Option(None, "--kind"),
                 document: str | None = typer.Option(None, "--document"),
                 as_json: bool = typer.Option(False, "--json", help="one JSON object per line")):
    """List records with their status (pending, accepted, rejected, edited, orphaned)."""
    from briefex.output.store import describe

    for item in _review(ctx).items(document=document, kind=kind, status=status):
        if as_json:
            print(json.dumps({"id": item.id, "status": item.status, "kind": item.kind, "document": item.document,
                              "flagged": item.flagged, "version": item.version, "summary": describe(item.record)}))
        else:
            flag = " ⚑" if item.flagged else ""
            print(f"{item.id}  {item.status:<9} {item.kind:<7} {item.document}  {describe(item.record)}{flag}")


@records_app.command("show")
def records_show(ctx: typer.Context, record_id: str):
    """Print one record with its review state and history as JSON."""
    from briefex.output.review import ReviewError

    review = _review(ctx)
    try:
        item = review.item(record_id)
    except ReviewError as exc:
        err.print(f"[red]error[/red] {exc.cause}")
        raise typer.Exit(2) from exc
    print(json.dumps({"id": item.id, "status": item.status, "version": item.version, "flagged": item.flagged,
                      "flag_reason": item.flag_reason, "reviewer": item.reviewer, "decided_at": item.decided_at,
                      "record": item.record.model_dump(mode="json"),
                      "history": [{"at": h.at, "reviewer": h.reviewer, "action": h.action, "note": h.note}
                                  for h in review.history(record_id)]}, indent=2))


def _decide(ctx: typer.Context, record_id: str, reviewer: str | None, act) -> None:
    from briefex.output.review import ReviewError

    review = _review(ctx)
    try:
        item = act(review, review.item(record_id), reviewer or "")
    except ReviewError as exc:
        err.print(f"[red]error[/red] {exc.cause}", highlight=False)
        raise typer.Exit(2) from exc
    print(f"{item.id} {item.status}")


@records_app.command("accept")
def records_accept(ctx: typer.Context, record_id: str, reviewer: str | None = REVIEWER):
    """Accept a record."""
    _decide(ctx, record_id, reviewer, lambda r, item, who: r.decide(item.id, "accept", who, item.version))


@records_app.command("reject")
def records_reject(ctx: typer.Context, record_id: str, reviewer: str | None = REVIEWER):
    """Reject a record."""
    _decide(ctx, record_id, reviewer, lambda r, item, who: r.decide(item.id, "reject", who, item.version))


@records_app.command("edit")
def records_edit(ctx: typer.Context, record_id: str,
                 changes: list[str] = typer.Option(..., "--set", help="field=value; actors take a; separated list"),
                 reviewer: str | None = REVIEWER):
    """Edit fields of a record; the result must validate."""
    from briefex.output.review import field_value

    values = {}
    for change in changes:
        name, _, value = change.partition("=")
        values[name.strip()] = field_value(name.strip(), value)
    _decide(ctx, record_id, reviewer, lambda r, item, who: r.edit(item.id, values, who, item.version))


@app.command()
def schema():
    """Print the JSON Schema of the exported records."""
    from pydantic import TypeAdapter

    from briefex.models import Record

    print(json.dumps(TypeAdapter(Record).json_schema(), indent=2))


@app.command()
def version():
    """Print the briefex version and the pipeline version (code, gazetteer and model)."""
    from briefex.pipeline.version import pipeline_version

    print(f"briefex {__version__}, pipeline {pipeline_version()}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
