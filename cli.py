"""The briefex command line: each command parses, calls the library, and turns a user-facing
error into one clear line (the sqlite-utils habit). Heavy imports (spaCy, Prefect) happen
inside the commands that need them, so `briefex --help` and `briefex ingest` stay quick."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from briefex import __version__
from briefex.models.errors import BriefexError, Failure

err = Console(stderr=True)
out = Console()


def one_line(exc: BaseException) -> tuple[str | None, str]:
    """(what failed, why) of an error, for `briefex: what failed: why`. `what` is None when
    only the command can say it."""
    if isinstance(exc, Failure):
        return exc.what, exc.why
    if isinstance(exc, BriefexError):
        return None, exc.cause
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot use {exc.filename}", exc.strerror or type(exc).__name__
    if isinstance(exc, KeyboardInterrupt):
        return None, (str(exc) or "interrupted") + "; the document in flight was rolled back"
    first = (str(exc).strip().splitlines() or [""])[0]
    return None, f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class OneLineErrors(TyperGroup):
    """Every command's failure as one line on stderr and a non-zero exit, never a traceback:
    the one place where errors become messages (commands raise, they do not print)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort,
                typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:   # `briefex ... | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except (Exception, KeyboardInterrupt) as exc:
            what, why = one_line(exc)
            command = " ".join(filter(None, (ctx.info_name if ctx.parent else None, ctx.invoked_subcommand)))
            print(f"briefex: {what or (command + ' failed')}: {why}", file=sys.stderr)
            code = 128 + getattr(exc, "signum", 2) if isinstance(exc, KeyboardInterrupt) else 1
            raise typer.Exit(code) from None


app = typer.Typer(no_args_is_help=True, add_completion=False, cls=OneLineErrors)

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


def _store(ctx: typer.Context, must_exist: bool = False):
    """The command's store, closed (its WAL folded into the .db file) when the command ends.
    Reading commands pass `must_exist`: a mistyped path is an error, not a new empty store."""
    from sqlalchemy import make_url

    from briefex.output.store import Store, resolve_url, sqlite_path

    while ctx.parent is not None and not ctx.obj:
        ctx = ctx.parent
    url = resolve_url(ctx.obj.get("db") if ctx.obj else None)
    where = sqlite_path(url) or make_url(url).render_as_string(hide_password=True)
    try:
        store = Store(url, must_exist=must_exist)
    except Exception as exc:  # a wrong path or URL, an unreachable server
        raise Failure(f"cannot open the store {where}", one_line(exc)[1]) from exc
    ctx.call_on_close(store.close)
    if store.created:
        err.print(f"briefex: created a new store at {where}", highlight=False)
    return store


def _choice(option: str, value: str | None, valid) -> str | None:
    """An option value that must be one of a few words: an error listing them otherwise."""
    if value is not None and value not in valid:
        raise Failure(f"unknown {option} {value!r}", f"choose one of {', '.join(valid)}")
    return value


def _runner(dask_address: str | None, dask_local: int | None):
    if not (dask_address or dask_local):
        return None
    from briefex.pipeline.batch import check_scheduler, dask_runner

    if dask_address:
        check_scheduler(dask_address)   # a dead address fails in seconds, not after 30
    return dask_runner(dask_address, dask_local)


