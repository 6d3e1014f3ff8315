from __future__ import annotations

import pytest

from jixiao.cycle.orgs import OrgTree, read_csv

# A city: the finance bureau with two divisions; two departments, one assigned to each division; units below.
CITY = """编码,名称,类型,上级编码,归口处室
F,某市财政局,财政局,,
F1,教科文处,业务处室,F,
F2,经济建设处,业务处室,F,
D1,某市教育局,主管部门,F,F1
D2,某市农业农村局,主管部门,F,F2
U1,第一中学,实施单位,D1,
U2,第二中学,实施单位,D1,
U3,农技推广中心,实施单位,D2,
U31,农技推广中心东站,实施单位,U3,
"""


@pytest.fixture
def city() -> OrgTree:
    return read_csv(CITY)
