"""The store commands end to end: ingest, projects, show, link, export, summary (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jixiao import parse_file
from jixiao.cli import app
from jixiao.export.flat import COLUMN_NAMES
from jixiao.model import from_v1, to_v1
from jixiao.store import load_documents, open_engine
from jixiao.store.query import document_ids

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def _ingest(db_url: str, seeds: list[Path], *options: str) -> str:
    result = run("ingest", *map(str, seeds), "--db", db_url, "--quiet", *options)
    assert result.exit_code == 0, result.output
    assert "入库完成" in result.stdout
    assert "新增文档 27 份" in result.stdout
    return db_url


@pytest.fixture
def loaded(db_url: str, seeds: list[Path]) -> str:
    """A database holding the seeds; its URL."""
    return _ingest(db_url, seeds, "--no-check")


@pytest.fixture
def checked(db_url: str, seeds: list[Path]) -> str:
    """A database holding the seeds with the findings of the rule checks; its URL."""
    return _ingest(db_url, seeds)


def _projects(db: str) -> list[dict[str, Any]]:
    result = run("projects", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def _project_id(db: str, kind: str, year: int, name: str) -> int:
    for p in _projects(db):
        if any((d["kind"], d["year"], d["name"]) == (kind, year, name) for d in p["documents"]):
            return int(p["id"])
    raise AssertionError(name)


def test_projects_json_lists_documents_with_scores(checked: str) -> None:
    data = _projects(checked)
    assert len(data) == 19
    (online,) = [p for p in data if p["name"] == "在线学习工作经费"]
    assert [(d["year"], d["kind"], d["name"]) for d in online["documents"]] == [
        (2018, "target_declaration", "在线学习工作经费"),
        (2018, "evaluation_result", "在线学习工作经费项目"),
        (2022, "self_evaluation", "在线学习工作经费"),
    ]
    assert online["unit"] == "上海市干部教育中心"
    assert all(d["score"] == 1.0 and d["reason"] for d in online["documents"])
    assert sum(d["findings"] for p in data for d in p["documents"]) > 0  # ingest ran the rule checks


def test_show_prints_one_projects_timeline(loaded: str) -> None:
    result = run("show", "在线学习工作经费", "--db", loaded)
    assert result.exit_code == 0, result.output
    for text in ("时间线", "绩效目标申报表", "绩效评价结果信息表", "绩效自评表", "存在问题", "发布新课件"):
        assert text in result.stdout
    data = json.loads(run("show", "在线学习工作经费", "--db", loaded, "--json").stdout)
    assert [d["document"]["kind"] for d in data["documents"]] == [
        "target_declaration",
        "evaluation_result",
        "self_evaluation",
    ]
    ambiguous = run("show", "信息化运维项目", "--db", loaded)
    assert ambiguous.exit_code == 1
    assert "多个项目" in ambiguous.stderr
    assert run("show", "不存在的项目", "--db", loaded).exit_code == 1


def test_link_split_and_merge_from_the_command_line(loaded: str) -> None:
    online = _project_id(loaded, "evaluation_result", 2018, "在线学习工作经费项目")
    (p,) = [p for p in _projects(loaded) if p["id"] == online]
    result_doc = next(d["id"] for d in p["documents"] if d["kind"] == "evaluation_result")
    assert run("link", "--split", f"D{result_doc}", "--db", loaded).exit_code == 0
    assert _project_id(loaded, "evaluation_result", 2018, "在线学习工作经费项目") != online
    assert len(next(x for x in _projects(loaded) if x["id"] == online)["documents"]) == 2
    alone = _project_id(loaded, "evaluation_result", 2018, "在线学习工作经费项目")
    assert run("link", "--merge", f"P{online}", f"P{alone}", "--db", loaded).exit_code == 0
    assert len(next(x for x in _projects(loaded) if x["id"] == online)["documents"]) == 3
    a = _project_id(loaded, "self_evaluation", 2023, "信息化运维项目")
    b = _project_id(loaded, "self_evaluation", 2024, "信息化运维项目")
    merged = run("link", "--merge", f"P{a}", f"P{b}", "--db", loaded, "--json")
    assert merged.exit_code == 0
    assert len(json.loads(merged.stdout)) == 1
    assert run("link", "--split", f"P{a}", "--db", loaded).exit_code == 2  # split takes documents
    assert run("link", "--merge", "P1", "--db", loaded).exit_code == 2


def test_export_json_is_the_stored_v1(loaded: str) -> None:
    result = run("export", "--format", "json", "--db", loaded)
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    engine = open_engine(loaded)
    try:
        with engine.connect() as conn:
            docs = load_documents(conn, document_ids(conn))
    finally:
        engine.dispose()
    assert len(exported) == len(docs) == 27
    by_id = {e["store"]["document_id"]: e for e in exported}
    for i, doc in docs.items():
        item = dict(by_id[i])
        assert item.pop("store")["project_id"] > 0
        assert item == to_v1(doc)
        assert to_v1(from_v1(item), provenance=False) == to_v1(doc, provenance=False)


def test_export_flat_table_csv_and_parquet(loaded: str, seeds: list[Path], tmp_path: Path) -> None:
    result = run("export", "--format", "csv", "--db", loaded)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))  # Excel's BOM
    assert tuple(rows[0]) == COLUMN_NAMES
    engine = open_engine(loaded)
    try:
        with engine.connect() as conn:
            docs = load_documents(conn, document_ids(conn)).values()
    finally:
        engine.dispose()
    printed = sum(len(getattr(d, "indicators", [])) for f in seeds for d in parse_file(f).documents)
    assert (
        len(rows) == sum(len(getattr(d, "indicators", [])) for d in docs) == printed
    )  # the files, parsed apart
    online = [r for r in rows if r["project"] == "在线学习工作经费" and r["name"] == "支持学员账号数"]
    assert online
    assert online[0]["target"] == ">=36万"
    assert online[0]["year"] == "2022"
    assert online[0]["target_comparator"] == "≥"
    assert float(online[0]["target_value"]) == 360000
    assert online[0]["rule_score"] == "10"
    out = tmp_path / "flat.parquet"
    assert run("export", "-f", "parquet", "-o", str(out), "--db", loaded).exit_code == 0
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.column_names == list(COLUMN_NAMES)
    assert table.num_rows == len(rows)
    assert table.schema.field("weight").type == "double"


def test_export_xlsx_has_one_form_per_document(loaded: str, tmp_path: Path) -> None:
    out = tmp_path / "forms.xlsx"
    result = run("export", "-f", "xlsx", "-o", str(out), "--db", loaded)
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    titles = [ws["A1"].value for ws in load_workbook(out).worksheets]
    documents = json.loads(run("export", "-f", "json", "--db", loaded).stdout)
    kinds = {"self_evaluation": "财政项目支出绩效自评表", "target_declaration": "上海市财政支出项目绩效目标申报表",
             "evaluation_result": "绩效评价结果信息表"}  # fmt: skip
    assert sorted(titles) == sorted(kinds[d["kind"]] for d in documents)
    assert f"已导出 {len(titles)} 份" in result.output


def test_summary(checked: str) -> None:
    loaded = checked
    result = run("summary", "--db", loaded)
    assert result.exit_code == 0, result.output
    assert "跨年度关联 6 个" in result.stdout
    assert "得分最低" in result.stdout
    data = json.loads(run("summary", "--json", "--db", loaded).stdout)
    assert {(d["kind"], d["year"]): d["count"] for d in data["documents"]} == {
        ("evaluation_result", 2018): 8,
        ("self_evaluation", 2022): 2,
        ("self_evaluation", 2023): 8,
        ("self_evaluation", 2024): 5,
        ("target_declaration", 2018): 4,
    }
    assert data["projects"] == 19
    assert data["projects_across_years"] == 6
    assert sum(data["findings"].values()) > 0
    assert data["lowest_scored"][0]["score"] <= data["lowest_scored"][-1]["score"]


def test_bad_input_is_one_line_and_nothing_is_stored(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "空白.txt"
    bad.write_text("这不是绩效表。\n", encoding="utf-8")
    result = run("ingest", str(bad), "--db", db_url, "--quiet")
    assert result.exit_code == 1
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "空白.txt" in lines[0]
    assert "拒收" in lines[0]
    assert run("projects", "--json", "--db", db_url).stdout.strip() == "[]"
    assert run("ingest", "--db", db_url).exit_code == 2


def test_unopenable_database_is_one_line(tmp_path: Path) -> None:
    result = run("projects", "--db", str(tmp_path / "no" / "such" / "dir" / "x.db"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "目录不存在" in result.stderr
