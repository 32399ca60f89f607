"""Review: analysts accept, reject, edit and add records; decisions outlive reprocessing.

Decisions live in their own table keyed by the record's id (its fingerprint: document content,
kind, value or date, evidence span), never in the extractor's output, which a reprocess
replaces. After a reprocess a reviewed record is either produced again (its decision stands),
read differently at the same evidence (the decision moves to the new reading, flagged for a
second look, the reviewer's value standing), or gone (shown as orphaned). Every decision is
checked against the version the reviewer saw, so a second concurrent save is refused.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterable

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import and_, delete, insert, select, update

from briefex.models import BriefexError, Record

from .store import Store, describe
from .tables import documents, records, review_history, reviews, texts

RECORD = TypeAdapter(Record)
STATUSES = ("pending", "accepted", "rejected", "edited", "orphaned")
EDITABLE = {
    "actor": ["name", "type"],
    "event": ["date", "date_end", "precision", "event_type", "actors", "location"],
    "figure": ["value", "value_max", "unit", "qualifier", "counts", "date"],
}


class ReviewError(BriefexError):
    """A decision that cannot be taken: a stale version, a missing record, an invalid edit."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__("review", code, **details)


def anchor(record) -> str:
    """Where a record sits and what words it rests on: a new reading of the same words at the
    same place (another date for "late 1990s") shares the anchor, not the fingerprint."""
    surface = {"actor": getattr(record, "name", ""), "event": getattr(record, "date_text", ""),
               "figure": getattr(record, "text", "")}[record.kind]
    return f"{record.kind}|{record.evidence.start}|{record.evidence.end}|{surface}"


def field_value(name: str, raw: str):
    """Form text -> the field's value: lists for actors, numbers for values, None for blanks."""
    raw = raw.strip()
    if name == "actors":
        return [a.strip() for a in raw.split(";") if a.strip()]
    if raw == "":
        return None
    if name in ("value", "value_max"):
        try:
            return float(raw)
        except ValueError:
            return raw  # left for the model to refuse with its own message
    return raw


def _reason(exc: ValidationError) -> str:
    """Pydantic's errors as one line: 'value: Value error, -3.0 is not ...; date: ...'."""
    return "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'record'}: {e['msg']}" for e in exc.errors())


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Item:
    id: str
    document_id: str
    document: str
    kind: str
    status: str
    record: object            # the reviewer's version where there is one, else the extractor's
    extracted: object | None  # the extractor's current version, None for orphaned or added records
    flagged: bool = False
    flag_reason: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None
    version: int = 0
    origin: str = "extracted"

    @property
    def fingerprint(self) -> str:
        return self.id


def reconcile(conn, document_id: str, new_records: dict) -> None:
    """Run inside the transaction that replaced a document's records (see Store.write_results)."""
    reviewed = conn.execute(select(reviews).where(and_(reviews.c.document_id == document_id,
                                                       reviews.c.origin == "extracted"))).all()
    reviewed_ids = {r.record_id for r in reviewed}
    free = {anchor(rec): rec for rec_id, rec in new_records.items() if rec_id not in reviewed_ids}
    for row in reviewed:
        if row.record_id in new_records:
            continue                       # produced again: the decision and edits stand
        successor = free.pop(row.anchor, None)
        if successor is None:
            continue                       # gone: shown as orphaned, never dropped
        before = RECORD.validate_json(row.data)
        reason = (f"reprocessing reads this evidence as {describe(successor)}; "
                  f"the reviewer's {describe(before)} stands")
        conn.execute(delete(reviews).where(reviews.c.record_id == row.record_id))
        conn.execute(insert(reviews).values(
            record_id=successor.id, document_id=document_id, kind=row.kind, status=row.status,
            data=row.data, anchor=row.anchor, origin="extracted", flagged=True, flag_reason=reason,
            reviewer=row.reviewer, decided_at=row.decided_at, version=row.version + 1))
        conn.execute(insert(review_history).values(record_id=successor.id, action="moved", reviewer="briefex",
                                                   at=_now(), data=row.data,
                                                   note=f"from {row.record_id}: {reason}"))


