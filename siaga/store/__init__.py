"""Storage adapter: SQLAlchemy tables, Alembic migrations, bulk loading; SQLite and PostgreSQL."""

from siaga.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
