"""Alembic environment: runs migrations on the engine handed over by siaga.store.open_store."""

from alembic import context

from siaga.store.schema import metadata

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
