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
from briefex.models.identity import normalised_key

from .revisions import mostly_the_same, shingles
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


def _shown(value) -> str | None:
    """A field's value as the history prints it: lists joined by '; ', numbers with :g."""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return value


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
    note: str | None = None
    reason: str | None = None           # why it was rejected
    previous_text: str | None = None    # its sentence before a revision edited it

    @property
    def fingerprint(self) -> str:
        return self.id


def reconcile(conn, document_id: str, new_records: dict) -> None:
    """Run inside the transaction that replaced a document's records (see Store.write_results).
    The same version read again: decisions follow record ids, then anchors. A new version of
    the document: decisions follow the aligned sentences (output/revisions.py)."""
    reviewed = conn.execute(select(reviews).where(and_(reviews.c.document_id == document_id,
                                                       reviews.c.origin == "extracted"))).all()
    reviewed_ids = {r.record_id for r in reviewed}
    waiting = [row for row in reviewed if row.record_id not in new_records]
    if not waiting:
        return                             # every decision's record was produced again
    current = conn.execute(select(documents.c.current_sha256).where(documents.c.id == document_id)).scalar()
    free_by_id = {rec_id: rec for rec_id, rec in new_records.items() if rec_id not in reviewed_ids}
    decided = [(row, RECORD.validate_json(row.data)) for row in waiting]
    same = [(row, rec) for row, rec in decided if rec.document_sha256 in (None, current)]
    free = {anchor(rec): rec for rec in free_by_id.values()}
    for row, before in same:
        successor = free.pop(row.anchor, None)
        if successor is None:
            continue                       # gone: shown as orphaned, never dropped
        free_by_id.pop(successor.id, None)
        reason = (f"reprocessing reads this evidence as {describe(successor)}; "
                  f"the reviewer's {describe(before)} stands")
        _move(conn, row, successor, row.data, reason, None)
    _follow_revision(conn, [(row, rec) for row, rec in decided if rec.document_sha256 not in (None, current)],
                     current, free_by_id)


def _follow_revision(conn, decided: list, current: str, free: dict) -> None:
    """Decisions taken on an earlier version: matched by sentence, kind and reading."""
    from .revisions import follow, load_version

    new = load_version(conn, current)
    for old_sha in {rec.document_sha256 for _, rec in decided}:
        group = [(row, rec) for row, rec in decided if rec.document_sha256 == old_sha]
        found = follow([(row, rec, row.reading or normalised_key(rec)) for row, rec in group],
                       load_version(conn, old_sha), new, free)
        for position, match in found.items():
            row, before = group[position]
            data = _carried(row, before, match.successor)
            reason = {"unchanged": None, "edited": "sentence changed: re-check",
                      "reread": f"the revised paper reads this evidence as {describe(match.successor)}; "
                                f"the reviewer's {describe(before)} stands"}[match.state]
            _move(conn, row, match.successor, data, reason,
                  match.before if match.state == "edited" else None)


def _carried(row, before, successor) -> str:
    """The decided record on the new version: the new evidence and provenance; a reviewer's
    edited fields stand, an accept or reject takes the new extraction as it is."""
    if row.status != "edited":
        return successor.model_dump_json()
    keep = {k: getattr(before, k) for k in EDITABLE[before.kind]}
    return successor.model_copy(update=keep).model_dump_json()


def _move(conn, row, successor, data: str, reason: str | None, previous_text: str | None) -> None:
    """Re-key a decision onto its successor record, keeping status, reviewer, note and reason."""
    conn.execute(delete(reviews).where(reviews.c.record_id == row.record_id))
    conn.execute(insert(reviews).values(
        record_id=successor.id, document_id=row.document_id, kind=row.kind, status=row.status,
        data=data, anchor=anchor(successor), origin="extracted", flagged=reason is not None,
        flag_reason=reason, reviewer=row.reviewer, decided_at=row.decided_at, version=row.version + 1,
        reading=normalised_key(successor), previous_text=previous_text, note=row.note, reason=row.reason))
    conn.execute(insert(review_history).values(
        record_id=successor.id, action="moved", reviewer="briefex", at=_now(), data=data, status=row.status,
        note=f"from {row.record_id}" + (f": {reason}" if reason else ": same sentence, same reading")))


DECISIONS = ("accept", "reject", "edit", "add")


