"""Glued text: labels run into values, numbers run into each other."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.forms.glue import expand_run, split_labels, split_numbers

COLS = ["initial_budget", "executed", "weight", "execution_rate", "score"]


def test_issue_example_splits_where_the_arithmetic_holds() -> None:
    fit = expand_run("202010100.00%10", 0, ["annual_budget", "executed", "weight", "execution_rate", "score"])
    assert fit == (
        ["annual_budget", "executed", "weight", "execution_rate", "score"],
        ["20", "20", "10", "100.00%", "10"],
    )


def test_rate_rounded_to_whole_percent_still_fits() -> None:
    fit = expand_run("310.2154.741050%5", 0, COLS)
    assert fit == (COLS, ["310.2", "154.74", "10", "50%", "5"])


def test_sub_line_prefers_the_total_lines_values() -> None:
    hints = {"initial_budget": 310.2, "executed": 154.74}
    assert expand_run("310.2154.74", 0, COLS, hints) == (["initial_budget", "executed"], ["310.2", "154.74"])


def test_ambiguous_run_is_not_guessed() -> None:
    assert expand_run("310.2154.74", 0, COLS) is None  # 310.2|154.74 or 310.21|54.74: nothing says which


def test_labels_glued_to_values_are_split() -> None:
    text = "项目名称【体制】自管道路清扫保洁外包工作经费主管部门及代码北京市海淀区人民政府学院路街道办事处"
    assert split_labels(text) == [
        "项目名称",
        "【体制】自管道路清扫保洁外包工作经费",
        "主管部门及代码",
        "北京市海淀区人民政府学院路街道办事处",
    ]


def _shown(v: float) -> str:
    """A number as a table prints it: at most two decimals, no trailing zeros, never an exponent."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


_NUMBER = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,4})?$")


def _cuts(run: str, n: int) -> list[tuple[str, ...]]:
    """Every way to cut ``run`` into ``n`` printed numbers (the 4th, the rate, ending in %): the oracle."""
    if n == 0:
        return [()] if not run else []
    out: list[tuple[str, ...]] = []
    for end in range(1, len(run) + 1):
        head = run[:end]
        body = head[:-1] if n == 2 and head.endswith("%") else head
        if (n == 2) != head.endswith("%") or not _NUMBER.match(body):
            continue
        out.extend((head, *rest) for rest in _cuts(run[end:], n - 1))
    return out


def _arithmetic_holds(parts: tuple[str, ...]) -> bool:
    """执行率 = 全年执行数 / 年初预算数 (printed to the hundredth of a percent), 得分 = 分值 × 执行率, 得分 <= 分值."""
    budget, executed, weight, rate, score = (float(p.rstrip("%")) for p in parts)
    if budget == 0 or score > weight:
        return False
    return abs(100 * executed / budget - rate) <= 0.006 and abs(weight * rate / 100 - score) <= 0.006


def _half_unit(printed: str) -> float:
    """Half a unit of the last digit printed: what rounding to that precision may hide (``1%`` → 0.5)."""
    _, _, decimals = printed.rstrip("%").partition(".")
    return 0.5 * 10 ** -len(decimals)


def _fits_as_printed(parts: tuple[str, ...]) -> bool:
    """The arithmetic within the precision the rate and the score are printed to (a reader of ``1%`` cannot tell
    0.6% from 1.4%): a cut that fits this way is a reading too, so a unique split needs it to be the only one."""
    budget, executed, weight, rate, score = (float(p.rstrip("%")) for p in parts)
    if budget == 0 or score > weight:
        return False
    return (
        abs(100 * executed / budget - rate) <= _half_unit(parts[3]) + 1e-9
        and abs(weight * rate / 100 - score)
        <= _half_unit(parts[4]) + weight * _half_unit(parts[3]) / 100 + 1e-9
    )


@st.composite
def fund_line(draw: st.DrawFn) -> tuple[str, ...]:
    budget = draw(st.integers(min_value=100, max_value=99_999_999)) / 100
    executed = round(budget * draw(st.integers(min_value=1, max_value=100)) / 100, 2)
    rate = round(100 * executed / budget, 2)
    weight = draw(st.sampled_from([10, 20]))
    score = round(weight * rate / 100, 2)
    return _shown(budget), _shown(executed), _shown(weight), _shown(rate) + "%", _shown(score)


@settings(max_examples=300, deadline=None)
@given(parts=fund_line())
def test_a_split_is_the_printed_numbers_or_nothing(parts: tuple[str, ...]) -> None:
    """Never a wrong split: either the numbers that were glued, or None (reported, not guessed)."""
    got = split_numbers("".join(parts), tuple(COLS))
    assert got is None or got[1] == list(parts)


@settings(max_examples=300, deadline=None)
@given(parts=fund_line())
def test_a_run_only_one_cut_explains_is_split(parts: tuple[str, ...]) -> None:
    """Where exactly one cut of the run satisfies the fund arithmetic, the splitter must find it (a splitter
    that always answers None fails here)."""
    run = "".join(parts)
    cuts = _cuts(run, len(COLS))
    fitting = [c for c in cuts if _arithmetic_holds(c)]
    assert parts in fitting or not _arithmetic_holds(parts)
    if fitting == [parts] and [c for c in cuts if _fits_as_printed(c)] == [parts]:
        got = split_numbers(run, tuple(COLS))
        assert got is not None, (run, fitting)
        assert got[1] == list(parts), (run, fitting)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("88088010100%10", ["880", "880", "10", "100%", "10"]),
        ("65.6665.071099.1%9.91", ["65.66", "65.07", "10", "99.1%", "9.91"]),
        ("100502050%10", ["100", "50", "20", "50%", "10"]),
    ],
)
def test_runs_the_arithmetic_fixes_are_split(run: str, expected: list[str]) -> None:
    got = split_numbers(run, tuple(COLS))
    assert got is not None
    assert got[1] == expected


def test_labels_glued_in_traditional_script_with_glosses_split_on_the_folded_text() -> None:
    parts = split_labels("項(xiàng)目名稱檔案整理經(jīng)費主管部門項目實施單位黃岡市檔案館")
    assert parts == ["項(xiàng)目名稱", "檔案整理經(jīng)費", "主管部門", "項目實施單位", "黃岡市檔案館"]
    assert split_labels("项目名称ABC主管部门DEF") == ["项目名称", "ABC", "主管部门", "DEF"]


def test_column_headers_lose_their_printed_notes() -> None:
    from jixiao.forms.common import column_key

    assert column_key("全年预算数（A）") == "全年预算数"
    assert column_key("预算执行率(B/A×100%)") == "预算执行率"
    assert column_key("分值(10分)") == "分值"
    assert column_key("(万元)") == "(万元)"  # a bare unit is no column name
