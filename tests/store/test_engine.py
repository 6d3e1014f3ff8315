"""Which database a command opens, and how SQLite is set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from jixiao.store import StoreError, open_engine, resolve_url
from jixiao.store.engine import HEAD


def test_database_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_DB", raising=False)
    assert resolve_url() == "sqlite:///jixiao.db"
    assert resolve_url("data/x.db") == "sqlite:///data/x.db"
    assert resolve_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    assert resolve_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    monkeypatch.setenv("JIXIAO_DB", "postgres://u@h/d")
    assert resolve_url() == "postgresql+psycopg://u@h/d"
    assert resolve_url("other.db") == "sqlite:///other.db"  # --db wins over JIXIAO_DB


def test_sqlite_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "x.db"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    finally:
        engine.dispose()


def test_unreachable_server_is_one_line() -> None:
    with pytest.raises(StoreError) as info:
        open_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "\n" not in str(info.value)
    assert "无法打开数据库" in str(info.value)
