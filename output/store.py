"""The record store: SQLite by default, PostgreSQL by SQLAlchemy URL, one interface for both.

Every document's results are written in one transaction, so a crash (even ``kill -9``) leaves
either the old records or the new ones. Record ids come from the records' content, so writing
the same results twice changes nothing. Rows are validated by the pydantic models when they
are read back: a row edited by hand into something invalid is refused with its id.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.pool import NullPool

from briefex.models import BriefexError, IngestedDocument, Record

from .tables import documents, processing, quarantine, records, reviews, runs, texts, versions

DEFAULT_DB = "briefex.db"
MIGRATIONS = Path(__file__).with_name("migrations")
RECORD = TypeAdapter(Record)


class StoreError(BriefexError):
    """A stored row that no longer validates, or a store that cannot be opened."""


def resolve_url(value: str | None = None) -> str:
    """--db value, else BRIEFEX_DB, else ./briefex.db; a plain path means a SQLite file. No
    folder is made here: a mistyped path must not quietly become a new, empty store."""
    value = value or os.environ.get("BRIEFEX_DB") or DEFAULT_DB
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return f"sqlite:///{path}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@functools.lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    """One engine per URL and process (so once per Dask worker)."""
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")    # readers never block the writer
            cursor.execute("PRAGMA busy_timeout=30000")  # milliseconds: workers wait their turn
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    return engine


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration: the revision no other one names as its parent."""
    found = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "(\w+)"', source, re.M).group(1)
        parent = re.search(r'^down_revision = "?(\w+)"?', source, re.M).group(1)
        found[revision] = parent
    (head,) = set(found) - set(found.values())
    return head


