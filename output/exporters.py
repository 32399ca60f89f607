"""Exporters: small classes that write records to a file object they are given.

Columns come from the pydantic models, so a CSV header never drifts from the records.
"""
from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from briefex.models import Actor, Event, Figure

KINDS = {"actor": Actor, "event": Event, "figure": Figure}


def export_row(record: BaseModel, status: str | None = None) -> dict:
    """The export contract: kind, document, evidence {text, start, end, ...} and the kind's
    fields, plus the record's fingerprint (its id) and review status."""
    row = record.model_dump(mode="json")
    row["fingerprint"] = row.get("id")
    if status is not None:
        row["status"] = status
    return row


class JsonlExporter:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh

    def write(self, records: Iterable[BaseModel], status: str | None = None) -> int:
        n = 0
        for record in records:
            self.fh.write(json.dumps(export_row(record, status), ensure_ascii=False) + "\n")
            n += 1
        return n


class CsvExporter:
    """One flat CSV: the union of every kind's fields, evidence flattened to evidence_* columns."""

    def __init__(self, fh: IO[str]) -> None:
        self.columns = self._columns()
        self.writer = csv.DictWriter(fh, fieldnames=self.columns, extrasaction="ignore")
        self.writer.writeheader()

    @staticmethod
    def _columns() -> list[str]:
        columns: list[str] = []
        for model in KINDS.values():
            for name in model.model_fields:
                if name == "evidence":
                    continue
                if name not in columns:
                    columns.append(name)
        return columns + ["fingerprint", "status"] + [f"evidence_{f}" for f in
                          ("text", "start", "end", "page", "sentence", "span_start", "span_end")]

    def write(self, records: Iterable[BaseModel], status: str | None = None) -> int:
        n = 0
        for record in records:
            row = export_row(record, status)
            for key, value in row.pop("evidence").items():
                row[f"evidence_{key}"] = value
            row = {k: "; ".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in v)
                   if isinstance(v, list) else v for k, v in row.items()}   # an actor's mentions: JSON each
            self.writer.writerow(row)
            n += 1
        return n


EXPORTERS = {"jsonl": JsonlExporter, "csv": CsvExporter}


def check_output(target: str | Path) -> Path | None:
    """The file an export may write (None: `-`, standard output). A path that cannot be a
    file (a folder, in a missing folder) is a Failure naming it, raised before any work."""
    from briefex.models.errors import Failure

    if str(target) == "-":
        return None
    path = Path(target).expanduser().resolve()
    if path.is_dir():
        raise Failure(f"cannot write {path}", "it is a folder")
    if not path.parent.is_dir():
        raise Failure(f"cannot write {path}", f"the folder {path.parent} does not exist")
    return path


@contextlib.contextmanager
def open_output(target: str | Path) -> Iterator[tuple[IO[str], str]]:
    """(file, its name for messages) to export into; `-` is standard output."""
    from briefex.models.errors import Failure

    path = check_output(target)
    if path is None:
        yield sys.stdout, "standard output"
        sys.stdout.flush()
        return
    try:
        fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise Failure(f"cannot write {path}", exc.strerror or type(exc).__name__) from None
    with fh:
        yield fh, str(path)
