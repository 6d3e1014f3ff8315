"""The text reader finds the cells of a row whatever separated them."""

from __future__ import annotations

from jixiao.readers.text import read_text


def _cells(text: str) -> list[list[str]]:
    grid = read_text(text.encode("utf-8"), "t.txt")
    return [[c.text for c in r.cells] for r in grid.rows]


def test_pipe_row_without_leading_pipe_is_split_and_trailing_run_dropped() -> None:
    rows = _cells("名称 | = | 100 | % | 5 | ||||||\n合计 | 100 | |||||||||\n")
    assert rows == [["名称", "=", "100", "%", "5"], ["合计", "100"]]


def test_empty_cells_between_filled_ones_keep_their_column() -> None:
    assert _cells("年度资金总额: | 808.1 | | 86% |\n其他 | x\n")[0] == ["年度资金总额:", "808.1", "", "86%"]


def test_one_cell_per_line_ending_in_pipe_stays_one_cell() -> None:
    rows = _cells("临时救助 |\n民政局 |\n")
    assert [len(r) for r in rows] == [1, 1]


def test_filler_lines_are_skipped_and_a_broken_cell_continues_its_row() -> None:
    text = "甲 | = | 100 | % | 100 | 5 |\n|\n| |||\n乙 | 定性 | 优良中低差 |\n| 优 | 10 |\n|\n| ||\n合计 | 100 |\n"
    rows = [[c for c in r if c] for r in _cells(text)]
    assert rows == [
        ["甲", "=", "100", "%", "100", "5"],
        ["乙", "定性", "优良中低差", "优", "10"],
        ["合计", "100"],
    ]


def test_a_continuation_needs_the_line_directly_after() -> None:
    rows = _cells("乙 | 定性 | 优良中低差 |\n\n| 优 | 10 |\n")
    assert len(rows) == 2


def test_pinyin_glosses_and_traditional_forms_fold_before_matching() -> None:
    from jixiao.forms.categories import canonical
    from jixiao.forms.common import fold_glosses, key

    assert key("項(xiàng)目名稱") == "项目名称"
    assert key("預(yù)算執(zhí)行情況(萬元)") == "预算执行情况(万元)"
    assert key("分值(10分)") == "分值(10分)"
    assert key("执行率(B/A)") == "执行率(B/A)"
    assert canonical("可持續(xù)影響指標(biāo)") == "可持续影响指标"
    assert fold_glosses("數(shù)字化") == "數字化"
