"""Reviews: analysts' decisions (kept apart from extractor output, so they survive reprocessing),
their history, and per-version sentence spans and missed-record cues for the review page.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("record_id", sa.String(16), primary_key=True),
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("anchor", sa.Text, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("flag_reason", sa.Text),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False))
    op.create_index("ix_reviews_document", "reviews", ["document_id"])
    op.create_table(
        "review_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("data", sa.Text),
        sa.Column("note", sa.Text))
    op.create_index("ix_review_history_record", "review_history", ["record_id"])
    with op.batch_alter_table("texts") as batch:
        batch.add_column(sa.Column("sentences", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("misses", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("texts") as batch:
        batch.drop_column("misses")
        batch.drop_column("sentences")
    op.drop_table("review_history")
    op.drop_table("reviews")