@contextlib.contextmanager
def _progress(total: int, label: str):
    """A Rich progress bar advanced by the flow's per-document reports, and within a document
    by the pages read and the pieces extracted (a 259-page PDF no longer sits at 0/1)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefex.pipeline.flows import progress_reporting

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err) as progress:
        bar = progress.add_task(label, total=max(1, total))
        finished = [0]   # documents done; the bar moves within a document by its pages

        def document_done(name: str, outcome: str) -> None:
            finished[0] += 1
            progress.update(bar, completed=finished[0], description=f"{outcome}: {Path(name).name}")

        def within(name: str, share: float, doing: str) -> None:
            progress.update(bar, completed=finished[0] + min(share, 0.99),
                            description=f"{Path(name).name}: {doing}")

        with progress_reporting(document_done, within):
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
    from briefex.pipeline.prefect_api import stopping_promptly

    if not plan.jobs:
        return run(store, plan, command_line, task_runner)   # nothing to draw, no Prefect to start
    # With Dask the model loads in the workers, not here.
    with stopping_promptly(), _flow_session(len(plan.jobs), preload_model=task_runner is None):
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
        raise Failure("reprocess", "choose one of --all, --changed and --doc")
    store = _store(ctx, must_exist=True)
    mode = "all" if all_documents else "doc" if doc else "changed"
    plan = plan_reprocess(store, mode, doc, force)
    if doc and not plan.jobs and not plan.skipped:
        raise Failure(f"reprocess --doc {doc}", "no stored document with that id")
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
           out_path: str = typer.Option(..., "--out", "-o", help="file to write; - for standard output")):
    """Export stored records as JSON Lines (the export contract) or CSV, each with its id,
    fingerprint and review status; --status accepted exports what reviewers accepted, edits applied."""
    from briefex.output.exporters import EXPORTERS, open_output
    from briefex.output.review import STATUSES, Review
    from briefex.output.store import StoreError

    _choice("--format", fmt, tuple(EXPORTERS))
    _choice("--kind", kind, ("actor", "event", "figure"))
    _choice("--status", status, STATUSES)
    store = _store(ctx, must_exist=True)
    if status:
        _export_reviewed(store, fmt, kind, document, status, out_path)
        return
    statuses = Review(store).statuses()
    refused = written = 0
    with open_output(out_path) as (fh, where):
        exporter = EXPORTERS[fmt](fh)
        for record_id, data in store.rows(kind=kind, document=document):
            try:
                record = store.load(record_id, data)
            except StoreError as exc:
                err.print(f"[red]refused[/red] {exc.cause}", highlight=False)
                refused += 1
                continue
            written += exporter.write([record], status=statuses.get(record_id, "pending"))
    err.print(f"{written} records written to {where}", highlight=False)
    raise typer.Exit(1 if refused else 0)


def _export_reviewed(store, fmt: str, kind, document, status: str, out_path: str) -> None:
    from briefex.output.exporters import EXPORTERS, open_output
    from briefex.output.review import Review

    wanted = {"accepted": ("accepted", "edited")}.get(status, (status,))
    items = [i for i in Review(store).items(document=document, kind=kind) if i.status in wanted]
    with open_output(out_path) as (fh, where):
        exporter = EXPORTERS[fmt](fh)
        for item in items:
            exporter.write([item.record], status=item.status)
    err.print(f"{len(items)} records written to {where}", highlight=False)


@app.command()
def watch(ctx: typer.Context,
          directory: Path = typer.Argument(..., help="folder to watch for new or changed files"),
          interval: int = typer.Option(60, "--interval", help="seconds between looks")):
    """Serve a Prefect deployment that adds new or changed files in DIRECTORY on an interval."""
    _prefect_environment()
    from briefex.pipeline.watch import serve

    if not directory.is_dir():
        raise Failure(f"cannot watch {directory}", "not a folder")
    url = _store(ctx).url    # made (or checked) here, so a mistyped --db fails now, not per look
    err.print(f"watching {directory.resolve()} every {interval} s; store: {url}")
    serve(directory.resolve(), url, interval, announce=lambda text: err.print(text, highlight=False))


@app.command()
def ingest(files: list[Path] = typer.Argument(..., help="PDF or text files"),
           as_json: bool = typer.Option(False, "--json", help="print text, pages and metadata as JSON")):
    """Print the clean text of each file (page breaks as form feeds with --json off)."""
    failed: list[Path] = []
    for document in _ingest_each(files, failed):
        if as_json:
            print(document.model_dump_json(indent=2))
        else:
            print(document.text)
    raise typer.Exit(1 if failed else 0)


def _ingest_each(files: list[Path], failed: list[Path]):
    """Each file's IngestedDocument, in order; a bad file gets its one line (`name: cause`) on
    stderr, joins `failed`, and the others go on."""
    from briefex.models import IngestError
    from briefex.sources import ingest as ingest_file

    for path in files:
        try:
            yield ingest_file(path)
        except IngestError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            failed.append(path)


DATE_FIELDS = ["start", "end", "text", "date", "date_end", "precision", "mod", "reason"]


@app.command()
def dates(files: list[Path] = typer.Argument(..., help="PDF or text files"),
          anchor: str | None = typer.Option(None, "--anchor", help="YYYY-MM-DD standing in for the "
                                            "publication date that relative dates count from"),
          as_json: bool = typer.Option(False, "--json", help="one JSON object per date expression")):
    """List every date expression with its value, precision, modifier and reason; offsets
    are characters into the text `briefex ingest` prints."""
    from briefex.models.validators import calendar_date
    from briefex.pipeline.nlp.dates import read_dates

    try:
        anchor = calendar_date(anchor) if anchor is not None else None
    except ValueError as exc:
        err.print(f"[red]error[/red] --anchor {exc}", highlight=False)
        raise typer.Exit(2) from None
    failed: list[Path] = []
    for document in _ingest_each(files, failed):
        published = anchor or document.publication_date
        rows = [{"start": m.start, "end": m.end, "text": m.text, "date": m.value, "date_end": m.value_end,
                 "precision": m.precision_name, "mod": m.mod, "reason": m.reason}
                for m in read_dates(document.text, published)]
        if as_json:
            for row in rows:
                print(json.dumps({"document": document.name, **row}, ensure_ascii=False))
            continue
        table = Table(title=f"{document.name}: {len(rows)} date expressions, anchor "
                      f"{published or 'none (no publication date stated)'}")
        for name in DATE_FIELDS:   # values fold onto more lines, never cut
            table.add_column(name, overflow="fold", no_wrap=name in ("date", "precision"))
        for row in rows:
            table.add_row(*("" if row[f] is None else str(row[f]) for f in DATE_FIELDS))
        out.print(table)
    raise typer.Exit(1 if failed else 0)


@app.command()
def extract(paths: list[Path] = typer.Argument(..., help="files or folders of PDF and text files"),
            out_path: str = typer.Option("records.jsonl", "--out", "-o",
                                         help="JSONL to write; - for standard output")):
    """Run the Prefect flow (ingest -> extract -> write) and write records as JSON Lines."""
    import shutil
    import tempfile

    _prefect_environment()
    from briefex.output.exporters import check_output
    from briefex.pipeline.flows import extract_flow
    from briefex.pipeline.prefect_api import stopping_promptly
    from briefex.sources import discover

    files = [str(p) for p in discover(paths)]
    if not files:
        raise Failure("extract", "no PDF or text files found in the paths given")
    target = check_output(out_path)     # a bad --out fails now, not after the last document
    if target is not None and not os.access(target.parent, os.W_OK):
        raise Failure(f"cannot write {target}", f"no permission to write in {target.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        written = target or Path(tmp) / "records.jsonl"
        with stopping_promptly(), _flow_session(len(files)):
            summary = extract_flow(files, str(written))
        if target is None:
            with open(written, encoding="utf-8") as fh:
                shutil.copyfileobj(fh, sys.stdout)
    where = str(target) if target else "standard output"
    _summary_table(summary, "briefex extract")
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)
    (err if out_path == "-" else out).print(f"records written to {where}", highlight=False)
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
        raise Failure(f"cannot read gold files in {gold}", "not a folder")
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
                                                         help="name kept on every decision "
                                                              "(default: your OS user name)"),
                  token: str | None = typer.Option(None, "--token", envvar="BRIEFEX_REVIEW_TOKEN",
                                                   help="secret every request must carry; needed off "
                                                        "loopback (one is generated and printed if absent)")):
    """Serve the review web page: accept, reject, edit and add records against their evidence."""
    import uvicorn

    from briefex.output.web.app import create_app
    from briefex.output.web.security import bind, is_loopback, new_token

    store = _store(ctx, must_exist=True)
    if token is not None and not token.strip():
        raise Failure("cannot serve the review page", "--token is empty")
    generated = token is None and not is_loopback(host)
    token = new_token() if generated else token
    sock = bind(host, port)          # before the URL is printed: a taken port fails here
    shown = f"[{host}]" if ":" in host else host
    app_ = create_app(store.url, reviewer or _os_user(), hosts=[f"{shown}:{port}"], token=token)
    query = f"?token={token}" if token else ""
    out.print(f"briefex review: http://{shown}:{port}/{query}", highlight=False, soft_wrap=True)
    if generated:
        out.print("a token was generated (choose one with --token); share the address above only with "
                  f"reviewers, or send Authorization: Bearer {token}", highlight=False, soft_wrap=True)
    uvicorn.Server(uvicorn.Config(app_, log_level="warning")).run(sockets=[sock])


@app.command()
def stats(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="print the numbers as JSON")):
    """Precision and recall estimated from the reviews: per kind, event type and extractor the
    share of reviewed records accepted; from the misses queue and added records, what was missed."""
    from briefex.output.quality import quality

    report = quality(_review(ctx))
    if as_json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title="precision estimate (accepted / reviewed)")
    for column in ("by", "value", "accepted", "reviewed", "precision"):
        table.add_column(column)
    for row in report["precision"]:
        table.add_row(row["by"], str(row["value"]), str(row["accepted"]), str(row["reviewed"]),
                      f"{row['precision']:.0%}")
    out.print(table)
    recall, misses = report["recall"], report["misses"]
    estimate = "n/a" if recall["estimate"] is None else f"{recall['estimate']:.0%}"
    out.print(f"recall estimate {estimate}: {recall['found']} records found and accepted, {recall['added']} added "
              f"by reviewers; misses {misses['total']}: {misses['open']} open, {misses['dismissed']} dismissed, "
              f"{misses['converted']} held a missed record", highlight=False)


records_app = typer.Typer(help="List, show and decide records from scripts.", no_args_is_help=True)
app.add_typer(records_app, name="records")
REVIEWER = typer.Option(None, "--reviewer", envvar="BRIEFEX_REVIEWER",
                        help="name kept on the decision (default: your OS user name)")


def _os_user() -> str:
    """The reviewer's name when none is given: the OS user name (empty when it cannot be found)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _review(ctx: typer.Context):
    from briefex.output.review import Review

    return Review(_store(ctx, must_exist=True))