def _current_revision(bind) -> str | None:
    """The schema's Alembic revision (None on an empty database); `bind`: engine or connection."""
    if not inspect(bind).has_table("alembic_version"):
        return None
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return bind.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Key of the PostgreSQL advisory lock held while migrating: any fixed 64-bit number, the same
# in every briefex process ("briefex" in ASCII).
MIGRATION_LOCK = 0x62726965666578


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration. A store already there is the common case and
    is answered without importing Alembic (0.3 s of every command's start-up).

    Migrations run under a lock, and the revision is read again once it is held: two
    processes opening a new store at once would otherwise both create the tables (PostgreSQL
    answers the second with a UniqueViolation on pg_type). PostgreSQL: an advisory lock held
    to the end of the migrating transaction; SQLite: the database's own write lock, taken at
    the start of the transaction (BEGIN IMMEDIATE), for which the other process waits."""
    if _current_revision(engine) == head_revision():
        return
    if engine.dialect.name == "sqlite":
        locked = _sqlite_migration_engine(engine.url)
        try:
            with locked.begin() as connection:
                _upgrade(connection)
        finally:
            locked.dispose()
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        _upgrade(connection)


def _upgrade(connection) -> None:
    """Alembic's upgrade to head on a connection that holds the migration lock."""
    if _current_revision(connection) == head_revision():
        return                      # another process migrated while this one waited
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _sqlite_migration_engine(url) -> Engine:
    """A one-off SQLite engine whose transactions begin with BEGIN IMMEDIATE (SQLAlchemy's
    recipe: the driver's own transaction handling off, the BEGIN emitted here)."""
    engine = create_engine(url, future=True, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(connection, _record) -> None:
        connection.isolation_level = None
        connection.execute("PRAGMA busy_timeout=60000")   # milliseconds: wait for the other migrator
        connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass
class Registration:
    document_id: str
    sha256: str
    name: str
    status: str          # new (a new document), version (a changed file), known (same bytes)
    path: str | None = None   # where to read the bytes; None: from the store


@dataclass
class KindDiff:
    added: list[str] = field(default_factory=list)     # descriptions "id  summary"
    removed: list[str] = field(default_factory=list)
    kept: int = 0


@dataclass
class Diff:
    kinds: dict[str, KindDiff] = field(default_factory=lambda: {k: KindDiff() for k in ("actor", "event", "figure")})
    version_of: str | None = None   # the stored document this new file turned out to revise

    def counts(self) -> dict[str, tuple[int, int, int]]:
        return {k: (len(d.added), len(d.removed), d.kept) for k, d in self.kinds.items()}


def describe(record) -> str:
    if record.kind == "actor":
        return f"{record.name} ({record.type})"
    if record.kind == "event":
        return f"{record.date or 'unresolved'}{'..' + record.date_end if record.date_end else ''} " \
               f"{record.event_type} {', '.join(record.actors)}"
    high = f"..{record.value_max:g}" if record.value_max is not None else ""
    return f"{record.value:g}{high} {record.unit}"


class Store:
    def __init__(self, url: str | None = None, create: bool = True, must_exist: bool = False) -> None:
        """`create`: make or migrate the schema (False in tasks, whose command already did);
        `must_exist`: for reading commands, where a missing SQLite file is a mistyped path.
        A SQLite file is only ever created in a folder that exists; `self.created` tells the
        caller it was, so it can say so once."""
        self.url = resolve_url(url)
        self.created = False
        path = sqlite_path(self.url)
        if path is not None and not path.exists():
            if not path.parent.is_dir():
                raise StoreError(path, "E202", folder=path.parent)
            if must_exist or not create:
                raise StoreError(path, "E203", store=path)
            self.created = True
        self.engine = _engine(self.url)
        if create:
            migrate(self.engine)

    def close(self) -> None:
        """End of a command: fold SQLite's write-ahead log into the database file and close
        the connections, so the .db file alone is a complete copy of the store."""
        if self.engine.dialect.name == "sqlite":
            with contextlib.suppress(Exception), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()

    def backup(self, destination: str | Path) -> Path:
        """A consistent copy of a SQLite store made with SQLite's online backup API, safe
        while other processes write; written beside the target and renamed into place, so a
        failed copy leaves nothing half-written."""
        if sqlite_path(self.url) is None:
            raise StoreError("backup", "E204")
        target = Path(destination).expanduser().resolve()
        if target.exists():
            raise StoreError(target, "E205", target=target)
        if not target.parent.is_dir():
            raise StoreError(target, "E202", folder=target.parent)
        partial = target.with_name(target.name + ".partial")
        source = self.engine.raw_connection()
        try:
            copy = sqlite3.connect(partial)
            try:
                source.driver_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")   # one self-contained file
            finally:
                copy.close()
            os.replace(partial, target)
        finally:
            source.close()
            partial.unlink(missing_ok=True)
        return target

    # -- documents and versions -------------------------------------------------------------
    def register(self, data: bytes, path: Path) -> Registration:
        """Register a file's bytes: the same bytes twice are one version of one document; new
        bytes at a known path are a new version of that document. New bytes at a new path are
        a new document here; once its text is known, `write_results` makes it a new version of
        a stored document whose text is mostly the same (a renamed or re-downloaded revision)."""
        sha = hashlib.sha256(data).hexdigest()
        path = Path(path).resolve()
        with self.engine.begin() as conn:
            known = conn.execute(select(versions.c.document_id, versions.c.name)
                                 .where(versions.c.sha256 == sha)).first()
            if known:
                return Registration(known.document_id, sha, known.name, "known", str(path))
            document = conn.execute(select(documents.c.id).where(documents.c.path == str(path))).first()
            if document is None:
                document_id, status, number = sha[:16], "new", 1
                conn.execute(insert(documents).values(id=document_id, name=path.name, path=str(path),
                                                      current_sha256=sha, created_at=_now()))
            else:
                document_id, status = document.id, "version"
                number = 1 + conn.execute(select(func.count()).select_from(versions)
                                          .where(versions.c.document_id == document_id)).scalar_one()
                conn.execute(update(documents).where(documents.c.id == document_id)
                             .values(current_sha256=sha, name=path.name))
            conn.execute(insert(versions).values(sha256=sha, document_id=document_id, number=number,
                                                 name=path.name, path=str(path), size=len(data),
                                                 content=data, added_at=_now()))
        return Registration(document_id, sha, path.name, status, str(path))

    def content(self, sha: str) -> bytes:
        with self.engine.connect() as conn:
            return conn.execute(select(versions.c.content).where(versions.c.sha256 == sha)).scalar_one()

    def current_versions(self, document_id: str | None = None) -> list[Registration]:
        query = (select(documents.c.id, documents.c.current_sha256, versions.c.name)
                 .join(versions, versions.c.sha256 == documents.c.current_sha256)
                 .order_by(documents.c.created_at, documents.c.id))
        if document_id:
            query = query.where(documents.c.id == document_id)
        with self.engine.connect() as conn:
            return [Registration(r.id, r.current_sha256, r.name, "known") for r in conn.execute(query)]

    def paths(self) -> dict[str, str]:
        """document id -> the path it was last added from."""
        with self.engine.connect() as conn:
            return {r.id: r.path for r in conn.execute(select(documents.c.id, documents.c.path))}

    def is_current(self, sha: str, pipeline_version: str) -> bool:
        """Processed without error by this pipeline version: nothing to redo."""
        with self.engine.connect() as conn:
            row = conn.execute(select(processing.c.pipeline_version, processing.c.status)
                               .where(processing.c.sha256 == sha)).first()
        return row is not None and row.status == "ok" and row.pipeline_version == pipeline_version

    # -- results -----------------------------------------------------------------------------
    def write_results(self, registration: Registration, document: IngestedDocument, found: list,
                      rejected: list[tuple[dict, str]], pipeline_version: str, run_id: int | None,
                      sentences: list | None = None, misses: list | None = None) -> Diff:
        """Replace a document's records with a run's, in one transaction; return what changed.
        Reviewers' decisions are carried over in the same transaction (output/review.py)."""
        from .review import reconcile

        diff = Diff()
        new = {}
        for record in found:
            record = record.model_copy(update={"document_id": registration.document_id})
            if record.evidence.end > len(document.text):
                rejected.append((record.model_dump(mode="json"), "evidence offsets outside the document text"))
                continue
            new[record.id] = record
        with self.engine.begin() as conn:
            revised = self._revision_of(conn, registration, document)
            if revised is not None:
                registration = dataclasses.replace(registration, document_id=revised, status="version")
                new = {k: r.model_copy(update={"document_id": revised}) for k, r in new.items()}
                diff.version_of = revised
            old = {row.id: row.kind for row in conn.execute(
                select(records.c.id, records.c.kind).where(records.c.document_id == registration.document_id))}
            old_descriptions = {row.id: row.data for row in conn.execute(
                select(records.c.id, records.c.data).where(records.c.id.in_(set(old) - set(new))))}
            for record_id, kind in old.items():
                if record_id in new:
                    diff.kinds[kind].kept += 1
                else:
                    diff.kinds[kind].removed.append(f"{record_id}  {_describe_json(old_descriptions[record_id])}")
            for record_id, record in new.items():
                if record_id not in old:
                    diff.kinds[record.kind].added.append(f"{record_id}  {describe(record)}")
            conn.execute(delete(records).where(records.c.document_id == registration.document_id))
            conn.execute(delete(quarantine).where(quarantine.c.document_id == registration.document_id))
            if new:
                conn.execute(insert(records), [
                    {"id": r.id, "document_id": registration.document_id, "sha256": registration.sha256,
                     "kind": r.kind, "data": r.model_dump_json(), "pipeline_version": pipeline_version,
                     "run_id": run_id} for r in new.values()])
            if rejected:
                conn.execute(insert(quarantine), [
                    {"document_id": registration.document_id, "sha256": registration.sha256,
                     "kind": quarantine_kind(raw), "data": json.dumps(raw, default=str), "reason": reason,
                     "run_id": run_id} for raw, reason in rejected])
            conn.execute(delete(texts).where(texts.c.sha256 == registration.sha256))
            conn.execute(insert(texts).values(
                sha256=registration.sha256, media_type=document.media_type, title=document.title,
                publication_date=document.publication_date, page_count=document.page_count,
                text=document.text, pages=json.dumps([p.model_dump() for p in document.pages]),
                notes=json.dumps([n.model_dump() for n in document.notes]),
                sentences=json.dumps(sentences or []), misses=json.dumps(misses or [])))
            reconcile(conn, registration.document_id, new)
            self._mark(conn, registration.sha256, pipeline_version, "ok", None, run_id)
        return diff

    @staticmethod
    def _revision_of(conn, registration: Registration, document: IngestedDocument) -> str | None:
        """A file first registered under a new path whose text, now known, is mostly the same
        as a stored document's of the same media type (output/revisions.py: the measure that
        makes a text and a PDF one paper with two sources) is a new version of that document,
        as if it had arrived at the document's path: its version moves there (numbered next),
        becomes current, and the document takes its name and path; the stand-alone document
        made by `register` is removed. The earlier file stays the earlier version, its bytes
        kept, and `reprocess --changed` watches the new path only. Only at the file's first
        processing (never for a document already shown with its own text or records), only
        onto a version registered no later than this one, and only where the earlier file is no
        longer at its path: a revision renamed or downloaded anew replaces its file, while two
        files kept side by side are two documents the analyst keeps (and a batch of near copies
        costs no comparison of every pair). Returns the document id, or None."""
        from .revisions import MOSTLY_THE_SAME, overlap, shingles

        mine = registration.document_id
        own = conn.execute(select(versions.c.sha256, versions.c.added_at)
                           .where(versions.c.document_id == mine)).all()
        if [r.sha256 for r in own] != [registration.sha256] or not document.text.strip():
            return None
        shown = [select(texts.c.sha256).where(texts.c.sha256 == registration.sha256),
                 select(records.c.id).where(records.c.document_id == mine).limit(1),
                 select(reviews.c.record_id).where(reviews.c.document_id == mine).limit(1)]
        if any(conn.execute(query).first() for query in shown):
            return None
        size = len(document.text)
        candidates = conn.execute(
            select(documents.c.id, documents.c.path, texts.c.text)
            .join(texts, texts.c.sha256 == documents.c.current_sha256)
            .join(versions, versions.c.sha256 == documents.c.current_sha256)
            .where(documents.c.id != mine, texts.c.media_type == document.media_type,
                   versions.c.added_at <= own[0].added_at,
                   func.length(texts.c.text).between(size // 2, size * 2))
            .order_by(documents.c.created_at, documents.c.id)).all()
        candidates = [c for c in candidates if not Path(c.path).exists()]
        if not candidates:
            return None
        grams = shingles(document.text)
        scored = [(overlap(grams, shingles(c.text)), c.id) for c in candidates]
        best = max(scored, key=lambda t: t[0], default=(0.0, None))   # ties: the oldest document
        if best[1] is None or best[0] < MOSTLY_THE_SAME:
            return None
        target = best[1]
        number = 1 + conn.execute(select(func.count()).select_from(versions)
                                  .where(versions.c.document_id == target)).scalar_one()
        conn.execute(update(versions).where(versions.c.sha256 == registration.sha256)
                     .values(document_id=target, number=number))
        row = conn.execute(select(versions.c.name, versions.c.path)
                           .where(versions.c.sha256 == registration.sha256)).one()
        conn.execute(update(documents).where(documents.c.id == target)
                     .values(current_sha256=registration.sha256, name=row.name, path=row.path))
        conn.execute(delete(quarantine).where(quarantine.c.document_id == mine))
        conn.execute(delete(documents).where(documents.c.id == mine))
        return target

    def record_failure(self, sha: str, pipeline_version: str, error: str, run_id: int | None) -> None:
        """A document that failed keeps its earlier records; the failure is kept with its reason."""
        with self.engine.begin() as conn:
            self._mark(conn, sha, pipeline_version, "failed", error, run_id)

    @staticmethod
    def _mark(conn, sha: str, pipeline_version: str, status: str, error: str | None, run_id) -> None:
        conn.execute(delete(processing).where(processing.c.sha256 == sha))
        conn.execute(insert(processing).values(sha256=sha, pipeline_version=pipeline_version, status=status,
                                               error=error, run_id=run_id, processed_at=_now()))

    # -- reading -----------------------------------------------------------------------------
    def records(self, kind: str | None = None, document: str | None = None) -> Iterator:
        """Stored records, validated; a row that fails validation raises StoreError naming it."""
        for record_id, data in self.rows(kind, document):
            yield self.load(record_id, data)

    def rows(self, kind: str | None = None, document: str | None = None) -> Iterator[tuple[str, str]]:
        """(id, JSON) of stored records, unvalidated: for callers that handle bad rows one by one."""
        query = select(records.c.id, records.c.data).order_by(records.c.document_id, records.c.kind, records.c.id)
        if kind:
            query = query.where(records.c.kind == kind)
        if document:
            ids = select(documents.c.id).where((documents.c.id == document) | (documents.c.name == document))
            query = query.where(records.c.document_id.in_(ids))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield row.id, row.data

    @staticmethod
    def load(record_id: str, data: str):
        try:
            record = RECORD.validate_json(data)
        except ValidationError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise StoreError("store", "E201", record=record_id, reason=reason) from exc
        if record.id != record_id:
            raise StoreError("store", "E201", record=record_id, reason=f"its data carries id {record.id}")
        return record

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            by_kind = dict(conn.execute(select(records.c.kind, func.count()).group_by(records.c.kind)).all())
            by_kind["quarantined"] = conn.execute(select(func.count()).select_from(quarantine)).scalar_one()
            by_kind["documents"] = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        return by_kind

    def quarantined(self, document: str | None = None, record: int | None = None) -> list[dict]:
        """Quarantined records with their reason, kind and evidence, newest document first;
        `record`: one quarantine row by its number (StoreError when there is none)."""
        query = (select(quarantine, documents.c.name.label("document"))
                 .join(documents, documents.c.id == quarantine.c.document_id).order_by(quarantine.c.id))
        if document:
            query = query.where((documents.c.id == document) | (documents.c.name == document))
        if record is not None:
            query = query.where(quarantine.c.id == record)
        with self.engine.connect() as conn:
            rows = [_quarantine_row(row) for row in conn.execute(query)]
        if record is not None and not rows:
            raise StoreError("quarantine", "E206", record=record)
        return rows

    def failures(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(r.name, r.error) for r in conn.execute(
                select(versions.c.name, processing.c.error).join(versions, versions.c.sha256 == processing.c.sha256)
                .where(processing.c.status == "failed"))]

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, command_line: str, pipeline_version: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(runs).values(command=command_line, pipeline_version=pipeline_version,
                                                    started_at=_now(), status="running")
                                .returning(runs.c.id)).scalar_one()

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id)
                         .values(finished_at=_now(), status=status, summary=json.dumps(summary)))


KIND_FIELDS = {"event": ("event_type", "date_text", "precision"), "figure": ("value", "unit"),
               "actor": ("mention", "name")}


def quarantine_kind(raw: dict) -> str | None:
    """The kind of a record that failed validation: its own `kind`, else the fields it
    carries (a rejected raw record may have no kind: the model sets it only on success)."""
    kind = raw.get("kind")
    if kind in KIND_FIELDS:
        return kind
    return next((k for k, names in KIND_FIELDS.items() if any(n in raw for n in names)), None)


def _quarantine_row(row) -> dict:
    """One quarantine row for people: its data parsed, its kind known, its evidence apart."""
    try:
        data = json.loads(row.data)
    except ValueError:
        data = {"unreadable": row.data}
    kind = row.kind if row.kind in KIND_FIELDS else quarantine_kind(data) if isinstance(data, dict) else None
    evidence = data.get("evidence") if isinstance(data, dict) else None
    return {"id": row.id, "document_id": row.document_id, "document": row.document, "sha256": row.sha256,
            "kind": kind or "unknown", "reason": row.reason, "run_id": row.run_id,
            "evidence": evidence if isinstance(evidence, dict) else {}, "data": data}


def _describe_json(data: str) -> str:
    try:
        return describe(RECORD.validate_json(data))
    except ValidationError:
        return "(invalid row)"

