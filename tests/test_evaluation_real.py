"""Evaluation results in their published shapes (shared/corpus/real r2xx, r040, r043): what is read, what is not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao import parse_file
from jixiao.forms import parse_grid
from jixiao.model import EvaluationResult
from jixiao.readers import read_path


def _real(shared: Path, name: str) -> Path:
    return shared / "corpus" / "real" / f"{name}.txt"


def _results(path: Path) -> list[EvaluationResult]:
    return [d for d in parse_file(path).documents if isinstance(d, EvaluationResult)]


def test_cover_table_with_self_score_and_evaluator(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r040"))
    assert (doc.score, doc.conclusion, doc.self_score) == (88.64, "良", 100)
    assert doc.department == "黄果树镇人民政府"
    assert doc.evaluator == "贵州中略管理咨询有限公司"  # not glued to the 单位:万元 note printed after it
    assert doc.money_unit == "万元"


def test_sentences_give_score_and_printed_grade(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r210"))
    assert (doc.score, doc.conclusion, doc.conclusion_printed) == (85, "良", "良好")
    assert (doc.year, doc.project) == (2016, "“全面改薄”建设项目")  # the year only in the 标题 line


def test_department_and_fiscal_year_from_the_title(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r214"))
    assert (doc.department, doc.year, doc.project, doc.score, doc.conclusion) == (
        "南县财政局", 2020, "机关整体支出", 97, None)  # fmt: skip


def test_ex_ante_rating_is_not_a_grade(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r219"))
    assert (doc.score, doc.conclusion, doc.rating) == (90.5, None, "建议予以支持")
    assert [(r.name, r.weight, r.score) for r in doc.rubric_items][2] == ("C绩效目标合理性", 20, 11.5)
    assert doc.problems == ["部门单位对预算绩效管理认识不充分。", "主管部门监管工作有待进一步规范。"]
    assert doc.suggestions == ["强化宣传培训,筑牢预算绩效管理理念。", "优化项目执行监管程序。"]
    assert doc.year is None  # 评估日期:2020年9月 is the day of the assessment, not a fiscal year


def test_section_scores_without_a_total_leave_the_score_out(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r213"))
    assert doc.score is None
    assert [(r.weight, r.score) for r in doc.rubric_items] == [(20, 15), (20, 17), (30, 26), (30, 30)]
    assert doc.evaluator == "福建征安会计师事务所(普通合伙)"  # the cover's, not the notice's 会计事务所
    assert any(f.code == "PARSE-MISSING" and "88" in f.message for f in doc.findings)


def test_aggregate_counts_per_grade(shared: Path) -> None:
    (doc,) = _results(_real(shared, "r227"))
    assert doc.grade_counts == {"优": 1, "良": 3, "中": 35, "差": 2}
    assert doc.project is None
    assert doc.score is None
    assert doc.year is None


def test_weighted_criteria_split_by_their_arithmetic(shared: Path, tmp_path: Path) -> None:
    """r209 without its pinyin glosses (what key() sees once it folds them): 20% × 100.00 = 20.00 splits the run."""
    text = re.sub(
        r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", _real(shared, "r209").read_text(encoding="utf-8")
    )
    path = tmp_path / "r209.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = _results(path)
    assert (doc.score, doc.conclusion, doc.rating) == (82.68, None, "實施比較順利")
    assert [r.score for r in doc.rubric_items] == [20.0, 38.7, 14.78, 9.2]
    assert doc.project == "亞洲開發銀行貸款四川資陽綠色轉型和發展項目"
    assert doc.evaluator == "四川省財政投資評審中心"
    assert doc.year is None  # 2024年3月 is when the evaluation ran


@pytest.mark.parametrize("name", ["r043", "r215", "r232", "r235", "r238", "r239"])
def test_no_result_means_no_document_and_a_true_finding(shared: Path, name: str) -> None:
    result = parse_grid(read_path(_real(shared, name)))
    assert not result.documents
    (finding,) = [f for f in result.all_findings if f.code == "PARSE-NO-RESULT"]
    in_progress = "仍在进行" in finding.message
    assert in_progress == (name == "r043")  # only r043 says the evaluation is still under way


def test_two_scores_in_the_text_leave_the_score_out(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(
        "某某项目绩效评价报告\n综合评分为92分。\n评价总得分88分，评价等级为良好。\n", encoding="utf-8"
    )
    (doc,) = _results(path)
    assert doc.score is None
    assert doc.conclusion == "良"
    assert any(f.code == "PARSE-AMBIGUOUS" for f in doc.findings)


@pytest.mark.parametrize(
    ("printed", "items"),
    [
        ("（1）预算编制不细。（2）合同管理不严。", ["预算编制不细。", "合同管理不严。"]),
        ("1.预算编制不细。2.合同管理不严。", ["预算编制不细。", "合同管理不严。"]),
        ("1、预算编制不细。2、2019年起合同管理不严。", ["预算编制不细。", "2019年起合同管理不严。"]),
        # numbers that do not run 1, 2, … from the start are text, not a list
        ("资金到位率为1.5倍。2.资金未拨付。", ["资金到位率为1.5倍。2.资金未拨付。"]),
        ("2.资金未拨付。3.合同不严。", ["2.资金未拨付。3.合同不严。"]),
    ],
)
def test_numbered_items_split_only_when_numbered_in_order(printed: str, items: list[str]) -> None:
    from jixiao.forms.evaluation import split_items

    assert split_items(printed) == items


def test_synonym_labels_of_the_result_table(tmp_path: Path) -> None:
    path = tmp_path / "result.txt"
    rows = ["| 财政支出绩效评价结果 | |", "| 项目名称 | 社区养老服务 |", "| 项目决算金额 | 120.5万元 |",
            "| 综合得分 | 86.5 |", "| 评价等级 | 良好 |", "| 存在的问题 | 1.台账不全。2.回访不足。 |",
            "| 改进建议 | 1.健全台账。2.定期回访。 |", "| 整改落实情况 | 已建立回访制度。 |"]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = _results(path)
    assert (doc.project, doc.final_accounts, doc.money_unit, doc.score, doc.conclusion) == (
        "社区养老服务", 120.5, "万元", 86.5, "良"
    )  # fmt: skip
    assert (doc.problems, doc.suggestions, doc.rectification) == (
        ["台账不全。", "回访不足。"], ["健全台账。", "定期回访。"], ["已建立回访制度。"]
    )  # fmt: skip


def test_a_list_of_results_gives_items(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    rows = ["某区2021年度项目支出绩效评价结果公示", "| 项目名称 | 主管部门 | 资金量(万元) | 评价得分 | 评价等级 |",
            "|---|---|---|---|---|", "| 道路养护 | 交通局 | 120 | 91 | 优 |", "| 河道保洁 | 水务局 | 80 | 83.5 | 良好 |",
            "| 合计 | | 200 | | |"]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = _results(path)
    assert (doc.year, doc.money_unit, doc.project, doc.score) == (2021, "万元", None, None)
    assert [(i.project, i.department, i.funds_amount, i.score, i.conclusion) for i in doc.items] == [
        ("道路养护", "交通局", 120, 91, "优"),
        ("河道保洁", "水务局", 80, 83.5, "良"),
    ]


def test_one_row_under_a_list_header_is_no_list(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    rows = [
        "某项目绩效评价结果",
        "| 项目名称 | 评价得分 | 评价等级 |",
        "|---|---|---|",
        "| 道路养护 | 91 | 差异 |",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert all(not d.items for d in _results(path))


@pytest.mark.parametrize(
    ("sentence", "score", "conclusion"),
    [
        ("经评价，该项目综合得分为86.3分，绩效等级为“良”。", 86.3, "良"),
        ("最终评定得分为88分，评价等级为良好。", 88, "良"),
    ],
)
def test_score_and_grade_sentences(tmp_path: Path, sentence: str, score: float, conclusion: str) -> None:
    path = tmp_path / "s.txt"
    path.write_text(f"某某专项资金绩效评价报告\n{sentence}\n", encoding="utf-8")
    (doc,) = _results(path)
    assert (doc.score, doc.conclusion) == (score, conclusion)