@records_app.command("list")
def records_list(ctx: typer.Context, status: str | None = typer.Option(None, "--status"),
                 kind: str | None = typer.Option(None, "--kind"),
                 document: str | None = typer.Option(None, "--document"),
                 as_json: bool = typer.Option(False, "--json", help="one JSON object per line")):
    """List records with their status (pending, accepted, rejected, edited, orphaned)."""
    from briefex.output.review import STATUSES
    from briefex.output.store import describe

    _choice("--status", status, STATUSES)
    _choice("--kind", kind, ("actor", "event", "figure"))
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
    review = _review(ctx)
    item = review.item(record_id)
    print(json.dumps({"id": item.id, "status": item.status, "version": item.version, "flagged": item.flagged,
                      "flag_reason": item.flag_reason, "reviewer": item.reviewer, "decided_at": item.decided_at,
                      "record": item.record.model_dump(mode="json"),
                      "history": [{"at": h.at, "reviewer": h.reviewer, "action": h.action, "note": h.note}
                                  for h in review.history(record_id)]}, indent=2))


def _decide(ctx: typer.Context, record_id: str, reviewer: str | None, act) -> None:
    review = _review(ctx)
    item = act(review, review.item(record_id), reviewer or _os_user())
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
    from briefex.models.validators import check_edit
    from briefex.output.review import EDITABLE, field_value

    values = {}
    for change in changes:
        name, equals, value = change.partition("=")
        if not equals:
            raise Failure(f"bad --set {change!r}", "expected field=value")
        values[name.strip()] = field_value(name.strip(), value)

    def edit(review, item, who):
        check_edit(item.kind, values, EDITABLE)   # unknown fields, impossible dates: refused
        return review.edit(item.id, values, who, item.version)
    _decide(ctx, record_id, reviewer, edit)


