"""Self-evaluations of the real corpus that start mid-table or are cut by a page end (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import parse_file
from jixiao.forms import parse_grid
from jixiao.model import SelfEvaluation, Severity
from jixiao.readers.text import read_text


def _grid_docs(text: str) -> list[SelfEvaluation]:
    result = parse_grid(read_text(text.encode("utf-8"), "t.txt"))
    return [d for d in result.documents if isinstance(d, SelfEvaluation)]


def test_headless_sichuan_tail_reads_actual_then_weight(shared: Path) -> None:
    """r112 starts mid-table: no title, no header.  The 定性 row's text 完成值 (优) fixes the two trailing columns
    as 完成值 · 分值 for every row; 合计 holds the weight total (no 得分 column was printed)."""
    docs = [
        d
        for d in parse_file(shared / "corpus" / "real" / "r112.txt").documents
        if isinstance(d, SelfEvaluation)
    ]
    assert len(docs) == 1
    doc = docs[0]
    assert doc.project is None
    assert doc.year is None
    assert [i.weight for i in doc.indicators] == [5, 5, 5, 5, 10, 10, 10, 10]
    assert [i.actual for i in doc.indicators][:2] == ["100", "6"]
    assert all(i.score is None for i in doc.indicators)
    assert doc.indicators[0].level1 is None
    assert doc.indicators[1].level1 == "成本指标"
    assert doc.indicators[6].target == "定性优良中低差"
    assert doc.indicators[6].actual == "优"
    assert doc.total_weight == 100
    assert doc.total_score is None


def test_tail_then_head_are_two_documents(shared: Path) -> None:
    """r124: the tail of one table (a lone number after each target: the 分值, as the 定性 row shows) and the head
    of the next; the tail takes neither the next table's project nor its year."""
    docs = parse_file(shared / "corpus" / "real" / "r124.txt").documents
    assert len(docs) == 2
    tail, head = docs
    assert isinstance(tail, SelfEvaluation)
    assert isinstance(head, SelfEvaluation)
    assert tail.project is None
    assert tail.year is None
    assert [i.weight for i in tail.indicators] == [5, 5, 5, 15, 5, 10, 10]
    assert all(i.actual is None and i.score is None for i in tail.indicators)
    assert head.project is not None
    assert head.project.endswith("城乡居民监管工作经费")
    assert head.year == 2023
    assert head.money_unit == "万元"
    assert not any(f.code == "PARSE-NO-NUMBERS" for f in head.findings)


def test_a_lone_trailing_number_with_no_evidence_is_left_out() -> None:
    text = "甲指标 | ≥ | 90 | % | 5 |\n乙指标 | = | 100 | % | 8 |\n"
    (doc,) = _grid_docs(text)
    assert [i.name for i in doc.indicators] == ["甲指标", "乙指标"]
    assert all(i.weight is None and i.actual is None and i.score is None for i in doc.indicators)
    assert any(f.code == "PARSE-AMBIGUOUS" for f in doc.findings)


def test_the_sum_of_weights_decides_a_lone_column() -> None:
    text = "甲指标 | ≥ | 90 | % | 40 |\n乙指标 | = | 100 | % | 60 |\n合计 | 100 |\n"
    (doc,) = _grid_docs(text)
    assert [i.weight for i in doc.indicators] == [40, 60]
    assert doc.total_weight == 100


def test_a_score_above_its_neighbour_means_actual_then_weight() -> None:
    text = "甲指标 | ≥ | 90 | % | 5 | 10 |\n乙指标 | = | 100 | % | 100 | 10 |\n"
    (doc,) = _grid_docs(text)
    assert [(i.actual, i.weight) for i in doc.indicators] == [("5", 10), ("100", 10)]


def test_transfer_payment_form_names_its_header_fields_differently(shared: Path) -> None:
    """r107: 转移支付(项目)名称, 地方主管部门 (not the 中央主管部门 above it), 资金使用单位, 资金投入情况 (万元)."""
    (doc,) = parse_file(shared / "corpus" / "real" / "r107.txt").documents
    assert isinstance(doc, SelfEvaluation)
    assert doc.project == "就业补助资金"
    assert doc.department is not None
    assert doc.department.startswith("安徽省人力资源和社会保障厅")
    assert doc.implementing_unit == "淮南市田家庵区人力资源和社会保障局"
    assert doc.money_unit == "万元"


