"""`jixiao db check`, `jixiao db upgrade` and `jixiao rm` on real stores."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.ingest import ingest_files
from jixiao.store import open_engine
from jixiao.store.engine import HEAD, migrations_dir
from jixiao.store.integrity import check_store
from jixiao.store.query import table_counts

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples").glob("*.txt"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    engine = open_engine(str(db))
    try:
        ingest_files(engine, SAMPLES[:2], workers=1)
    finally:
        engine.dispose()
    return db


def _run(*argv: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(argv))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_db_check_passes_on_a_sound_store_and_names_what_breaks_an_invariant(store: Path) -> None:
    code, output = _run("db", "check", "--db", str(store))
    assert code == 0, output
    assert "数据库检查通过" in output, output
    with sqlite3.connect(store) as conn:  # break the invariants behind the store's back
        conn.execute("PRAGMA foreign_keys=OFF")
        sha = conn.execute("SELECT sha256 FROM source_files LIMIT 1").fetchone()[0]
        conn.execute("UPDATE source_files SET content = X'00' WHERE sha256 = ?", (sha,))
        conn.execute("INSERT INTO findings (sha256, document_id, ordinal, code, severity, message) "
                     "VALUES (?, 999999, 1, 'X', 'error', 'x')", (sha,))  # fmt: skip
    code, output = _run("db", "check", "--db", str(store))
    assert code == 1, output
    assert "原始文件内容与记录不符" in output, output
    assert "findings.document_id" in output, output


def test_db_check_reports_a_page_corrupted_store(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    data = bytearray(store.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for p in range(2, len(data) // page):
        data[p * page + 8 : p * page + 40] = b"\xff" * 32
    store.write_bytes(bytes(data))
    code, output = _run("db", "check", "--db", str(store))
    assert code in (1, 2), output
    assert "损坏" in output or "完整性检查未通过" in output, output
    assert len([ln for ln in output.splitlines() if ln.strip()]) <= 3


def test_db_upgrade_brings_an_older_schema_to_head(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    db = tmp_path / "old.db"
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    command.upgrade(cfg, "0001")
    code, output = _run("projects", "--db", str(db))
    assert code == 2, output
    assert "jixiao db upgrade" in output, output
    code, output = _run("db", "upgrade", "--db", str(db))
    assert code == 0, output
    assert f"升级到 {HEAD}" in output, output
    code, output = _run("db", "upgrade", "--db", str(db))
    assert code == 0, output
    assert "无需升级" in output, output
    code, output = _run("db", "check", "--db", str(db))
    assert code == 0, output


def test_rm_is_a_dry_run_until_yes_and_is_recorded(store: Path) -> None:
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    code, output = _run("rm", "D1", "--db", str(store))
    assert code == 0, output
    assert "预演" in output, output
    assert "D1 " in output, output
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    engine = open_engine(str(store))
    try:
        counts = table_counts(engine.connect())
    finally:
        engine.dispose()
    code, output = _run("rm", "D1", "--yes", "--db", str(store))
    assert code == 0, output
    assert "已删除 1 份文档" in output, output
    engine = open_engine(str(store))
    try:
        with engine.connect() as conn:
            after = table_counts(conn)
            logged = conn.execute(
                text("SELECT outcome, reason FROM run_files WHERE outcome = 'removed'")
            ).all()
            gone = conn.execute(text("SELECT count(*) FROM documents WHERE id = 1")).scalar()
        assert check_store(engine).ok
        # the bytes are kept: re-ingesting the same file does not bring the document back
        ingest_files(engine, SAMPLES[:2], workers=1)
        with engine.connect() as conn:
            again = conn.execute(text("SELECT count(*) FROM documents WHERE id = 1")).scalar()
    finally:
        engine.dispose()
    assert gone == 0
    assert again == 0
    assert after["documents"] == counts["documents"] - 1
    assert after["source_files"] == counts["source_files"]
    assert len(logged) == 1
    assert "D1" in logged[0][1]


def test_rm_a_file_with_purge_deletes_its_bytes_and_allows_a_fresh_ingest(store: Path) -> None:
    code, output = _run("rm", str(SAMPLES[0].resolve()), "--purge", "--yes", "--db", str(store))
    assert code == 0, output
    assert "原始文件一并删除" in output, output
    engine = open_engine(str(store))
    try:
        with engine.connect() as conn:
            sha = hashlib.sha256(SAMPLES[0].read_bytes()).hexdigest()
            left = conn.execute(
                text("SELECT count(*) FROM source_files WHERE sha256 = :s"), {"s": sha}
            ).scalar()
            purged = conn.execute(text("SELECT count(*) FROM run_files WHERE outcome = 'purged'")).scalar()
        assert left == 0
        assert purged == 1
        assert check_store(engine).ok
        report = ingest_files(engine, [SAMPLES[0]], workers=1)
        assert report.documents > 0
    finally:
        engine.dispose()


def test_rm_of_what_is_not_there_is_one_line(store: Path) -> None:
    code, output = _run("rm", "D9999", "--db", str(store))
    assert code == 1, output
    assert len(output.strip().splitlines()) == 1, output
    assert "D9999" in output, output
    code, output = _run("rm", "P1", "--db", str(store))
    assert code == 0, output
    assert "将删除" in output, output
