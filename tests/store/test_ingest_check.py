"""The store holds exactly the findings ``jixiao check --format json`` prints for the same files, profile and
waivers, cross-document ones included, even when the documents of one project come from different files and runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from jixiao import parse_file, pipeline
from jixiao.cli import app
from jixiao.ingest import discover, ingest_files
from jixiao.store import codec, open_engine, schema
from tests.conftest import REAL, SEEDS, needs_shared

SELF_EVAL = """# 项目支出绩效自评表（2023年度）
| 项目名称 | 跨文件测试项目 | | | | | | |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 培训人数 | ≥80人 | 90人 | 50 | 50 | |
| 效益指标 | 社会效益指标 | 能力提升 | 提升 | 提升 | 30 | 30 | |
"""
DECLARATION = """# 绩效目标申报表（2023年）

| 项目名称 | 跨文件测试项目 | | |
| 分解目标内容 | 绩效指标 | 指标目标值 |
| 产出目标 | 培训人数 | ≥100人 |
"""


def _keys(rows: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def stored_findings(engine: Engine) -> list[dict[str, object]]:
    """Every finding of the store's current documents and of their files, as ``Finding.to_dict()``."""
    f, d = schema.findings, schema.documents
    current = select(d.c.sha256).where(d.c.current.is_(True))
    with engine.connect() as conn:
        rows = conn.execute(select(f).where(f.c.sha256.in_(current))).all()
    return [codec.load_finding(r._mapping).to_dict() for r in rows]


def printed_findings(files: list[Path], *args: str) -> list[dict[str, object]]:
    """What ``jixiao check --format json`` prints, less the ``project`` it adds and the findings about the
    waiver file (which no document carries)."""
    result = CliRunner().invoke(
        app, ["check", "--format", "json", "--fail-on", "never", *args, *map(str, files)]
    )
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    for row in rows:
        row.pop("project")
    return [r for r in rows if not str(r["code"]).startswith("WAIVER")]


def _ingested(engine: Engine, inputs: list[Path], **options: object) -> list[Path]:
    report = ingest_files(engine, inputs, workers=2, options=pipeline.Options.build(**options))  # type: ignore[arg-type]
    return [Path(f.path) for f in report.files if f.outcome != "refused"]


@pytest.mark.parametrize(
    ("corpus", "options", "flags"),
    [
        ("seeds", {}, []),
        (
            "seeds",
            {"profile": "national", "ignore": ["C-SE-07"]},
            ["--profile", "national", "--ignore", "C-SE-07"],
        ),
        ("real", {}, []),
    ],
)
def test_the_store_holds_what_check_prints(
    tmp_path: Path, corpus: str, options: dict[str, object], flags: list[str]
) -> None:
    if corpus == "real":
        needs_shared()
    root = SEEDS[0].parent if corpus == "seeds" else REAL
    engine = open_engine(f"sqlite:///{tmp_path / 'j.db'}")
    try:
        files, _missing = discover([root])
        kept = _ingested(engine, [root], **options)
        refused = {Path(p) for p in map(str, files)} - set(kept)
        # what check refuses (unreadable, no document) is exactly what ingest refused
        loaded = {Path(f.path) for f in pipeline.load(files) if f.refusal is not None}
        assert loaded == refused
        assert kept
        assert _keys(stored_findings(engine)) == _keys(printed_findings(sorted(kept), *flags))
    finally:
        engine.dispose()


def test_a_cross_document_finding_fires_between_files_of_two_runs(engine: Engine, tmp_path: Path) -> None:
    declaration = tmp_path / "申报表.md"
    declaration.write_text(DECLARATION, encoding="utf-8")
    self_eval = tmp_path / "自评表.md"
    self_eval.write_text(SELF_EVAL, encoding="utf-8")
    ingest_files(engine, [declaration], workers=1)
    assert not [r for r in stored_findings(engine) if r["code"] == "C-SE-19"]
    ingest_files(engine, [self_eval], workers=1)  # another run: the declaration is only in the store
    drift = [r for r in stored_findings(engine) if r["code"] == "C-SE-19"]
    assert len(drift) == 2
    assert {r["source"]["path"] for r in drift} == {str(self_eval)}  # type: ignore[index]
    assert _keys(stored_findings(engine)) == _keys(printed_findings([declaration, self_eval], "--no-waivers"))


def test_a_cross_document_check_finds_nothing_on_a_lone_document() -> None:
    """Why ingest never loads a project of one document for the cross-document checks: every such check
    compares a document with the others of its project, and there are none (each seed and real document
    alone)."""
    options = pipeline.Options()
    assert options.cross_checks
    docs = [
        d
        for p in [*SEEDS, *sorted(f for f in needs_shared(REAL).glob("*") if f.is_file())]
        for d in parse_file(p).documents
    ]
    assert len(docs) > 20
    for doc in docs:
        assert pipeline.check_across([doc], options).kept == [[]], doc.project