def test_amounts_that_repeat_the_money_unit_and_wrapped_fund_labels(shared: Path) -> None:
    """r116 (xls flattened): ``620.82万元`` under 项目资金(万元), the label ``其中:当年财政 拨款`` wrapped, 分值 printed 100."""
    (doc,) = parse_file(shared / "corpus" / "real" / "r116.txt").documents
    assert isinstance(doc, SelfEvaluation)
    assert [f.line for f in doc.funds] == ["年度资金总额:", "其中:当年财政拨款"]
    first = doc.funds[0]
    assert (first.initial_budget, first.annual_budget, first.executed) == (620.82, 620.82, 620.82)
    assert (first.weight, first.execution_rate, first.score) == (100, 100, 10)


def test_numbers_printed_but_unplaced_are_not_reported_as_deleted(shared: Path) -> None:
    """r125 (fully glued OCR) prints 76%, 10, 7.6, 97.6: 'no numbers' would be false; it says they were not read."""
    findings = parse_file(shared / "corpus" / "real" / "r125.txt").all_findings
    assert not any(f.code == "PARSE-NO-NUMBERS" for f in findings)
    assert any(f.code == "PARSE-UNREAD" for f in findings)


def test_block_label_header_and_score_only_columns(shared: Path) -> None:
    """r017 (湖北 20/80 form): the header opens with a block label the rows do not repeat (``年度绩效目标1 (80分) |
    一级指标 | …``), names its target column 年初目标值 and prints 得分 but no 分值.  Each row is placed by the header's
    column order: a row ending in a number ends at 得分, a row without one (its 得分 spans the row above) starts
    at its first cell's column; every weight stays None."""
    docs = [
        d
        for d in parse_file(shared / "corpus" / "real" / "r017.txt").documents
        if isinstance(d, SelfEvaluation)
    ]
    assert len(docs) == 1
    doc = docs[0]
    assert not any(f.code == "PARSE-MISSING" and f.severity == Severity.ERROR for f in doc.findings)
    rows = [(i.name, i.target, i.actual, i.score) for i in doc.indicators]
    assert rows == [
        ("一个存储备份器", "25TB", "25TB", 10),
        ("WIFI布点全覆盖", "100%覆盖", "100%覆盖", None),
        ("以最新资源面市", "资源采购期以当年为主", "资源采购期以当年为主", 10),
        ("可保证读者使用时长", "全天候可用", "全天候", 10),
        ("2022年全年", "≥360天", "≥360天", None),
        ("以低价位高质量为采购原则", "5万", "5万", 10),
        ("社会公益服务无经济效益", "公益性事业", "公益性事业", 10),
        (
            "使读者更方便快捷查找检阅",
            "独有数据资源查询,查询范围可扩展到省图",
            "独有数据资源查询,查询范围可扩展到省图",
            None,
        ),
        ("数字图书馆环境优良无污染", "良好", "良好", 10),
        ("WIFI全覆盖,绿色环保", "良好", "良好", None),
        ("≥360天服务读者", "≥360天", "≥360天", 10),
        ("在网络上设置读者满意度调查", None, None, None),
    ]
    assert all(i.weight is None for i in doc.indicators)
    assert [i.level1 for i in doc.indicators[:2]] == ["产出指标", "产出指标"]
    assert doc.indicators[2].level2 == "质量指标"
    assert doc.indicators[6].level1 == "效益指标"
    assert (doc.indicators[-1].level1, doc.indicators[-1].level2) == ("满意度指标", "读者")


_SCORE_ONLY_TABLES = {
    # a row's trailing number is its 得分 only where the row then reaches back to a 三级 name; a short row ending
    # in a number (its 得分 merged above) reads that number as the 实际完成值
    "merged-score": (
        "绩效目标 | 一级指标 | 二级指标 | 三级指标 | 年初目标值 | 实际完成值 | 得分\n"
        "产出指标 | 数量指标 | 培训人次 | 100 | 120 | 20\n"
        "培训天数 | 5 | 6\n",
        [("培训人次", "100", "120", 20), ("培训天数", "5", "6", None)],
    ),
    # operator, value and unit in their own columns make one target
    "split-target": (
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 得分\n"
        "产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 120 | 20\n",
        [("培训人次", "≥100人次", "120", 20)],
    ),
}


@pytest.mark.parametrize("table", sorted(_SCORE_ONLY_TABLES))
def test_score_only_rows_are_placed_by_the_header_order(table: str) -> None:
    """Without a 分值 column every weight stays None and each row is placed by the header's column order."""
    rows, want = _SCORE_ONLY_TABLES[table]
    (doc,) = _grid_docs("项目名称 | 测试项目\n" + rows)
    assert [(i.name, i.target, i.actual, i.score) for i in doc.indicators] == want
    assert all(i.weight is None for i in doc.indicators)
