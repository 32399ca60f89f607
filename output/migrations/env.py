"""Alembic environment: runs on the connection briefex hands it (see output/store.py)."""
from alembic import context

from briefex.output.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
