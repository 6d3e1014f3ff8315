"""Engines: which database, how SQLite is tuned (WAL, busy timeout, BEGIN IMMEDIATE for writes), migrations.

The database is ``jixiao.db`` in the working directory unless ``--db`` or ``JIXIAO_DB`` names another: any
SQLAlchemy URL, or a plain file path for SQLite.  ``postgresql://`` URLs use psycopg 3.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

DEFAULT_FILE = "jixiao.db"
ENV_VAR = "JIXIAO_DB"
HEAD = "0002"  # the newest migration; tests check it against the migration scripts
BUSY_TIMEOUT_S = 120.0
CACHE_KIB = 32768  # SQLite page cache per connection: large files' rows and indexes stay in memory
_BEGIN_OPTION = "jixiao_begin"


class StoreError(Exception):
    """The database cannot be opened or migrated; the message is one line naming the cause."""


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` (or ``JIXIAO_DB``, or ``jixiao.db`` here); plain paths mean SQLite."""
    raw = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in raw:
        return f"sqlite:///{raw}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_text(value: Any) -> str:
    """JSON columns: compact, and Chinese as UTF-8 rather than \\u escapes (half the bytes)."""
    return _ENCODER.encode(value)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a long busy timeout and explicit BEGIN control."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url}: 不是有效的数据库地址") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return create_engine(url, pool_pre_ping=True, json_serializer=json_text)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"{database}: 目录不存在")
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "isolation_level": None}, json_serializer=json_text
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: on SQLite it takes the write lock at BEGIN (``BEGIN IMMEDIATE``), so two
    processes never both read, then both try to write; everything inside commits or rolls back together."""
    with engine.connect() as conn:
        if is_sqlite(conn):
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            yield conn


def migrations_dir() -> Path:
    return Path(str(resources.files("jixiao.store") / "migrations"))


def current_revision(conn: Connection) -> str | None:
    """The migration the database is at, or None for an empty database."""
    try:
        with conn.begin_nested() if conn.in_transaction() else _null():
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):
        return None
    return None if row is None else str(row[0])


@contextmanager
def _null() -> Iterator[None]:
    yield


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, safely when several processes start at once."""
    with engine.connect() as probe:
        if current_revision(probe) == HEAD:
            probe.rollback()
            return
        probe.rollback()
    from alembic import command
    from alembic.config import Config

    with writing(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7242001)"))  # one migrator at a time
        if current_revision(conn) == HEAD:
            return
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir()))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(db: str | None = None, *, upgrade: bool = True) -> Engine:
    """Resolve, connect and (by default) migrate; raises :class:`StoreError` with a one-line reason."""
    url = resolve_url(db)
    engine = make_engine(url)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise StoreError(f"{_safe(url)}: 无法打开数据库（{reason}）") from exc
    return engine


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
