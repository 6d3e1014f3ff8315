"""Every store command against every kind of bad store: one line naming the store and the cause, exit 2, no
traceback, and the file unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.ingest import ingest_files
from jixiao.store import open_engine

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples").glob("*.txt"))
COMMANDS: list[list[str]] = [
    ["projects"],
    ["summary"],
    ["show", "P1"],
    ["export", "-f", "json"],
    ["link"],
    ["ingest", "-q", str(SAMPLES[0])],
]


def _good(path: Path) -> None:
    engine = open_engine(str(path))
    try:
        assert ingest_files(engine, [SAMPLES[0]], workers=1).documents > 0
    finally:
        engine.dispose()
    with sqlite3.connect(path) as conn:  # everything into the main file, so damaging it damages the store
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")


def _half(path: Path) -> None:
    _good(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt(path: Path) -> None:
    _good(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for p in range(1, len(data) // page):
        data[p * page + 8 : p * page + 60] = os.urandom(52)
    path.write_bytes(bytes(data))


def _other(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, name TEXT)")


STORES: dict[str, tuple[Callable[[Path], object] | None, str]] = {
    "missing": (None, "数据库不存在"),
    "empty": (lambda p: p.write_bytes(b""), "空文件"),
    "random": (lambda p: p.write_bytes(os.urandom(5000)), "不是 SQLite 数据库"),
    "text": (lambda p: p.write_text("项目,年度\n一,2023\n", encoding="utf-8"), "文本文件"),
    "half": (_half, "不完整"),
    "corrupt": (_corrupt, "损坏"),
    "other": (_other, "customers"),
}


@pytest.mark.parametrize("store", sorted(STORES))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_sqlite_store(store: str, command: list[str], tmp_path: Path) -> None:
    path = tmp_path / f"{store}.db"
    make, cause = STORES[store]
    if make is not None:
        make(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    result = CliRunner().invoke(app, [*command, "--db", str(path)])
    if command[0] == "ingest" and store == "missing":  # the one command that creates a store
        assert result.exit_code == 0, result.output
        assert path.exists(), result.output
        return
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert str(path) in lines[0], result.output
    assert cause in lines[0], result.output
    assert "Traceback" not in result.output
    after = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    assert after == before


@pytest.mark.parametrize(
    ("url", "cause"),
    [
        ("foo://x/y", "不支持的数据库类型"),
        ("mysql://u@127.0.0.1/d", "缺少数据库驱动"),
        ("postgresql://nobody@127.0.0.1:1/none", "无法打开数据库"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_store_url(url: str, cause: str, command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert cause in lines[0], result.output


def test_export_counts_what_it_writes_and_refuses_an_empty_selection(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    engine = open_engine(str(db))
    try:
        ingest_files(engine, SAMPLES, workers=1)
    finally:
        engine.dispose()
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(app, ["export", "-f", "xlsx", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    import openpyxl

    sheets = len(openpyxl.load_workbook(out).worksheets)
    assert f"已导出 {sheets} 份" in result.output
    empty = CliRunner().invoke(
        app,
        [
            "export",
            "-f",
            "xlsx",
            "--kind",
            "target_declaration",
            "--year",
            "1999",
            "-o",
            str(out),
            "--db",
            str(db),
        ],
    )
    assert empty.exit_code == 1
    assert "没有可导出的文档" in empty.output
    csv_bom = CliRunner().invoke(app, ["export", "-f", "csv", "--db", str(db)])
    assert csv_bom.stdout.startswith("\ufeff")
    plain = CliRunner().invoke(app, ["export", "-f", "csv", "--no-bom", "--db", str(db)])
    assert plain.stdout.startswith("project_id")


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("jixiao ")


# ---------------------------------------------------------------- a read-only store
# Root ignores file permissions (chmod 444 does not stop it writing), so the store is made immutable with
# ``chattr +i`` when running as root: the kernel then refuses every write, root's included, and ``access(W_OK)``
# says so.  Other users get ``chmod 444``.  Where neither can make the file read-only the test is skipped.

READ_COMMANDS = [c for c in COMMANDS if c[0] in ("projects", "summary", "show", "export")]
WRITE_COMMANDS = [c for c in COMMANDS if c[0] in ("link", "ingest")] + [
    ["rm", "D1", "--yes"],
    ["db", "upgrade"],
]


@pytest.fixture
def readonly_store(tmp_path: Path) -> Iterator[Path]:
    import shutil
    import subprocess

    path = tmp_path / "ro.db"
    _good(path)
    engine = open_engine(str(path))  # link now, so that the read commands have nothing left to write
    try:
        from jixiao.store import ensure_linked

        ensure_linked(engine)
    finally:
        engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root and chattr +i is not available: cannot make a read-only file")
        try:
            yield path
        finally:
            subprocess.run([chattr, "-i", str(path)], check=False)
    else:
        path.chmod(0o444)
        try:
            yield path
        finally:
            path.chmod(0o644)


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_read_a_read_only_store(command: list[str], readonly_store: Path) -> None:
    assert not os.access(readonly_store, os.W_OK)
    before = hashlib.sha256(readonly_store.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, [*command, "--db", str(readonly_store)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(readonly_store.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=lambda c: c[0])
def test_write_commands_refuse_a_read_only_store_saying_why(command: list[str], readonly_store: Path) -> None:
    before = hashlib.sha256(readonly_store.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, [*command, "--db", str(readonly_store)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert str(readonly_store) in lines[0], result.output
    assert "只读" in lines[0], result.output
    assert hashlib.sha256(readonly_store.read_bytes()).hexdigest() == before