@app.command()
def backup(ctx: typer.Context, path: Path = typer.Argument(..., help="the new file to copy the store to")):
    """Copy a SQLite store to PATH with SQLite's online backup: a consistent copy, even while
    other commands write."""
    store = _store(ctx, must_exist=True)
    target = store.backup(path)
    print(f"store copied to {target}")


quarantine_app = typer.Typer(help="Records that failed validation, with the reason.", no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(ctx: typer.Context, document: str | None = typer.Option(None, "--document"),
                    kind: str | None = typer.Option(None, "--kind"),
                    as_json: bool = typer.Option(False, "--json", help="one JSON object per line")):
    """List quarantined records: number, document, kind and the reason they were refused."""
    _choice("--kind", kind, ("actor", "event", "figure", "unknown"))
    rows = [row for row in _store(ctx, must_exist=True).quarantined(document) if not kind or row["kind"] == kind]
    if not rows:
        err.print("briefex: no quarantined records" + (" of that kind" if kind else ""), highlight=False)
    for row in rows:
        if as_json:
            print(json.dumps({k: row[k] for k in ("id", "document", "kind", "reason", "evidence")}))
        else:
            print(f"{row['id']:>5}  {row['kind']:<7} {row['document']}  {row['reason']}")


@quarantine_app.command("show")
def quarantine_show(ctx: typer.Context, number: int = typer.Argument(..., help="the number `list` shows")):
    """Print one quarantined record as JSON: reason, kind, evidence and the refused data."""
    (row,) = _store(ctx, must_exist=True).quarantined(record=number)   # an unknown number raises
    print(json.dumps(row, indent=2, default=str))


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
