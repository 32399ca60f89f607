"""Review workbench: what a decision needs to follow a revised paper (the extractor's reading
and the sentence it was read from), a note and a reject reason per decision, the status each
history entry left (so a decision can be undone), and the reviewers' answers on misses.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("reading", sa.Text))          # normalised reading of the extractor's record
        batch.add_column(sa.Column("previous_text", sa.Text))    # the sentence before a revision edited it
        batch.add_column(sa.Column("note", sa.Text))
        batch.add_column(sa.Column("reason", sa.Text))           # why a record was rejected
    with op.batch_alter_table("review_history") as batch:
        batch.add_column(sa.Column("status", sa.String(16)))     # the status this entry left
        batch.add_column(sa.Column("undone", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "miss_decisions",
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("sentence_key", sa.String(16), primary_key=True),   # hash of the sentence text
        sa.Column("action", sa.String(16), nullable=False),            # dismissed | converted
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False))


def downgrade() -> None:
    op.drop_table("miss_decisions")
    with op.batch_alter_table("review_history") as batch:
        batch.drop_column("undone")
        batch.drop_column("status")
    with op.batch_alter_table("reviews") as batch:
        for name in ("reason", "note", "previous_text", "reading"):
            batch.drop_column(name)
