"""Scoring rubrics (一级 / 二级 / 三级 each with its own 分值): rows and group weights read by the arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import parse_bytes, parse_file
from jixiao.model import SelfEvaluation
from jixiao.rules import check_documents

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

HEADER = "一级指标 分值 二级指标 分值 三级指标 分值 得分"
ROWS = [
    ("项目决策", 20, "项目目标", 4, "目标内容", 4, 4),
    ("项目决策", 20, "决策过程", 8, "决策依据", 3, 3),
    ("项目决策", 20, "决策过程", 8, "决策程序", 5, 4),  # 4 + 8 ≠ 20: printed so, read so
    ("项目管理", 30, "资金管理", 30, "资金使用", 30, 28),
    ("项目绩效", 50, "项目产出", 20, "产出数量", 20, 20),
    ("项目绩效", 50, "项目效益", 30, "社会效益", 30, 27.5),
]


def _only(text: str) -> SelfEvaluation:
    docs = parse_bytes(text.encode("utf-8"), "rubric.txt").documents
    assert len(docs) == 1
    assert isinstance(docs[0], SelfEvaluation)
    return docs[0]


def _expected_rows() -> list[tuple[str, str, str, float, float]]:
    return [(a, c, e, float(f), float(g)) for a, _, c, _, e, f, g in ROWS]


def _rows(doc: SelfEvaluation) -> list[tuple[str | None, str | None, str, float | None, float | None]]:
    return [(i.level1, i.level2, i.name, i.weight, i.score) for i in doc.indicators]


def test_paragraph_stream_with_groups_printed_once() -> None:
    """One cell per paragraph, each group's label and weight printed once, as extraction leaves a rubric."""
    cells: list[str] = [*HEADER.split()]
    seen: set[str] = set()
    for l1, w1, l2, w2, name, w, s in ROWS:
        for label, weight in ((l1, w1), (l2, w2)):
            if label not in seen:
                seen.add(label)
                cells += [label, str(weight)]
        cells += [name, str(w), str(s)]
    doc = _only("项目支出绩效自评表（2023年度）\n\n" + "\n\n".join(cells) + "\n")
    assert _rows(doc) == _expected_rows()
    assert [(lw.level1, lw.level2, lw.weight) for lw in doc.level_weights] == [
        ("项目决策", None, 20), ("项目决策", "项目目标", 4), ("项目决策", "决策过程", 8),
        ("项目管理", None, 30), ("项目管理", "资金管理", 30),
        ("项目绩效", None, 50), ("项目绩效", "项目产出", 20), ("项目绩效", "项目效益", 30),
    ]  # fmt: skip


def test_table_with_merged_cells_repeated_on_every_row() -> None:
    """HTML and DOCX readers repeat a merged cell on each row it spans: the same group, not a new one."""
    lines = ["# 项目支出绩效自评表（2023年度）", "| " + " | ".join(HEADER.split()) + " |"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in ROWS]
    doc = _only("\n".join(lines) + "\n")
    assert _rows(doc) == _expected_rows()
    assert len(doc.level_weights) == 8


def test_group_weights_that_do_not_add_up_are_read_and_reported() -> None:
    """项目决策 prints 20 over 二级 weights of 4 + 8: 项目管理 still opens a 一级 (two groups in a row), and
    C-SE-10 names the mismatch."""
    lines = ["# 项目支出绩效自评表（2023年度）", "| " + " | ".join(HEADER.split()) + " |"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in ROWS]
    doc = _only("\n".join(lines) + "\n")
    assert [lw.level1 for lw in doc.level_weights if lw.level2 is None] == [
        "项目决策",
        "项目管理",
        "项目绩效",
    ]
    found = [(f.code, f.subject, f.expected, f.actual) for f in check_documents([doc], select=["C-SE-10"])]
    assert ("C-SE-10", "? (2023) / 项目决策", 20.0, 12.0) in found


def test_level_of_a_group_follows_the_arithmetic() -> None:
    """项目管理 opens once 项目决策's 二级 weights fill its 20 points; 决策过程 is a 二级 because they do not yet."""
    doc = _only("项目支出绩效自评表（2023年度）\n" + HEADER + "\n"
                "项目决策 20 项目目标 12 目标内容 12 12 决策过程 8 决策依据 8 8 项目管理 80 资金管理 80 资金使用 80 70\n")  # fmt: skip
    assert [(i.level1, i.level2) for i in doc.indicators] == [
        ("项目决策", "项目目标"), ("项目决策", "决策过程"), ("项目管理", "资金管理"),
    ]  # fmt: skip


def test_leaf_with_three_numbers_is_reported_not_guessed() -> None:
    doc = _only("项目支出绩效自评表（2023年度）\n" + HEADER + "\n"
                "项目决策 20 项目目标 20 目标内容 10 10 9 决策依据 10 10\n")  # fmt: skip
    assert [i.name for i in doc.indicators] == ["决策依据"]
    assert any(f.code == "PARSE-AMBIGUOUS" and "目标内容" in f.message for f in doc.findings)


@pytest.mark.skipif(not (REAL / "r024.txt").exists(), reason="shared corpus not beside the repo")
def test_real_rubric_r024() -> None:
    """海南 省商务厅: the table parsers paired each group's weight with the next leaf (项目决策 4 4)."""
    doc = parse_file(REAL / "r024.txt").documents[0]
    assert isinstance(doc, SelfEvaluation)
    assert len(doc.indicators) == 15
    assert "项目决策" not in {i.name for i in doc.indicators}
    first = doc.indicators[0]
    assert (first.level1, first.level2, first.name, first.weight, first.score) == (
        "项目决策",
        "项目目标",
        "目标内容",
        4,
        4,
    )
    assert sum(lw.weight for lw in doc.level_weights if lw.level2 is None) == 100
