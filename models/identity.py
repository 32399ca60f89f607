"""Stable record ids, derived from what a record says and where: the document's content hash,
the kind, the normalised value or date, and the evidence span. The same record found again by
a later run keeps its id, whatever order documents or records were processed in."""
from __future__ import annotations

import hashlib

from .records import Actor, Event, Figure


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def normalised_key(record: Actor | Event | Figure) -> str:
    if isinstance(record, Actor):
        return record.name.casefold()
    if isinstance(record, Event):
        return f"{record.date or 'unresolved'}|{record.date_end or ''}"
    return f"{_number(record.value)}|{_number(record.value_max)}|{record.unit.casefold()}"


def record_id(record: Actor | Event | Figure) -> str:
    """16 hex characters; a record of another document, kind, value or span differs."""
    evidence = record.evidence
    span = (evidence.span_start, evidence.span_end) if evidence.span_start is not None else (
        evidence.start, evidence.end)
    if isinstance(record, Actor):
        span = ("document",)  # one actor record per canonical name and document version
    key = "\x1f".join([record.document_sha256 or record.document, record.kind, normalised_key(record),
                       *map(str, span)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
