"""What a batch run did, for the summary table: plain data, importable without Prefect."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from briefex.output.store import Diff


@dataclass
class RunSummary:
    documents: int = 0
    pages: int = 0
    records: Counter = field(default_factory=Counter)
    rejected: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (path or name, one-line reason)
    diffs: dict[str, Diff] = field(default_factory=dict)          # document name -> what changed
