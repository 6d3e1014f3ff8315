"""A header value is a value: never a table rule, a signer's note or another label (issue 14, item 7)."""

from __future__ import annotations

import pytest

from jixiao.forms.common import labelled, name_after_file_number, value_after
from jixiao.model import SourceRef
from jixiao.readers.base import Cell, Row


def _row(*texts: str) -> Row:
    ref = SourceRef(path="t.txt", line=1)
    return Row(cells=[Cell(text=t, ref=ref) for t in texts], ref=ref)


def test_table_rules_before_the_value_are_skipped() -> None:
    c = value_after(_row("项目名称", "|", "｜ |", "原州区南部水源涵养林建设项目", "||||"), 0)
    assert c is not None
    assert c.text == "原州区南部水源涵养林建设项目"


def test_a_row_of_rules_has_no_value() -> None:
    assert value_after(_row("项目名称", "|", "||"), 0) is None


@pytest.mark.parametrize("label", ["全年预算数", "年初预算数", "一级指标", "偏差原因分析及改进措施"])
def test_a_label_is_never_a_value(label: str) -> None:
    assert value_after(_row("实施单位", label, "65.66"), 0) is None


@pytest.mark.parametrize("note", ["(盖章)", "（盖章）", "( 签章 )"])
def test_the_signers_note_is_part_of_the_label(note: str) -> None:
    got = labelled(
        _row("主管部门", "某县医疗保障局", "实施单位", note, "某县医疗保障中心"), "主管部门", "实施单位"
    )
    assert {k: v.text if v else None for k, v in got.items()} == {
        "主管部门": "某县医疗保障局",
        "实施单位": "某县医疗保障中心",
    }
    glued = labelled(_row("实施单位" + note, "某县医疗保障中心"), "实施单位")
    assert glued["实施单位"] is not None
    assert glued["实施单位"].text == "某县医疗保障中心"


@pytest.mark.parametrize(
    ("value", "following", "expected"),
    [
        ("昌州财行(2022)10号", "国家统计局调查队专项经费", "昌州财行(2022)10号国家统计局调查队专项经费"),
        ("财预〔2021〕5号", "农村公路养护补助资金", "财预〔2021〕5号农村公路养护补助资金"),
        ("财预〔2021〕5号", "项目负责人及电话", "财预〔2021〕5号"),  # a label the vocabulary lacks
        ("财预〔2021〕5号", "主管部门", "财预〔2021〕5号"),
        ("财预〔2021〕5号", None, "财预〔2021〕5号"),
        ("水旱灾害防御经费", "水利局", "水旱灾害防御经费"),  # a name, not a file number: nothing is joined
    ],
)
def test_a_file_number_alone_is_continued_by_the_next_cell(
    value: str, following: str | None, expected: str
) -> None:
    assert name_after_file_number(value, following) == expected
