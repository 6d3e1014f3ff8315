"""The engine: selection, severity overrides, crash isolation and the plugin registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from jixiao import parse_bytes
from jixiao.model import AnyDocument, Finding, SelfEvaluation, Severity
from jixiao.rules import CRASH_CODE, Profile, Registry, RegistryError, check_documents, default_registry
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.registry import hookimpl, plugin_manager

TABLE = """# 项目支出绩效自评表（2023年度）
| 项目名称 | 测试项目 | | | | | | |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 培训人数 | ≥100人 | 80人 | 10 | 10 | |
"""


def docs() -> list[AnyDocument]:
    return parse_bytes(TABLE.encode(), "case.md").documents


class Broken(SelfEvalCheck):
    """总是出错的检查（测试用）。"""

    code = "C-XX-01"
    name = "test.broken"
    severity = Severity.WARNING
    messages: ClassVar[dict[str, str]] = {"default": "不会用到"}

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        raise ZeroDivisionError("boom")


def test_a_crashing_check_becomes_a_finding_and_others_still_run() -> None:
    registry = Registry.of([Broken, *(type(c) for c in default_registry().checks if c.code == "C-SE-05")])
    found = check_documents(docs(), registry=registry)
    codes = [f.code for f in found]
    assert CRASH_CODE in codes
    assert "C-SE-05" in codes
    crash = next(f for f in found if f.code == CRASH_CODE)
    assert crash.severity is Severity.ERROR
    assert "C-XX-01" in crash.message
    assert "ZeroDivisionError" in crash.message


def test_select_by_code_prefix_slug_and_group() -> None:
    reg = default_registry()
    assert {c.code for c in reg.select(["C-SE-05"])} == {"C-SE-05"}
    assert all(c.code.startswith("C-TD-") for c in reg.select(["C-TD"]))
    assert len(reg.select(["C-TD"])) == 14
    assert [c.code for c in reg.select(["self_eval.quantitative_score"])] == ["C-SE-05"]
    assert {c.code for c in reg.select(["arithmetic"], ["C-SE"])} >= {"C-TD-10", "C-ER-02"}
    assert "C-SE-05" not in {c.code for c in reg.select(None, ["C-SE-05,C-SE-06"])}
    with pytest.raises(RegistryError, match="NOPE"):
        reg.select(["NOPE"])


def test_severity_override_from_the_profile() -> None:
    profile = Profile().with_settings({"severity": {"C-SE-05": "info"}})
    found = check_documents(docs(), profile=profile, select=["C-SE-05"])
    assert [f.severity for f in found] == [Severity.INFO]


def test_findings_carry_numbers_subject_and_source() -> None:
    (f,) = check_documents(docs(), select=["C-SE-05"])
    assert (f.expected, f.actual, f.tolerance) == (8.0, 10.0, 0.01)
    assert f.subject == "测试项目 (2023) / 培训人数"
    assert f.name == "self_eval.quantitative_score"
    assert f.key() == ("C-SE-05", 4, 7)
    assert f.to_dict()["source"]["path"] == "case.md"


def test_duplicate_codes_are_refused() -> None:
    with pytest.raises(RegistryError, match="重复"):
        Registry.of([Broken, Broken])


class _Plugin:
    @hookimpl
    def jixiao_checks(self) -> list[type[Any]]:
        return [Broken]


def test_an_outside_plugin_joins_through_the_same_hook() -> None:
    pm = plugin_manager(entry_points=False)
    pm.register(_Plugin())
    registry = Registry.of(c for group in pm.hook.jixiao_checks() for c in group)
    assert "C-XX-01" in registry.by_code
    assert "C-SE-01" in registry.by_code


def test_every_builtin_group_is_listed_explicitly() -> None:
    codes = [c.code for c in default_registry().checks]
    assert len(codes) == len(set(codes)) == 22 + 14 + 5 + 1
