"""The pipeline returns values: what ``jixiao check`` prints, unreadable inputs as reasons, never a raise."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao import pipeline
from jixiao.cli import app
from jixiao.store.cluster import group_documents
from tests.conftest import SEEDS


def _keys(rows: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def test_pipeline_check_gives_what_the_check_command_prints() -> None:
    run = pipeline.check_paths(SEEDS)
    printed = json.loads(CliRunner().invoke(app, ["check", "--format", "json", *map(str, SEEDS)]).stdout)
    projects = [row.pop("project") for row in printed]
    assert run.findings
    assert _keys([f.to_dict() for f in run.findings]) == _keys(printed)
    assert "—" not in projects
    assert all(p.endswith(")") for p in projects)  # every finding: 项目 (年度)


def test_an_unreadable_input_is_a_value_and_the_others_are_still_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = pipeline.load([empty, tmp_path / "missing.txt", SEEDS[0]])
    assert [f.unreadable is not None for f in files] == [True, True, False]
    assert all(str(tmp_path) in (f.unreadable or "") for f in files[:2])
    assert files[2].documents
    run = pipeline.check(files)
    assert run.exit_code("never") == pipeline.EXIT_UNREADABLE
    assert len(run.unreadable) == 2


def test_cross_document_checks_see_the_project_as_the_linker_groups_it() -> None:
    files = pipeline.load(SEEDS)
    docs = [d for f in files for d in f.documents]
    groups = group_documents(docs)
    assert sorted(id(d) for g in groups for d in g) == sorted(id(d) for d in docs)
