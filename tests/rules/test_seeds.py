"""The acceptance bullets of issue 3, on the five Shanghai seed files."""

from __future__ import annotations

import pytest

from jixiao.model import AnyDocument, EvaluationResult, Finding, SelfEvaluation, Severity


def found(findings: list[Finding], code: str, subject: str) -> list[Finding]:
    return [f for f in findings if f.code == code and f.subject == subject]


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("C-SE-05", "干部教育工作经费 (2023) / 领导干部外向型培训人次"),
        ("C-SE-07", "信息化运维项目 (2023) / 是否支持政务信息系统整合"),
        ("C-SE-06", "信息化运维项目 (2023) / 运维满意度"),
        ("C-SE-06", "领导干部培训经费 (2022) / 成本控制率"),
        ("C-SE-15", "领导干部培训经费 (2022)"),
        ("C-SE-15", "党建服务工作经费 (2024)"),
        ("C-SE-09", "信息化建设项目 (2024) / 年访问次数"),
        ("C-TD-07", "在线学习工作经费 (2018) / 在线学习招生人数"),
    ],
)
def test_must_be_found(findings: list[Finding], code: str, subject: str) -> None:
    assert found(findings, code, subject), f"{code} on {subject}"


def test_lenient_partial_score_numbers(findings: list[Finding]) -> None:
    (f,) = found(findings, "C-SE-05", "干部教育工作经费 (2023) / 领导干部外向型培训人次")
    assert (f.actual, f.expected) == (1.0, 0.45)


def test_unexplained_over_achievement_is_a_warning(findings: list[Finding]) -> None:
    (f,) = found(findings, "C-SE-09", "信息化建设项目 (2024) / 年访问次数")
    assert f.severity is Severity.WARNING
    assert (f.expected, f.actual) == (30000.0, 270000.0)


def test_zero_satisfaction_target_is_an_error(findings: list[Finding]) -> None:
    (f,) = found(findings, "C-TD-08", "组织部弱电会议系统（运维） (2018) / 社会公众或服务对象满意值")
    assert f.severity is Severity.ERROR


def test_split_warned_on_the_four_2024_tables_off_50_30_10(findings: list[Finding]) -> None:
    subjects = {f.subject for f in findings if f.code == "C-SE-11"}
    assert subjects == {
        "党建服务工作经费 (2024)",
        "电教远教工作经费 (2024)",
        "上海市党员干部现代远程教育网络体系运维（非信息化项目） (2024)",
        "信息化运维项目 (2024)",
    }


def test_vague_targets_of_the_remote_network_declaration(findings: list[Finding]) -> None:
    prefix = "上海市党员干部现代远程网络体系运维费(非信息化项目) (2018) / "
    hits = [f for f in findings if f.code == "C-TD-03" and (f.subject or "").startswith(prefix)]
    assert len(hits) >= 5
    assert {"平台正常运行", "通过招邀标控制成本"} <= {f.actual for f in hits}


def test_no_errors_on_self_evaluations_and_results(
    seed_docs: list[AnyDocument], findings: list[Finding]
) -> None:
    scored = [d for d in seed_docs if isinstance(d, SelfEvaluation | EvaluationResult)]
    assert len([d for d in scored if isinstance(d, EvaluationResult)]) == 8
    subjects = {f"{d.project} ({d.year})" for d in scored}
    errors = [
        f for f in findings if f.severity is Severity.ERROR and (f.subject or "").split(" / ")[0] in subjects
    ]
    assert errors == [], [f.render() for f in errors]


def test_no_conclusion_band_error_in_the_results_seed(findings: list[Finding]) -> None:
    assert not [f for f in findings if f.code == "C-ER-01"]


def test_late_deadline_is_a_warning_at_most(findings: list[Finding]) -> None:
    subject = "基层党建及队伍教育管理 (2023) / 各类培训开班及时性"
    assert all(f.severity is not Severity.ERROR for f in findings if f.subject == subject)


def test_nothing_crashes(findings: list[Finding]) -> None:
    assert not [f for f in findings if f.code == "CHECK-CRASH"]
