"""Fixtures shared by the tests of :mod:`jixiao.rules` and ``jixiao check``: the seeds and a one-row table."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import parse_file
from jixiao.model import AnyDocument, Finding
from jixiao.rules import check_documents
from tests.conftest import SEEDS

# One self-evaluation row that fails C-SE-05 (target ≥100, actual 80, full marks printed) on line 4.
BAD = """# 项目支出绩效自评表（2023年度）
| 项目名称 | 测试项目 | | | | | | |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 培训人数 | ≥100人 | 80人 | 10 | 10 | |
"""


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.md"
    path.write_text(BAD, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seed_docs() -> list[AnyDocument]:
    return [d for path in SEEDS for d in parse_file(path).documents]


@pytest.fixture(scope="session")
def findings(seed_docs: list[AnyDocument]) -> list[Finding]:
    return check_documents(seed_docs)
