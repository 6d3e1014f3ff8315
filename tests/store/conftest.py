"""Store fixtures: every store test runs against SQLite and, when the server answers, PostgreSQL.

PostgreSQL: one fresh database per test session (dropped at the end), one fresh schema per test inside it.
Set ``JIXIAO_TEST_PG`` to another server URL, or to ``off`` to skip PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jixiao.store import open_engine

PG_SERVER = os.environ.get("JIXIAO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "src" / "jixiao" / "samples").glob("*.txt"))


def _pg_reachable() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    if PG_SERVER == "off":
        return "JIXIAO_TEST_PG=off"
    try:
        import psycopg

        with psycopg.connect(PG_SERVER.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # any failure to connect means: no server for this run
        return f"PostgreSQL unreachable at {PG_SERVER}: {type(exc).__name__}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; its URL (dropped afterwards)."""
    why = _pg_reachable()
    if why:
        pytest.skip(why)
    import psycopg

    name = f"jixiao_test_{uuid.uuid4().hex[:12]}"
    admin = PG_SERVER.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _old = PG_SERVER.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_schema_url(request: pytest.FixtureRequest) -> Iterator[str]:
    database: str = request.getfixturevalue("pg_database")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = database.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{database}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jixiao.db'}"
    else:
        yield from _pg_schema_url(request)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return SEEDS
