"""Alembic environment: migrations run on the connection :func:`jixiao.store.engine.migrate` hands over
(inside its write transaction), or on ``sqlalchemy.url`` when run from the alembic command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from jixiao.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: set sqlalchemy.url or use `jixiao` (it migrates on open)")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


run()
