"""PostgreSQL for the tests, one helper for every suite that runs on it (the store's, the web's races, the
robustness runs): the server (``JIXIAO_TEST_PG``, or ``off`` to skip PostgreSQL), a fresh database per test
session (fixture ``pg_database`` in tests/conftest.py) and a fresh schema per test or module inside it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_SERVER = os.environ.get("JIXIAO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def unreachable() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    if PG_SERVER == "off":
        return "JIXIAO_TEST_PG=off"
    try:
        import psycopg

        with psycopg.connect(PG_SERVER.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # any failure to connect means: no server for this run
        return f"PostgreSQL unreachable at {PG_SERVER}: {type(exc).__name__}"


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new database on the server, its URL; dropped afterwards.  Skips the test when the server does not answer."""
    why = unreachable()
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


@contextmanager
def fresh_schema(database: str) -> Iterator[str]:
    """A new schema in ``database`` (a URL), the URL that makes it the search path; dropped afterwards."""
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
