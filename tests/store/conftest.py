"""Store fixtures: every store test runs against SQLite and, when the server answers, PostgreSQL.

PostgreSQL (:mod:`tests.pg`): one fresh database per test session (dropped at the end), one fresh schema per test
inside it.  Set ``JIXIAO_TEST_PG`` to another server URL, or to ``off`` to skip PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jixiao.store import open_engine
from tests.conftest import pg_database as pg_database  # re-exported: tests/robust imports it from here
from tests.pg import fresh_schema

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "src" / "jixiao" / "samples").glob("*.txt"))


def _pg_schema_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh schema of its own in this session's PostgreSQL database (:mod:`tests.pg`)."""
    with fresh_schema(request.getfixturevalue("pg_database")) as url:
        yield url


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
