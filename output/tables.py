"""The store's tables, as SQLAlchemy Core. Migrations in output/migrations create them; this
module is what queries use. One row per document, per stored version (its bytes and clean
text), per current record, per quarantined record, per processing outcome and per run."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(16), primary_key=True),          # from the first version's sha256
    Column("name", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("current_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)

versions = Table(
    "versions", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("added_at", String(32), nullable=False),
)

texts = Table(
    "texts", metadata,
    Column("sha256", String(64), ForeignKey("versions.sha256"), primary_key=True),
    Column("media_type", String(32), nullable=False),
    Column("title", Text),
    Column("publication_date", String(10)),
    Column("page_count", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("pages", Text, nullable=False),               # JSON list of {number, start, end}
    Column("notes", Text, nullable=False),               # JSON list of {page, marker, text}
    Column("sentences", Text, nullable=False, default="[]"),  # JSON list of [start, end]
    Column("misses", Text, nullable=False, default="[]"),     # JSON list of {start, end, cues}
)

processing = Table(
    "processing", metadata,
    Column("sha256", String(64), ForeignKey("versions.sha256"), primary_key=True),
    Column("pipeline_version", String(32), nullable=False),
    Column("status", String(16), nullable=False),         # ok | failed
    Column("error", Text),
    Column("run_id", Integer),
    Column("processed_at", String(32), nullable=False),
)

records = Table(
    "records", metadata,
    Column("id", String(16), primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("data", Text, nullable=False),                 # the record as JSON
    Column("pipeline_version", String(32), nullable=False),
    Column("run_id", Integer),
    Index("ix_records_document_kind", "document_id", "kind"),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(16), ForeignKey("documents.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(16)),
    Column("data", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("run_id", Integer),
    Index("ix_quarantine_document", "document_id"),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", Text, nullable=False),
    Column("pipeline_version", String(32), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("status", String(16), nullable=False),
    Column("summary", Text),
)

reviews = Table(
    "reviews", metadata,
    Column("record_id", String(16), primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),        # accepted | rejected | edited
    Column("data", Text, nullable=False),                 # the record as the reviewer left it
    Column("anchor", Text, nullable=False),               # kind and evidence position: finds it again
    Column("origin", String(16), nullable=False),         # extracted | added (by a reviewer)
    Column("flagged", Boolean, nullable=False, default=False),
    Column("flag_reason", Text),
    Column("reviewer", Text, nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("version", Integer, nullable=False),           # optimistic lock: +1 per decision
    Column("reading", Text),                              # the extractor's normalised reading (0003)
    Column("previous_text", Text),                        # the sentence before a revision edited it
    Column("note", Text),
    Column("reason", Text),                               # why a record was rejected
    Index("ix_reviews_document", "document_id"),
)

review_history = Table(
    "review_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("data", Text),
    Column("note", Text),
    Column("status", String(16)),                         # the status this entry left (0003)
    Column("undone", Boolean, nullable=False, default=False),
    Index("ix_review_history_record", "record_id"),
)

miss_decisions = Table(
    "miss_decisions", metadata,
    Column("document_id", String(16), ForeignKey("documents.id"), primary_key=True),
    Column("sentence_key", String(16), primary_key=True),  # hash of the sentence text: survives revisions
    Column("action", String(16), nullable=False),          # dismissed | converted
    Column("reviewer", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
