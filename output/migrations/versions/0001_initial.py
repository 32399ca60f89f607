"""Initial store: documents, versions, texts, processing, records, quarantine, runs.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("current_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table(
        "versions",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False))
    op.create_table(
        "texts",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("versions.sha256"), primary_key=True),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("publication_date", sa.String(10)),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("pages", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False))
    op.create_table(
        "processing",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("versions.sha256"), primary_key=True),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("run_id", sa.Integer),
        sa.Column("processed_at", sa.String(32), nullable=False))
    op.create_table(
        "records",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("run_id", sa.Integer))
    op.create_index("ix_records_document_kind", "records", ["document_id", "kind"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer))
    op.create_index("ix_quarantine_document", "quarantine", ["document_id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text))


def downgrade() -> None:
    for table in ("runs", "quarantine", "records", "processing", "texts", "versions", "documents"):
        op.drop_table(table)
