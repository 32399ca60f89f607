"""The briefex command line: each command parses, calls the library, and turns a user-facing
error into one clear line (the sqlite-utils habit). Heavy imports (spaCy, Prefect) happen
inside the commands that need them, so `briefex --help` and `briefex ingest` stay quick."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List

import typer
from rich.console import Console
from rich.table import Table

from briefex import __version__

app = typer.Typer(help="Dated events, actors and figures from briefing papers, each traceable "
                       "to its sentence.", no_args_is_help=True, add_completion=False)
err = Console(stderr=True)
out = Console()

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",           # no telemetry: the network is closed
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",                     # the progress bar tells the story
}


def _prefect_environment() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@app.command()
def ingest(files: List[Path] = typer.Argument(..., help="PDF or text files"),
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
def extract(paths: List[Path] = typer.Argument(..., help="files or folders of PDF and text files"),
            out_path: Path = typer.Option(Path("records.jsonl"), "--out", "-o", help="JSONL to write")):
    """Run the Prefect flow (ingest -> extract -> write) and write records as JSON Lines."""
    _prefect_environment()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefex.pipeline.flows import add_progress_hook, extract_flow
    from briefex.sources import discover

    files = [str(p) for p in discover(paths)]
    if not files:
        err.print("[red]error[/red] no PDF or text files found in the paths given")
        raise typer.Exit(2)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        bar = progress.add_task("starting Prefect...", total=len(files))
        add_progress_hook(lambda path, outcome: progress.update(
            bar, advance=1, description=f"{outcome}: {Path(path).name}"))
        summary = extract_flow(files, str(out_path))
        progress.update(bar, description="done")
    _print_summary(summary, out_path)
    raise typer.Exit(1 if summary.failed else 0)


def _print_summary(summary, out_path: Path) -> None:
    table = Table(title="briefex extract", show_header=False)
    table.add_row("documents", str(summary.documents))
    table.add_row("pages", str(summary.pages))
    for kind in ("actor", "event", "figure"):
        table.add_row(f"{kind} records", str(summary.records.get(kind, 0)))
    table.add_row("rejected by validation", str(summary.rejected))
    table.add_row("failed files", str(len(summary.failed)))
    err.print(table)
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)
    out.print(f"records written to {out_path.resolve()}", highlight=False)


@app.command()
def evaluate(paths: List[Path] = typer.Argument(..., help="files or folders to extract and score"),
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

    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "records.jsonl"
        summary = extract_flow([str(p) for p in discover(paths)], str(out_path))
        records = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    report, missing = score(records, gold)
    table = Table(title=f"briefex evaluate against {gold}")
    for column in ("kind", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind, s in report.kinds.items():
        table.add_row(kind, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    out.print(table)
    if report.matched_events:
        out.print(f"event dates exact: {report.event_dates_exact / report.matched_events:.3f}   "
                  f"event types right: {report.event_types_right / report.matched_events:.3f}")
    for stem in missing:
        err.print(f"[yellow]no predictions[/yellow] for gold file {stem}.json", highlight=False)
    for _, reason in summary.failed:
        err.print(f"[red]failed[/red] {reason}", highlight=False)


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
