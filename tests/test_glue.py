"""Glued text: labels run into values, numbers run into each other."""

from __future__ import annotations

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


@st.composite
def fund_line(draw: st.DrawFn) -> tuple[str, ...]:
    budget = draw(st.integers(min_value=100, max_value=99_999_999)) / 100
    executed = round(budget * draw(st.integers(min_value=1, max_value=100)) / 100, 2)
    rate = round(100 * executed / budget, 2)
    weight = draw(st.sampled_from([10, 20]))
    score = round(weight * rate / 100, 2)

    def show(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else f"{v:g}"

    return show(budget), show(executed), show(weight), show(rate) + "%", show(score)


@settings(max_examples=300, deadline=None)
@given(parts=fund_line())
def test_a_split_is_the_printed_numbers_or_nothing(parts: tuple[str, ...]) -> None:
    """Never a wrong split: either the numbers that were glued, or None (reported, not guessed)."""
    got = split_numbers("".join(parts), tuple(COLS))
    assert got is None or got[1] == list(parts)
