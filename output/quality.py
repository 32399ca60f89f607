"""What the reviews say about the extractor: precision from decided records, recall from the
misses queue, and the reviewers' answers on misses (dismissed: no record here; converted: a
reviewer added the record the pipeline missed).

Precision estimate: of the extracted records a reviewer decided, the share accepted (edited
counts as accepted: the record was there, a field was off). Recall estimate: of the records
reviewers know of in reviewed sentences (accepted extractions plus records a reviewer had to
add), the share the pipeline found. Both come with their counts, since a share of 3 is noise.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from sqlalchemy import delete, insert, select

from .tables import miss_decisions


def sentence_key(text: str) -> str:
    """16 hex characters from a sentence's words: a dismissal survives a revision elsewhere."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()[:16]


def miss_states(review, document: str | None = None) -> list[dict]:
    """The misses queue with each entry's state: open, dismissed or converted."""
    with review.store.engine.connect() as conn:
        dismissed = {(r.document_id, r.sentence_key) for r in conn.execute(select(miss_decisions))}
    added = defaultdict(set)
    for item in review.items(document=document):
        if item.origin == "added":
            added[item.document_id].add(item.record.evidence.start)
    found = []
    for miss in review.misses(document):
        miss["key"] = sentence_key(miss["text"])
        miss["state"] = ("converted" if miss["start"] in added[miss["document_id"]] else
                         "dismissed" if (miss["document_id"], miss["key"]) in dismissed else "open")
        found.append(miss)
    return found


def dismiss(review, document_id: str, start: int, end: int, reviewer: str, undo: bool = False) -> None:
    """Mark a miss "no record here" (or take that back)."""
    from .review import ReviewError

    if not reviewer.strip():
        raise ReviewError("E304")
    miss = next((m for m in review.misses(document_id) if (m["start"], m["end"]) == (start, end)), None)
    if miss is None:
        raise ReviewError("E309", document=document_id, start=start, end=end)
    key = sentence_key(miss["text"])
    with review.store.engine.begin() as conn:
        conn.execute(delete(miss_decisions).where((miss_decisions.c.document_id == document_id)
                                                  & (miss_decisions.c.sentence_key == key)))
        if not undo:
            conn.execute(insert(miss_decisions).values(
                document_id=document_id, sentence_key=key, action="dismissed", reviewer=reviewer.strip(),
                at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def precision_rows(items) -> list[dict]:
    """Per kind, per event type and per extractor: reviewed extracted records, accepted share."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        if item.origin != "extracted" or item.status not in ("accepted", "edited", "rejected"):
            continue
        ok = item.status != "rejected"
        keys = [("kind", item.kind), ("extractor", item.record.extractor)]
        if item.kind == "event":
            keys.append(("event type", item.record.event_type))
        for key in keys:
            groups[key][0] += ok
            groups[key][1] += 1
    return [{"by": by, "value": value, "accepted": ok, "reviewed": n, "precision": _share(ok, n)}
            for (by, value), (ok, n) in sorted(groups.items())]


def quality(review) -> dict:
    """Everything the quality page and `briefex stats` show, as plain data."""
    items = review.items()
    misses = miss_states(review)
    found = sum(1 for i in items if i.origin == "extracted" and i.status in ("accepted", "edited"))
    added = sum(1 for i in items if i.origin == "added" and i.status in ("accepted", "edited"))
    states = defaultdict(int)
    for miss in misses:
        states[miss["state"]] += 1
    reviewed_misses = states["dismissed"] + states["converted"]
    return {
        "precision": precision_rows(items),
        "statuses": {s: sum(1 for i in items if i.status == s) for s in
                     ("pending", "accepted", "edited", "rejected", "orphaned")},
        "misses": {"total": len(misses), **{s: states[s] for s in ("open", "dismissed", "converted")}},
        "recall": {"found": found, "added": added, "estimate": _share(found, found + added),
                   "missed_share_of_reviewed_misses": _share(states["converted"], reviewed_misses),
                   "reviewed_misses": reviewed_misses},
    }
