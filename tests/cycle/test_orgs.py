from __future__ import annotations

import pytest

from jixiao.cycle.orgs import OrgError, OrgKind, OrgTree, read_csv
from tests.cycle.conftest import CITY


def test_tree_from_csv(city: OrgTree) -> None:
    assert city["U31"].kind is OrgKind.UNIT
    assert [o.code for o in city.ancestors("U31")] == ["U3", "D2", "F"]
    assert city.department_of("U31") is city["D2"]
    assert city.department_of("D1") is city["D1"]
    assert city.subtree("D1") == {"D1", "U1", "U2"}
    assert city.within("U1", "D1")
    assert not city.within("U1", "D2")


def test_excel_bom_is_accepted() -> None:
    assert "U1" in read_csv("\ufeff" + CITY)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("编码,名称\nA,甲\n", "缺少列 类型、上级编码"),
        ("编码,名称,类型,上级编码\nA,甲,部门,\n", "第 2 行：类型“部门”"),
        ("编码,名称,类型,上级编码\nA,,主管部门,\n", "第 2 行：编码和名称不能为空"),
        ("编码,名称,类型,上级编码\nA,甲,主管部门,\nA,乙,主管部门,\n", "组织编码重复：A"),
        ("编码,名称,类型,上级编码\nU,甲,实施单位,X\n", "上级编码 X 不存在"),
        ("编码,名称,类型,上级编码\nU,甲,实施单位,\n", "实施单位不能位于顶层之下"),
        ("编码,名称,类型,上级编码\nF,财政,财政局,\nU,甲,实施单位,F\n", "实施单位不能位于财政局之下"),
        ("编码,名称,类型,上级编码\nA,甲,实施单位,B\nB,乙,实施单位,A\n", "上级关系成环"),
        ("编码,名称,类型,上级编码,归口处室\nD,甲,主管部门,,X\n", "归口处室 X 不是业务处室"),
    ],
)
def test_bad_files_say_where_and_why(text: str, says: str) -> None:
    with pytest.raises(OrgError, match=says) as err:
        read_csv(text, "orgs.csv")
    assert str(err.value).startswith("orgs.csv")
    assert "\n" not in str(err.value)


def test_a_cycle_is_refused() -> None:
    from jixiao.cycle.orgs import Org

    with pytest.raises(OrgError, match="上级关系成环"):
        OrgTree.of([Org("A", "甲", OrgKind.UNIT, "B"), Org("B", "乙", OrgKind.UNIT, "A")])
