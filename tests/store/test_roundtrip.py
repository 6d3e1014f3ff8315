"""parse → store → load is the identity (v1 JSON and the model, provenance and findings included)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from jixiao import ParseResult, parse_bytes, parse_file
from jixiao.ingest import ingest_files
from jixiao.model import AnyDocument, Finding, Indicator, Severity, SourceRef, to_v1
from jixiao.store import codec, load_documents, schema, search
from jixiao.store.engine import HEAD, migrations_dir
from jixiao.store.ingest import FileJob, sha256, start_run, store_file
from tests.strategies import declaration, evaluation, self_evaluation


def _stored(engine: Engine) -> dict[tuple[str, int], AnyDocument]:
    """Every stored document by (file SHA-256, position in the file)."""
    d = schema.documents
    with engine.connect() as conn:
        keys = {int(i): (str(s), int(o)) for i, s, o in conn.execute(select(d.c.id, d.c.sha256, d.c.ordinal))}
        docs = load_documents(conn, sorted(keys))
    return {keys[i]: doc for i, doc in docs.items()}


def test_seeds_roundtrip(engine: Engine, seeds: list[Path]) -> None:
    report = ingest_files(engine, seeds, check=False, workers=1)
    assert [f.outcome for f in report.files] == ["added"] * len(seeds)
    stored = _stored(engine)
    expected = {}
    for path in seeds:
        for n, doc in enumerate(parse_file(path).documents, 1):
            expected[(sha256(path.read_bytes()), n)] = doc
    assert len(stored) == len(expected) == 27
    for key, doc in expected.items():
        assert to_v1(stored[key]) == to_v1(doc), key
        assert stored[key] == doc, key  # the model too: total_source, every cell's source, finding sources


def _store(engine: Engine, docs: list[AnyDocument]) -> AnyDocument:
    data = uuid.uuid4().bytes
    job = FileJob(f"/generated/{uuid.uuid4().hex}.txt", data, sha256(data))
    run = start_run(engine, ["test"])
    outcome = store_file(engine, run, job, codec.prepare(ParseResult(job.path, list(docs)), job.sha256))
    assert outcome.outcome == "added", outcome
    (doc,) = [d for (sha, _n), d in _stored(engine).items() if sha == job.sha256]
    return doc


FINDING = Finding(
    code="C-SE-05",
    severity=Severity.WARNING,
    message="得分与规则不符",
    source=SourceRef(path="x.xlsx", sheet="表1", row=12, col=7, cell="G12"),
    subject="在线学习 / 出勤率",
    expected=8.5,
    actual="10",
    tolerance=0.01,
    name="self_eval.score_vs_rule",
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.one_of(self_evaluation(), declaration(), evaluation()), with_finding=st.booleans())
def test_generated_roundtrip(engine: Engine, doc: AnyDocument, with_finding: bool) -> None:
    doc = doc.model_copy(update={"source": SourceRef(path="g.txt", table=1, line=3)})
    if with_finding:
        doc.findings.append(FINDING)
    loaded = _store(engine, [doc])
    assert loaded == doc
    assert to_v1(loaded) == to_v1(doc)


class _NotedIndicator(Indicator):
    note: str | None = None  # a field the model might gain before the schema does


def test_unknown_fields_travel_in_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(codec.ROW_LISTS, "indicators", (_NotedIndicator, schema.indicators))
    ind = _NotedIndicator(
        name="出勤率", target="≥90%", note="附注", cells={"target": SourceRef(line=4, col=3)}
    )
    row = codec._traced_row(ind, codec.ROW_COLUMNS["indicators"], 1, 1)
    assert row["extra"] == {"note": "附注"}
    assert codec.load_row("indicators", {**row, "id": 1}) == ind


def test_migrations_create_exactly_the_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": search.include_name})
        diff = compare_metadata(context, schema.metadata)
    assert diff == []
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def test_rubric_group_weights_roundtrip(engine: Engine) -> None:
    """A rubric's printed 一级/二级 weights (an extra of the model) come back from the store with their sources."""
    text = ("# 项目支出绩效自评表（2023年度）\n| 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 得分 |\n"
            "| 项目决策 | 20 | 项目目标 | 20 | 目标内容 | 20 | 18 |\n| 项目绩效 | 80 | 项目产出 | 80 | 产出数量 | 80 | 80 |\n")  # fmt: skip
    (doc,) = parse_bytes(text.encode("utf-8"), "rubric.md").documents
    assert len(getattr(doc, "level_weights", [])) == 4
    stored = _store(engine, [doc])
    assert stored == doc
    assert to_v1(stored) == to_v1(doc)


@pytest.mark.parametrize(
    "value",
    [
        {"path": "甲.txt", "line": 3, "bbox": (1.5, 2.0, 3.25, 4e-07)},
        [1, 2.5, None, True, '引号"与\\反斜杠\n换行'],
        {"cells": {"target": 3, "actual": {"row": 2, "col": None}}},
        "只是文本",
        9280000.0,
        float("nan"),
        {},
        [],
    ],
)
def test_rows_serialise_as_json_text(value: object) -> None:
    """The prepared rows' one-time C encoder writes exactly what the engine's json_text writes."""
    from jixiao.store.engine import json_text

    assert codec._to_json(value) == json_text(value)


def test_rows_refuse_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        codec._to_json({"when": object()})
