"""What a batch run did, for the summary table: plain data, importable without Prefect."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from briefex.output.store import Diff


@dataclass
class Processed:
    """One stored document, as the store task reports it: counts only, never the records."""
    diff: Diff
    pages: int
    records: Counter
    rejected: int


@dataclass
class RunSummary:
    documents: int = 0
    pages: int = 0
    records: Counter = field(default_factory=Counter)
    rejected: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (path or name, one-line reason)
    diffs: dict[str, Diff] = field(default_factory=dict)          # document name -> what changed

    def add(self, name: str, processed: Processed) -> None:
        self.documents += 1
        self.pages += processed.pages
        self.records.update(processed.records)
        self.rejected += processed.rejected
        self.diffs[name] = processed.diff