def _undo_last(conn, reviewer: str) -> str:
    """Revert the reviewer's latest live decision in one transaction; returns its record id."""
    h = review_history.c
    entry = conn.execute(select(review_history).where(and_(
        h.reviewer == reviewer, h.action.in_(DECISIONS), h.undone.is_(False))).order_by(h.id.desc())).first()
    if entry is None:
        raise ReviewError("E308", reviewer=reviewer or "this reviewer")
    row = conn.execute(select(reviews).where(reviews.c.record_id == entry.record_id)).first()
    later = conn.execute(select(h.id).where(and_(h.record_id == entry.record_id, h.id > entry.id,
                                                 h.action.in_(DECISIONS + ("undo",))))).first()
    if row is None or later is not None:
        Review._conflict(conn, entry.record_id)
    prior = conn.execute(select(review_history).where(and_(
        h.record_id == entry.record_id, h.id < entry.id, h.status.is_not(None), h.undone.is_(False),
        h.action != "note")).order_by(h.id.desc())).first()
    if prior is not None:
        status, data = prior.status, prior.data
        conn.execute(update(reviews).where(reviews.c.record_id == row.record_id).values(
            status=status, data=data, reviewer=prior.reviewer, decided_at=prior.at, version=row.version + 1,
            reason=prior.note if status == "rejected" else None))
    elif row.note and entry.action != "add":
        status = "pending"
        data = conn.execute(select(records.c.data).where(records.c.id == row.record_id)).scalar() or row.data
        conn.execute(update(reviews).where(reviews.c.record_id == row.record_id).values(
            status=status, data=data, version=row.version + 1, reason=None, flagged=False))
    else:
        status, data = "pending", None       # no decision before this one: the row goes
        conn.execute(delete(reviews).where(reviews.c.record_id == row.record_id))
    conn.execute(update(review_history).where(h.id == entry.id).values(undone=True))
    conn.execute(insert(review_history).values(record_id=row.record_id, action="undo", reviewer=reviewer,
                                               at=_now(), data=data, status=status,
                                               note=f"undid the {entry.action} of {entry.at}"))
    return row.record_id


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
                    review.flag_reason, review.reviewer, review.decided_at, review.version, review.origin,
                    review.note, review.reason, review.previous_text)

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

    def papers(self) -> dict[str, str]:
        """document id -> the id of the paper it is a source of: a text and a PDF of the same
        paper (at least 60 % of their word 5-grams shared, output/revisions.py) are one paper with
        two sources. (Two files of one media type whose text is mostly the same are one
        document with two versions instead: Store.write_results.)"""
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(documents.c.id, texts.c.text).join(
                texts, texts.c.sha256 == documents.c.current_sha256).order_by(documents.c.id)).all()
        grams_of = {r.id: shingles(r.text) for r in rows}
        paper: dict[str, str] = {}
        for doc_id, grams in grams_of.items():
            paper[doc_id] = next((other for other in paper if paper[other] == other
                                  and mostly_the_same(grams, grams_of[other])), doc_id)
        return paper

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
    def decide(self, record_id: str, action: str, reviewer: str, seen_version: int,
               reason: str | None = None) -> Item:
        """Accept or reject the record as the reviewer sees it; a reject may say why."""
        if action not in ("accept", "reject"):
            raise ReviewError("E307", action=action)
        item = self.item(record_id)
        status = {"accept": "accepted", "reject": "rejected"}[action]
        if action == "accept" and item.status == "edited":
            status = "edited"  # accepting an edited record keeps the edit
        reason = ((reason or "").strip() or None) if action == "reject" else None
        self._save(item, status, item.record, reviewer, seen_version, action, reason)
        return self.item(record_id)

    def decide_many(self, decisions: list[tuple[str, int]], action: str, reviewer: str,
                    reason: str | None = None) -> tuple[list[Item], list[str]]:
        """A bulk decision: (record id, version seen) pairs; returns (decided, refusals), so one
        record changed by someone else does not stop the others."""
        done, refused = [], []
        for record_id, version in decisions:
            try:
                done.append(self.decide(record_id, action, reviewer, version, reason))
            except ReviewError as exc:
                refused.append(exc.cause)
        return done, refused

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

    def _save(self, item: Item, status: str, record, reviewer: str, seen_version: int, action: str,
              reason: str | None = None) -> None:
        if not reviewer or not reviewer.strip():
            raise ReviewError("E304")
        data = record.model_dump_json()
        with self.store.engine.begin() as conn:
            exists = conn.execute(select(reviews.c.record_id).where(reviews.c.record_id == item.id)).first()
            if exists is None:                 # a first decision (a note alone leaves a row at version 0)
                if seen_version != 0:
                    self._conflict(conn, item.id)
                conn.execute(insert(reviews).values(
                    record_id=item.id, document_id=item.document_id, kind=item.kind, status=status, data=data,
                    anchor=anchor(record), origin=item.origin, flagged=False, reviewer=reviewer,
                    decided_at=_now(), version=1, reading=normalised_key(item.extracted or record),
                    reason=reason))
            else:
                done = conn.execute(update(reviews).where(and_(reviews.c.record_id == item.id,
                                                               reviews.c.version == seen_version))
                                    .values(status=status, data=data, flagged=False, flag_reason=None,
                                            reviewer=reviewer, decided_at=_now(), version=seen_version + 1,
                                            reason=reason))
                if done.rowcount != 1:
                    self._conflict(conn, item.id)
            conn.execute(insert(review_history).values(record_id=item.id, action=action, reviewer=reviewer,
                                                       at=_now(), data=data, status=status, note=reason))

    @staticmethod
    def _conflict(conn, record_id: str) -> None:
        row = conn.execute(select(reviews.c.reviewer, reviews.c.decided_at).where(
            reviews.c.record_id == record_id)).first()
        raise ReviewError("E301", record=record_id, reviewer=row.reviewer if row else "someone",
                          at=row.decided_at if row else "just now")

    def set_note(self, record_id: str, note: str, reviewer: str) -> Item:
        """A free-text note on a record; it does not decide anything, so it leaves a pending
        record pending (and takes no lock: the last note written stands, kept in the history)."""
        if not reviewer or not reviewer.strip():
            raise ReviewError("E304")
        item = self.item(record_id)
        note = note.strip() or None
        with self.store.engine.begin() as conn:
            if conn.execute(select(reviews.c.record_id).where(reviews.c.record_id == item.id)).first():
                conn.execute(update(reviews).where(reviews.c.record_id == item.id).values(note=note))
            else:
                conn.execute(insert(reviews).values(
                    record_id=item.id, document_id=item.document_id, kind=item.kind, status="pending",
                    data=item.record.model_dump_json(), anchor=anchor(item.record), origin=item.origin,
                    flagged=False, reviewer=reviewer, decided_at=_now(), version=0,
                    reading=normalised_key(item.record), note=note))
            conn.execute(insert(review_history).values(record_id=item.id, action="note", reviewer=reviewer,
                                                       at=_now(), note=note))
        return self.item(record_id)

    def undo(self, reviewer: str) -> str:
        """Take back the reviewer's latest decision that is not undone yet: the record returns
        to the state the entry before it left (pending when there was none). Refused when
        someone decided the record after it."""
        with self.store.engine.begin() as conn:
            return _undo_last(conn, (reviewer or "").strip())

    def changes(self, record_id: str) -> list[dict]:
        """The history with each entry's changed fields as (field, before, after)."""
        item = self.item(record_id)
        previous = (item.extracted or item.record).model_dump(mode="json")
        out = []
        for entry in self.history(record_id):
            data = json.loads(entry.data) if entry.data else None
            changed = []
            if data and entry.action in ("edit", "undo", "moved"):
                changed = [(f, _shown(previous.get(f)), _shown(data.get(f))) for f in EDITABLE[item.kind]
                           if previous.get(f) != data.get(f)]
            if data:
                previous = data
            out.append({"at": entry.at, "reviewer": entry.reviewer, "action": entry.action,
                        "note": entry.note or "", "changes": changed, "undone": bool(entry.undone)})
        return out

    def add(self, document_id: str, kind: str, start: int, end: int, fields: dict, reviewer: str) -> Item:
        """A record the extractor missed, read by a reviewer from a span of the document."""
        from briefex.models import record_id as fingerprint

        text, pages, sentences, _ = self.document_text(document_id)
        if not 0 <= start < end <= len(text):
            raise ReviewError("E303", reason=f"the span {start}..{end} is not inside the document text")
        start, end = snap(text, start, end)
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

    def actors(self) -> list[dict]:
        """Each canonical actor across the corpus: its type(s), the words that named it and the
        documents it appears in, with how many of its records are still pending."""
        found: dict[str, dict] = {}
        for item in self._all(None, "actor"):
            if item.status == "orphaned":
                continue
            entry = found.setdefault(item.record.name, {"name": item.record.name, "types": set(),
                                                        "aliases": set(), "documents": set(), "records": 0,
                                                        "pending": 0})
            entry["types"].add(item.record.type)
            entry["aliases"].add(item.record.mention)
            entry["documents"].add(item.document)
            entry["records"] += 1
            entry["pending"] += item.status == "pending"
        return sorted(found.values(), key=lambda e: (-len(e["documents"]), e["name"]))

    def rename_actor(self, name: str, new_name: str, actor_type: str | None, reviewer: str) -> int:
        """Rename (or merge into another name, or retype) an actor in every document: each of
        its records is edited, so exports carry the new name with the reviewer's decision, and
        the events naming it get the new name in their `actors` (their own status unchanged:
        a rename decides nothing about an event). Returns the number of actor records edited."""
        new_name = new_name.strip() or name
        if not reviewer or not reviewer.strip():
            raise ReviewError("E304")
        changes = {"name": new_name, **({"type": actor_type} if actor_type else {})}
        targets = [i for i in self._all(None, "actor") if i.record.name == name and i.status != "orphaned"]
        for item in targets:
            self.edit(item.id, changes, reviewer, item.version)
        if new_name != name:
            for item in self._all(None, "event"):
                if item.status != "orphaned" and name in item.record.actors:
                    renamed = list(dict.fromkeys(new_name if a == name else a for a in item.record.actors))
                    self._retouch(item, {"actors": renamed}, reviewer, f"actor renamed: {name} -> {new_name}")
        return len(targets)

    def _retouch(self, item: Item, changes: dict, reviewer: str, note: str) -> None:
        """Change fields of a record without deciding it: a pending record stays pending (a row
        at version 0, as a note leaves), a decided one keeps its status; kept in the history."""
        data = item.record.model_copy(update=changes)
        record = RECORD.validate_python(data.model_dump(mode="json"))
        payload = record.model_dump_json()
        with self.store.engine.begin() as conn:
            row = conn.execute(select(reviews.c.version).where(reviews.c.record_id == item.id)).first()
            if row is None:
                conn.execute(insert(reviews).values(
                    record_id=item.id, document_id=item.document_id, kind=item.kind, status="pending",
                    data=payload, anchor=anchor(item.record), origin=item.origin, flagged=False,
                    reviewer=reviewer, decided_at=_now(), version=0, reading=normalised_key(item.record)))
            else:
                conn.execute(update(reviews).where(reviews.c.record_id == item.id).values(
                    data=payload, version=row.version + 1 if item.status != "pending" else row.version))
            conn.execute(insert(review_history).values(record_id=item.id, action="actor renamed",
                                                       reviewer=reviewer, at=_now(), data=payload,
                                                       status=item.status, note=note))

    def mentions(self, item: Item, texts: dict | None = None) -> list[dict]:
        """Every mention of an actor record in its document: the words, their offsets, page and
        sentence; one, its evidence, for records made before mentions were kept."""
        found = getattr(item.record, "mentions", None) or []
        if not found:
            ev = item.record.evidence
            return [{"text": item.record.mention, "start": ev.span_start, "end": ev.span_end,
                     "sentence": ev.text, "sentence_start": ev.start, "page": ev.page}]
        texts = {} if texts is None else texts          # document id -> text, shared by a page's rows
        if item.document_id not in texts:
            texts[item.document_id] = self.document_text(item.document_id)[0]
        text = texts[item.document_id]
        return [{"text": m.text, "start": m.start, "end": m.end, "page": m.page,
                 "sentence": text[m.sentence_start:m.sentence_end], "sentence_start": m.sentence_start}
                for m in found]

    def timeline(self, actor: str | None = None, event_type: str | None = None) -> tuple[list[Item], list[Item]]:
        """Accepted events by date (filtered) and accepted figures."""
        accepted = [i for i in self._all(None, None) if i.status in ("accepted", "edited")]
        events = [i for i in accepted if i.kind == "event" and i.record.date
                  and self._matches(i, None, event_type, actor, None, None, None)]
        figures = [i for i in accepted if i.kind == "figure"]
        return sorted(events, key=lambda i: i.record.date), figures


SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
REJECT_REASONS = ("not a happening", "wrong date", "wrong type", "wrong actors", "wrong value", "duplicate")


def readable_number(value: float, scale: tuple[float, str] | None = None) -> str:
    """A number as analysts write it: 9.2 trillion, 4,000, 2.5 (three significant digits at most)."""
    factor, word = scale or next(((f, w) for f, w in SCALES if value >= f), (1, ""))
    shown = value / factor
    text = f"{shown:,.0f}" if shown == int(shown) and not word else f"{shown:.3g}"
    if "e" in text:
        text = f"{shown:,.0f}"
    return f"{text} {word}".strip()


def readable(record) -> str:
    """A record in one line for people: figures as 9.2 trillion USD or 34-60 %, events as
    date, type and actors, actors as name and type."""
    if record.kind != "figure":
        return describe(record)
    scale = next(((f, w) for f, w in SCALES if record.value >= f), None)
    low = readable_number(record.value, scale)
    if record.value_max is not None:
        high = readable_number(record.value_max, scale)
        low = f"{low.rsplit(' ', 1)[0] if scale else low}-{high}"
    unit = "%" if record.unit.casefold() in ("percent", "per cent", "%") else record.unit
    qualifier = f"{record.qualifier} " if record.qualifier else ""
    return f"{qualifier}{low} {unit}"


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection widened to whole words and trimmed of surrounding white space (characters)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end

