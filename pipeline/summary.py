"""What a batch run did, for the summary table: plain data, importable without Prefect."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from briefex.output.store import Diff


@dataclass
class Processed:
    """One processed document, as a task reports it: counts only, never the records."""
    pages: int
    records: Counter
    rejected: int
    diff: Diff | None = None   # what changed in the store; None when nothing was stored

    @classmethod
    def of(cls, document, extraction, diff: Diff | None = None) -> Processed:
        return cls(pages=document.page_count, records=Counter(r.kind for r in extraction.records),
                   rejected=len(extraction.rejected), diff=diff)


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
        if processed.diff is not None:
            self.diffs[name] = processed.diff
