"""A table's kind is decided by the evidence it prints: its title, else a vote over its labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import parse_bytes, parse_file
from jixiao.forms import kind
from jixiao.model import Kind, SourceRef
from jixiao.readers.base import Cell, Row

_REF = SourceRef(path="t.txt")


def _row(text: str) -> Row:
    return Row(cells=[Cell(text, _REF)], ref=_REF)


def _rows(*lines: str) -> list[Row]:
    return [_row(t) for t in lines]


# Titles written from the forms' names; a 区域绩效目标自评表 names a 绩效目标 and reports on it: a self-evaluation.
TITLES: dict[Kind | None, tuple[str, ...]] = {
    Kind.SELF_EVALUATION: ("2023年度项目支出绩效自评表", "部门项目绩效自评结果", "2022年区域绩效目标自评表"),
    Kind.TARGET_DECLARATION: (
        "项目支出绩效目标表", "2024年项目绩效目标批复表", "专项资金绩效目标审批表", "关于某项目绩效目标设定的公示"
    ),
    Kind.EVALUATION_RESULT: ("财政支出绩效评价指标表", "绩效评价结果信息表", "2021年度重点项目绩效评价结果"),
    None: ("关于召开年度工作会议的通知",),
}  # fmt: skip


@pytest.mark.parametrize(("title", "expected"), [(t, k) for k, ts in TITLES.items() for t in ts])
def test_title_announces_its_kind(title: str, expected: Kind | None) -> None:
    assert kind.title_kind_of(title) is expected


def test_untitled_self_evaluation_votes_by_its_columns() -> None:
    rows = _rows(
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    assert kind.vote(rows) is Kind.SELF_EVALUATION


def test_untitled_declaration_votes_by_its_columns() -> None:
    rows = _rows("项目名称", "年度目标", "总体目标", "一级指标", "二级指标", "三级指标", "指标值", "绩效标准")
    assert kind.vote(rows) is Kind.TARGET_DECLARATION


def test_a_list_of_results_votes_for_evaluation_results() -> None:
    rows = _rows(
        "序号", "项目名称", "主管部门", "评价得分", "评价等级", "1", "道路养护", "交通局", "91", "优"
    )
    assert kind.vote(rows) is Kind.EVALUATION_RESULT


def test_one_word_is_no_evidence() -> None:
    assert kind.vote(_rows("指标值", "随便一段文字")) is None
    assert kind.vote(_rows()) is None


def test_unfinished_only_when_the_text_says_so() -> None:
    from jixiao.forms.evaluation import no_result_message

    assert "仍在进行" in no_result_message("受区财政局委托，第三方评价仍在进行，结果将另行公布")
    assert "仍在进行" not in no_result_message("开展绩效监控和绩效评价，评价结果良好")


def test_no_result_diagnostic_only_for_an_unfinished_evaluation() -> None:
    text = "绩效评价工作通报\n本年度开展绩效评价，将有关资金纳入预算绩效管理。\n"
    result = parse_bytes(text.encode(), "note.txt")
    assert result.documents == []
    (finding,) = result.findings
    assert finding.code == "PARSE-NO-RESULT"
    assert "仍在进行" not in finding.message
    assert "尚未完成" not in finding.message
    text = "绩效评价工作通报\n项目绩效评价正在进行，尚未完成评价。\n"
    result = parse_bytes(text.encode(), "note.txt")
    (finding,) = result.findings
    assert finding.code == "PARSE-NO-RESULT"
    assert "仍在进行" in finding.message


def test_no_document_says_which_form_was_recognised() -> None:
    result = parse_bytes("某某项目绩效自评表\n一段无法读取的文字\n".encode(), "t.txt")
    assert result.documents == []
    (finding,) = result.findings
    assert finding.code == "PARSE-NO-DOCUMENT"
    assert "识别到绩效自评表" in finding.message


@pytest.mark.parametrize("name", ["r107", "r113"])
def test_self_evaluations_are_not_called_unfinished_evaluations(shared: Path, name: str) -> None:
    result = parse_file(shared / "corpus" / "real" / f"{name}.txt")
    assert not any(f.code == "PARSE-NO-RESULT" for f in result.all_findings)
    assert all(d.kind == "self_evaluation" for d in result.documents)


def test_attachment_link_is_no_title() -> None:
    from jixiao.forms import title_kind

    assert title_kind(_row("附件:示例项目绩效目标设定表.xlsx")) is None
    assert title_kind(_row("示例项目绩效目标设定表")) is Kind.TARGET_DECLARATION
