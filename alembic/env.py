"""Alembic environment: targets SQLModel.metadata; batch mode so SQLite can alter tables."""

from alembic import context
from sqlmodel import SQLModel

import literal_app.models  # noqa: F401  (registers the tables)
from literal_app.config import get_settings
from literal_app.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """PostgreSQL-only indexes (GIN, partial, covering: names ending in ``_gin``, ``_pg`` or
    ``_cover``) are created by hand in migrations, not from the models."""
    return not (type_ == "index" and name and name.endswith(("_gin", "_pg", "_cover")))


def run_migrations_offline() -> None:
    context.configure(url=get_settings().database_url, target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
