"""Normalised snapshots of what users read: ``show``, ``summary``, ``projects --json`` and ``check --format
sarif`` over the seeds.  A change to any of them shows as a diff to review (``pytest --snapshot-update`` accepts
it); paths, versions and the run's temporary folder are normalised so the snapshots hold only what matters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import ROOT, SEEDS

WIDTH = 160  # the terminal the tables are drawn for


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _normal(text: str, tmp: Path) -> str:
    return text.replace(str(tmp), "<tmp>").replace(str(ROOT), "<repo>")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("snap")
    db = str(tmp / "jixiao.db")
    _run("ingest", "--quiet", "--no-waivers", "--db", db, "-j", "1", *map(str, SEEDS))
    return db, tmp


def test_projects_json(store: tuple[str, Path], snapshot: SnapshotAssertion) -> None:
    db, tmp = store
    data: list[dict[str, Any]] = json.loads(_run("projects", "--json", "--db", db))
    assert _normal(json.dumps(data, ensure_ascii=False, indent=1), tmp) == snapshot


def test_summary(store: tuple[str, Path], snapshot: SnapshotAssertion) -> None:
    db, tmp = store
    assert _normal(_run("summary", "--db", db), tmp) == snapshot


@pytest.mark.parametrize("ref", ["在线学习工作经费", "信息化运维项目"])
def test_show(store: tuple[str, Path], snapshot: SnapshotAssertion, ref: str) -> None:
    db, tmp = store
    listed = json.loads(_run("projects", "--json", "--db", db))
    pid = next(p["id"] for p in listed if p["name"] == ref)
    assert _normal(_run("show", f"P{pid}", "--db", db), tmp) == snapshot


def test_check_sarif(snapshot: SnapshotAssertion, tmp_path: Path) -> None:
    text = _run("check", "--format", "sarif", "--no-waivers", *map(str, SEEDS))
    sarif = json.loads(text)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    sarif["runs"][0]["tool"]["driver"]["version"] = "<version>"
    assert _normal(json.dumps(sarif, ensure_ascii=False, indent=1), tmp_path) == snapshot