class Review:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading -----------------------------------------------------------------------------
    def items(self, document: str | None = None, kind: str | None = None, status: str | None = None,
              event_type: str | None = None, actor: str | None = None, date_from: str | None = None,
              date_to: str | None = None, text: str | None = None) -> list[Item]:
        """Every reviewable record matching the filters, in document and evidence order."""
        found = [item for item in self._all(document, kind) if self._matches(
            item, status, event_type, actor, date_from, date_to, text)]
        return sorted(found, key=lambda i: (i.document, i.record.evidence.start, i.kind, i.id))

    def _all(self, document: str | None, kind: str | None) -> Iterable[Item]:
        names = self.document_names()
        current = select(records.c.id, records.c.document_id, records.c.kind, records.c.data)
        decided = select(reviews)
        if document:
            doc_ids = [d for d, n in names.items() if document in (d, n)]
            current = current.where(records.c.document_id.in_(doc_ids))
            decided = decided.where(reviews.c.document_id.in_(doc_ids))
        if kind:
            current = current.where(records.c.kind == kind)
            decided = decided.where(reviews.c.kind == kind)
        with self.store.engine.connect() as conn:
            review_rows = {r.record_id: r for r in conn.execute(decided)}
            seen = set()
            for row in conn.execute(current):
                seen.add(row.id)
                extracted = self.store.load(row.id, row.data)
                yield self._item(row.id, row.document_id, names, extracted, review_rows.get(row.id))
            for record_id, review in review_rows.items():
                if record_id not in seen:
                    yield self._item(record_id, review.document_id, names, None, review)

    def _item(self, record_id, document_id, names, extracted, review) -> Item:
        if review is None:
            return Item(record_id, document_id, names.get(document_id, document_id), extracted.kind,
                        "pending", extracted, extracted)
        status = review.status
        if extracted is None and review.origin == "extracted":
            status = "orphaned"
        return Item(record_id, document_id, names.get(document_id, document_id), review.kind, status,
                    RECORD.validate_json(review.data), extracted, bool(review.flagged),
                    review.flag_reason, review.reviewer, review.decided_at, review.version, review.origin)

    @staticmethod
    def _matches(item: Item, status, event_type, actor, date_from, date_to, text) -> bool:
        record = item.record
        if status and item.status != status:
            return False
        if event_type and getattr(record, "event_type", None) != event_type:
            return False
        if actor:
            names = set(getattr(record, "actors", [])) | {getattr(record, "name", "")}
            if not any(actor.casefold() in n.casefold() for n in names if n):
                return False
        date = getattr(record, "date", None)
        if date_from and (date is None or (getattr(record, "date_end", None) or date) < date_from):
            return False
        if date_to and (date is None or date[:len(date_to)] > date_to):
            return False
        return not text or text.casefold() in record.evidence.text.casefold()

    def item(self, record_id: str) -> Item:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(records.c.document_id, records.c.kind).where(records.c.id == record_id)).first()
            review = conn.execute(select(reviews.c.document_id, reviews.c.kind).where(
                reviews.c.record_id == record_id)).first()
        where = row or review
        if where is None:
            raise ReviewError("E302", record=record_id)
        return next(i for i in self._all(where.document_id, where.kind) if i.id == record_id)

    def statuses(self) -> dict[str, str]:
        """record id -> decided status, straight from the table (no record is parsed)."""
        with self.store.engine.connect() as conn:
            return dict(conn.execute(select(reviews.c.record_id, reviews.c.status)).all())

    def history(self, record_id: str) -> list:
        with self.store.engine.connect() as conn:
            return conn.execute(select(review_history).where(review_history.c.record_id == record_id)
                                .order_by(review_history.c.id)).all()

    def document_names(self) -> dict[str, str]:
        """document id -> file name, without reading any record."""
        with self.store.engine.connect() as conn:
            return dict(conn.execute(select(documents.c.id, documents.c.name)).all())

    def document_counts(self) -> list[tuple[str, str, dict[str, int]]]:
        counts: dict[str, dict[str, int]] = {}
        for item in self._all(None, None):
            counts.setdefault(item.document_id, {s: 0 for s in STATUSES})[item.status] += 1
        names = self.document_names()
        return sorted(((d, names[d], counts.get(d, {s: 0 for s in STATUSES})) for d in names),
                      key=lambda t: t[1])

    def document_text(self, document_id: str) -> tuple[str, list, list, list]:
        """(text, pages, sentences, misses) of a document's current version."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(texts).join(documents, documents.c.current_sha256 == texts.c.sha256)
                               .where(documents.c.id == document_id)).first()
        if row is None:
            raise ReviewError("E302", record=document_id)
        return row.text, json.loads(row.pages), json.loads(row.sentences), json.loads(row.misses)

    def misses(self, document: str | None = None) -> list[dict]:
        """Sentences holding a date, money, percentage or count that gave no record."""
        found = []
        for doc_id, name in self.document_names().items():
            if document and document not in (doc_id, name):
                continue
            text, _, _, misses = self.document_text(doc_id)
            for miss in misses:
                found.append({"document_id": doc_id, "document": name, "text": text[miss["start"]:miss["end"]],
                              **miss})
        return found

    # -- deciding ----------------------------------------------------------------------------
    def decide(self, record_id: str, action: str, reviewer: str, seen_version: int) -> Item:
        """Accept or reject the record as the reviewer sees it."""
        item = self.item(record_id)
        status = {"accept": "accepted", "reject": "rejected"}[action]
        if action == "accept" and item.status == "edited":
            status = "edited"  # accepting an edited record keeps the edit
        self._save(item, status, item.record, reviewer, seen_version, action)
        return self.item(record_id)

    def edit(self, record_id: str, changes: dict, reviewer: str, seen_version: int) -> Item:
        """Change fields; the result must validate as the same kind of record."""
        item = self.item(record_id)
        allowed = {k: v for k, v in changes.items() if k in EDITABLE[item.kind]}
        data = {**item.record.model_dump(mode="json"), **allowed}
        try:
            edited = RECORD.validate_python(data)
        except ValidationError as exc:
            raise ReviewError("E303", reason=_reason(exc)) from exc
        self._save(item, "edited", edited, reviewer, seen_version, "edit")
        return self.item(record_id)

    def _save(self, item: Item, status: str, record, reviewer: str, seen_version: int, action: str) -> None:
        if not reviewer or not reviewer.strip():
            raise ReviewError("E304")
        data = record.model_dump_json()
        with self.store.engine.begin() as conn:
            if item.version == 0 and item.status == "pending":
                exists = conn.execute(select(reviews.c.record_id).where(reviews.c.record_id == item.id)).first()
                if exists or seen_version != 0:
                    self._conflict(conn, item.id)
                conn.execute(insert(reviews).values(
                    record_id=item.id, document_id=item.document_id, kind=item.kind, status=status, data=data,
                    anchor=anchor(record), origin=item.origin, flagged=False, reviewer=reviewer,
                    decided_at=_now(), version=1))
            else:
                done = conn.execute(update(reviews).where(and_(reviews.c.record_id == item.id,
                                                               reviews.c.version == seen_version))
                                    .values(status=status, data=data, flagged=False, flag_reason=None,
                                            reviewer=reviewer, decided_at=_now(), version=seen_version + 1))
                if done.rowcount != 1:
                    self._conflict(conn, item.id)
            conn.execute(insert(review_history).values(record_id=item.id, action=action, reviewer=reviewer,
                                                       at=_now(), data=data))

    @staticmethod
    def _conflict(conn, record_id: str) -> None:
        row = conn.execute(select(reviews.c.reviewer, reviews.c.decided_at).where(
            reviews.c.record_id == record_id)).first()
        raise ReviewError("E301", record=record_id, reviewer=row.reviewer if row else "someone",
                          at=row.decided_at if row else "just now")

    def add(self, document_id: str, kind: str, start: int, end: int, fields: dict, reviewer: str) -> Item:
        """A record the extractor missed, read by a reviewer from a span of the document."""
        from briefex.models import record_id as fingerprint

        text, pages, sentences, _ = self.document_text(document_id)
        if not 0 <= start < end <= len(text):
            raise ReviewError("E303", reason=f"the span {start}..{end} is not inside the document text")
        s_start, s_end = next(((a, b) for a, b in sentences if a <= start < b), (start, end))
        s_end = max(s_end, end)
        page = next((p["number"] for p in pages if p["start"] <= start < max(p["end"], p["start"] + 1)), None)
        with self.store.engine.connect() as conn:
            name, sha = conn.execute(select(documents.c.name, documents.c.current_sha256)
                                     .where(documents.c.id == document_id)).one()
        data = {"kind": kind, "document": name, "document_id": document_id, "document_sha256": sha,
                "extractor": f"reviewer:{reviewer}", "confidence": 1.0,
                "evidence": {"text": text[s_start:s_end], "start": s_start, "end": s_end, "page": page,
                             "sentence": next((i for i, (a, b) in enumerate(sentences) if a == s_start), 0),
                             "span_start": start, "span_end": end}, **fields}
        if kind == "actor":
            data.setdefault("mention", text[start:end])
        if kind == "event":
            data.setdefault("date_text", text[start:end])
            data.setdefault("date_reason", f"entered by reviewer {reviewer}")
            data.setdefault("precision", "unresolved" if not fields.get("date") else
                            {4: "year", 7: "month", 10: "day"}.get(len(fields["date"]), "year"))
        if kind == "figure":
            data.setdefault("text", text[start:end])
        try:
            record = RECORD.validate_python(data)
        except ValidationError as exc:
            raise ReviewError("E303", reason=_reason(exc)) from exc
        record.id = fingerprint(record)
        item = Item(record.id, document_id, name, kind, "pending", record, None, origin="added")
        self._save(item, "accepted", record, reviewer, 0, "add")
        return self.item(record.id)

    def timeline(self, actor: str | None = None, event_type: str | None = None) -> tuple[list[Item], list[Item]]:
        """Accepted events by date (filtered) and accepted figures."""
        accepted = [i for i in self._all(None, None) if i.status in ("accepted", "edited")]
        events = [i for i in accepted if i.kind == "event" and i.record.date
                  and self._matches(i, None, event_type, actor, None, None, None)]
        figures = [i for i in accepted if i.kind == "figure"]
        return sorted(events, key=lambda i: i.record.date), figures
