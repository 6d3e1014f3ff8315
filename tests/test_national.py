"""The national 绩效目标表 read from its labels in every extraction style it comes in.

The table below is written here from the national template (项目名称 · 主管部门及代码 · 实施单位 · 项目资金 (万元) ·
年度资金总额 · 总体目标 / 年度目标 · 一级/二级/三级指标 · 指标值), not copied from a corpus file; each style prints the same
table the way one extraction tool does, and every style must give the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao import parse_bytes, parse_file
from jixiao.model import TargetDeclaration

HEADER: list[list[str]] = [
    ["项目名称", "社区健身器材更新项目"],
    ["主管部门及代码", "[215]示例市体育局", "实施单位", "示例市全民健身中心"],
    ["项目资金 (万元)", "年度资金总额:", "36.50"],
    ["其中:财政拨款", "36.50"],
    ["其他资金", ""],
    ["总体目标", "年度目标"],
    ["三年内更新全市社区健身器材", "本年更新120个社区的器材"],
]
INDICATORS: list[list[str]] = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标 (必填)", "更新社区数", "≥120个"],
    ["", "", "器材安装数量", "≥600件"],
    ["", "质量指标", "器材验收合格率", "100%"],
    ["", "时效指标", "完成时间", "2024年10月"],
    ["", "成本指标 (必填)", "单个社区更新成本", "≤3000元"],
    ["效益指标", "社会效益指标", "居民健身参与率提升", "≥5%"],
    ["", "可持续影响指标", "器材使用年限", "≥8年"],
    ["", "服务对象满意度指标", "居民满意度", "≥90%"],
]
TITLE = "项目支出绩效目标表"
YEAR_LINE = "(2024年度)"

EXPECTED = [
    ("产出指标", "数量指标", "更新社区数", "≥120个"),
    ("产出指标", "数量指标", "器材安装数量", "≥600件"),
    ("产出指标", "质量指标", "器材验收合格率", "100%"),
    ("产出指标", "时效指标", "完成时间", "2024年10月"),
    ("成本指标", None, "单个社区更新成本", "≤3000元"),
    ("效益指标", "社会效益指标", "居民健身参与率提升", "≥5%"),
    ("效益指标", "可持续影响指标", "器材使用年限", "≥8年"),
    # the 2015 template prints satisfaction as a 二级 under 效益指标: it keeps 效益指标
    ("效益指标", "服务对象满意度指标", "居民满意度", "≥90%"),
]


def _rows() -> list[list[str]]:
    return [*HEADER, *INDICATORS]


def pipe_rows() -> str:
    lines = [TITLE, YEAR_LINE]
    lines += [" | ".join(r) + " | ||" for r in _rows()]
    return "\n".join(lines) + "\n"


def cell_per_line() -> str:
    """Each cell on its own line ending `` |``, a row opened by a lone ``|`` and closed by a rule ``||||``."""
    lines = [TITLE + " |", "||||||", YEAR_LINE + " |", "||||||"]
    for r in _rows():
        lines.append("|")
        lines += [f"{c} |" if c else "|" for c in r]
        lines.append("||||")
    return "\n".join(lines) + "\n"


def paragraphs() -> str:
    """One cell per blank-line paragraph; merged (empty) cells are not printed."""
    cells = [TITLE, YEAR_LINE] + [c for r in _rows() for c in r if c]
    return "\n\n".join(cells) + "\n"


def glued() -> str:
    """Every row's cells run together on one line, as a flattened web page gives them."""
    lines = [TITLE, YEAR_LINE] + ["".join(c.replace(" ", "") for c in r) for r in _rows()]
    return "\n".join(lines) + "\n"


STYLES: dict[str, Callable[[], str]] = {
    "pipe_rows": pipe_rows,
    "cell_per_line": cell_per_line,
    "paragraphs": paragraphs,
    "glued": glued,
}


def _declaration(text: str) -> TargetDeclaration:
    result = parse_bytes(text.encode(), "declaration.txt")
    docs = [d for d in result.documents if isinstance(d, TargetDeclaration)]
    assert len(docs) == 1, (result.findings, result.documents)
    return docs[0]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_header_and_funds_in_every_style(style: str) -> None:
    doc = _declaration(STYLES[style]())
    assert doc.year == 2024
    assert doc.project == "社区健身器材更新项目"
    assert doc.department == "示例市体育局"  # the code the label announces is not part of the name
    assert doc.unit == "示例市全民健身中心"
    assert doc.total_budget == 36.5
    assert doc.money_unit == "万元"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_indicators_in_every_style(style: str) -> None:
    doc = _declaration(STYLES[style]())
    got = [(i.level1, i.level2, i.name, i.target) for i in doc.indicators]
    assert got == EXPECTED


@pytest.mark.parametrize("style", ["pipe_rows", "cell_per_line", "paragraphs"])
def test_two_goal_columns_side_by_side(style: str) -> None:
    doc = _declaration(STYLES[style]())
    assert doc.overall_goal == "三年内更新全市社区健身器材"
    assert doc.annual_goal == "本年更新120个社区的器材"


def test_split_unit_nature_value_columns_are_glued_into_the_target() -> None:
    text = "\n".join(
        [
            "项目绩效目标表 | ||",
            "(2023年度) | ||",
            "项目名称 | 河道保洁服务 | ||",
            "具体实施单位 | 示例区水务中心 | ||",
            "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 计量单位 | 指标性质 | 指标值 | ||",
            "产出指标 | 数量指标 | 保洁河道长度 | 公里 | ≥ | 42 | ||",
            "质量指标 | 水面漂浮物清除率 | % | = | 100 | ||",
        ]
    )
    doc = _declaration(text + "\n")
    assert [(i.level2, i.name, i.target) for i in doc.indicators] == [
        ("数量指标", "保洁河道长度", "≥42公里"),
        ("质量指标", "水面漂浮物清除率", "=100%"),
    ]
    assert doc.unit == "示例区水务中心"
    assert doc.money_unit is None  # nothing prints a unit: none is assumed


def test_amount_cell_with_its_breakdown_gives_subprojects_only_when_they_add_up() -> None:
    rows = [
        "绩效目标申报表",
        "项目名称 | 农村道路养护 | ||",
        "资金情况(万元) | 年度资金总额: | 90万(路面修补50万元,桥涵维护40万元) | ||",
        "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | ||",
        "产出指标 | 数量指标 | 修补路面面积 | ≥3000平方米 | ||",
    ]
    doc = _declaration("\n".join(rows) + "\n")
    assert doc.total_budget == 90
    assert [(s.name, s.amount) for s in doc.subprojects] == [("路面修补", 50), ("桥涵维护", 40)]
    rows[2] = "资金情况(万元) | 年度资金总额: | 90万(路面修补50万元,桥涵维护30万元) | ||"
    doc = _declaration("\n".join(rows) + "\n")
    assert doc.total_budget == 90
    assert doc.subprojects == []  # 50 + 30 is not 90: the breakdown is not read as the subprojects


def test_indicators_written_as_prose() -> None:
    text = "\n".join(
        [
            "关于示例镇温室蔬菜种植项目绩效目标设定的公示",
            "一、产出指标",
            "数量指标:新建温室数量(≥**栋)>=12栋;蔬菜种植面积>=30亩。时效指标:完成及时率>=100%。",
            "成本指标:每栋温室补助标准≤2.5万元。",
            "二、效益指标",
            "经济效益指标:带动农户增收(≥**万元)≥20万元;生态效益指标:改善土壤结构。",
            "三、满意度指标",
            "服务对象满意度指标,受益农户满意度≥95%。",
            "示例县示例镇人民政府",
            "2024年3月1日",
        ]
    )
    doc = _declaration(text + "\n")
    assert doc.project == "示例镇温室蔬菜种植项目"
    assert doc.unit == "示例县示例镇人民政府"
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "新建温室数量(≥**栋)", ">=12栋"),
        ("产出指标", "数量指标", "蔬菜种植面积", ">=30亩"),
        ("产出指标", "时效指标", "完成及时率", ">=100%"),
        ("成本指标", None, "每栋温室补助标准", "≤2.5万元"),
        ("效益指标", "经济效益指标", "带动农户增收(≥**万元)", "≥20万元"),
        ("效益指标", "生态效益指标", "改善土壤结构", None),
        ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥95%"),
    ]


def test_a_label_is_never_a_value() -> None:
    text = "\n\n".join(
        ["专项资金绩效目标表", "项目名称", "部门名称", "年度资金总额", "其中:中央补助", "50", "一级指标", "二级指标",
         "三级指标", "指标值", "产出指标", "数量指标", "培训人次", "≥200人次"]
    )  # fmt: skip
    doc = _declaration(text + "\n")
    assert doc.project is None
    assert doc.total_budget is None
    assert any(f.code == "PARSE-MISSING" for f in doc.findings)


def test_scrambled_reading_order_is_reported_not_read() -> None:
    """Vertical labels interleaved with values: a value where a name stands means the order is lost."""
    text = "\n".join(
        ["项目绩效目标表", "项目名称", "动物防疫补助", "一级指标", "二级指标", "三级指标", "指标值", "产出指标",
         "数量指标", "免疫率", "100%", "≥95%", "检疫率"]
    )  # fmt: skip
    result = parse_bytes((text + "\n").encode(), "scrambled.txt")
    docs = [d for d in result.documents if isinstance(d, TargetDeclaration)]
    assert all(not d.indicators for d in docs)
    assert any("打乱" in f.message for f in result.all_findings)


# --- the real corpus: the national declarations read in full (gold in shared/corpus/real/gold) -----------------------


def test_real_national_declarations(shared: Path) -> None:
    real = shared / "corpus" / "real"
    r202 = parse_file(real / "r202.txt").documents[0]
    assert isinstance(r202, TargetDeclaration)
    assert (r202.project, r202.department, r202.unit, r202.total_budget) == (
        "雾炮车抑尘降尘服务",
        "湘潭市城市管理和综合执法局",
        "湘潭市环境卫生管理处",
        250,
    )
    assert len(r202.indicators) == 7
    r203 = parse_file(real / "r203.txt").documents[0]
    assert isinstance(r203, TargetDeclaration)
    assert sum(s.amount or 0 for s in r203.subprojects) == r203.total_budget == 854
    assert [i.level2 for i in r203.indicators if i.level1 == "效益指标"] == [
        "经济效益指标",
        "社会效益指标",
        "社会效益指标",
        "生态效益指标",
        "生态效益指标",
        "可持续影响指标",
    ]
    r217 = parse_file(real / "r217.txt").documents[0]
    assert isinstance(r217, TargetDeclaration)
    assert [i.target for i in r217.indicators] == ["=3500米", "=15000株", "≥85%"]


# --- rows, periods and funds as the other templates and notices print them ------------------------------------------


def test_cost_row_with_an_empty_second_level_cell_is_kept() -> None:
    rows = [
        "| 项目支出绩效目标表 | | | | |",
        "| 项目名称 | 街巷保洁服务 | | | |",
        "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| | 产出指标 | 数量指标 | 保洁街巷条数 | ≥40条 |",
        "| | 成本指标 | | 服务单价 | ≤12元/平方米 |",
        "| | 效益指标 | 社会效益指标 | 街巷环境改善 | 明显 |",
    ]
    doc = _declaration("\n".join(rows) + "\n")
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "保洁街巷条数", "≥40条"),
        ("成本指标", None, "服务单价", "≤12元/平方米"),
        ("效益指标", "社会效益指标", "街巷环境改善", "明显"),
    ]


@pytest.mark.parametrize(
    ("printed", "start", "end"),
    [
        ("2023年7月至2024年1月", "2023-07", "2024-01"),
        ("2023.07-2024.01", "2023-07", "2024-01"),
        ("2025年1月-12月", "2025-01", "2025-12"),
        ("2024年3月1日至2024年11月30日", "2024-03-01", "2024-11-30"),
        ("2024年11月至2024年3月", None, None),  # an end before the start is no period
    ],
)
def test_period_by_day_or_by_month(printed: str, start: str | None, end: str | None) -> None:
    from jixiao.model import to_v1

    rows = [
        "| 项目绩效目标表 | | | |",
        "| 项目名称 | 街巷保洁服务 | | |",
        f"| 实施期限 | {printed} | | |",
        "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| | 产出指标 | 数量指标 | 保洁街巷条数 | ≥40条 |",
    ]
    v1 = to_v1(_declaration("\n".join(rows) + "\n"))
    assert (v1["start"], v1["end"]) == (start, end)


def test_month_period_round_trips_through_v1() -> None:
    from jixiao.model import from_v1, to_v1

    doc = TargetDeclaration(project="x")
    doc.start, doc.end, doc.period_in_months = __import__("datetime").date(2023, 7, 1), None, True
    back = from_v1({**to_v1(doc), "end": "2024-01"})
    assert isinstance(back, TargetDeclaration)
    assert to_v1(back)["start"] == "2023-07"
    assert to_v1(back)["end"] == "2024-01"


def test_signature_note_after_a_label_and_a_title_are_not_split() -> None:
    lines = ["项目绩效目标表", "(2024年)", "项目名称", "街巷保洁服务", "实施单位（盖章）", "示例区环卫所",
             "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "保洁街巷条数", "≥40条"]  # fmt: skip
    doc = _declaration("\n".join(lines) + "\n")
    assert (doc.year, doc.project, doc.unit) == (2024, "街巷保洁服务", "示例区环卫所")
    assert [(i.name, i.target) for i in doc.indicators] == [("保洁街巷条数", "≥40条")]


def test_space_separated_rows_give_text_targets_and_keep_names_whole() -> None:
    lines = [
        "项目支出绩效目标表",
        "项目名称 街巷保洁服务",
        "绩效指标 一级指标 二级指标 三级指标 指标值",
        "产出指标 数量指标 保洁街巷条数 ≥40条",
        "质量指标 保洁质量 优良",
        "时效指标 项目完成时间 2024年底",
        "效益指标 社会效益指标 街巷环境 明显改善",
    ]
    doc = _declaration("\n".join(lines) + "\n")
    assert [(i.level2, i.name, i.target) for i in doc.indicators] == [
        ("数量指标", "保洁街巷条数", "≥40条"),
        ("质量指标", "保洁质量", "优良"),
        ("时效指标", "项目完成时间", "2024年底"),  # 完成时间 inside a name is no label
        ("社会效益指标", "街巷环境", "明显改善"),
    ]


def test_notice_funds_in_prose() -> None:
    notice = [
        "关于示例镇大棚种植项目绩效目标设定的公示",
        "安排示例财指标[2023]12号资金50万元,实施示例镇大棚种植项目。",
        "数量指标:新建大棚数量>=10栋。",
        "示例镇人民政府",
        "2023年3月1日",
    ]
    doc = _declaration("\n".join(notice) + "\n")
    assert (doc.total_budget, doc.money_unit) == (50, "万元")
    two = [*notice[:2], "另安排配套资金20万元。", *notice[2:]]
    doc = _declaration("\n".join(two) + "\n")
    assert doc.total_budget is None  # two amounts: which is the project's total is not guessed


def test_prose_amount_gives_the_unit_only_when_it_agrees_with_the_form() -> None:
    def doc_for(prose: str) -> TargetDeclaration:
        rows = [
            prose,
            "项目支出绩效目标表 |",
            "项目名称 | 送戏下乡补助 | ||",
            "项目资金 | 年度资金总额: | 5.00 | ||",
            "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | ||",
            "产出指标 | 数量指标 | 送戏场次 | ≥70场 | ||",
        ]
        return _declaration("\n".join(rows) + "\n")

    assert doc_for("(6)年度预算安排。送戏下乡补助预算安排5万元").money_unit == "万元"
    assert doc_for("(6)年度预算安排。送戏下乡补助预算安排8万元").money_unit is None


def test_empty_total_in_the_form_is_not_filled_from_the_notice() -> None:
    rows = [
        "下达2023年补助资金134.39万元,其中一般公共预算资金50.29万元。",  # the money of two tables
        "绩效目标表(一般公共预算资金) | |||||",
        "项目名称 | 残疾人补助 | ||",
        "资金金额 | 年度资金总额 | ||",
        "其中:中央补助 | 50.29 | ||",
        "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | ||",
        "产出指标 | 数量指标 | 受益人数 | ≥100人 | ||",
    ]
    assert _declaration("\n".join(rows) + "\n").total_budget is None


def test_glued_trend_target_is_split_from_its_name() -> None:
    lines = ["项目支出绩效目标表", "项目名称示例学校改造", "一级指标二级指标三级指标指标值",
             "产出指标数量指标改造学校数量≥3所", "效益指标可持续影响指标教育均衡发展水平稳步提高",
             "满意度指标服务对象满意度指标家长满意度≥90%"]  # fmt: skip
    doc = _declaration("\n".join(lines) + "\n")
    assert ("教育均衡发展水平", "稳步提高") in [(i.name, i.target) for i in doc.indicators]


def test_value_columns_with_the_forms_letters() -> None:
    rows = [
        "| 项目支出绩效目标表 | | | | |",
        "| 项目名称 | 街巷保洁服务 | | | |",
        "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值（A） |",
        "| | 产出指标 | 数量指标 | 保洁街巷条数 | ≥40条 |",
    ]
    doc = _declaration("\n".join(rows) + "\n")
    assert [(i.name, i.target) for i in doc.indicators] == [("保洁街巷条数", "≥40条")]


def test_a_name_the_extraction_broke_is_not_split_into_name_and_target() -> None:
    lines = ["项目支出绩效目标表", "项目名称 街巷保洁服务", "绩效指标 一级指标 二级指标 三级指标 指标值",
             "产出指标 数量指标 保洁街巷条数 ≥40条", "效益指标 社会效益指标 受益 人数"]  # fmt: skip
    doc = _declaration("\n".join(lines) + "\n")
    assert [(i.name, i.target) for i in doc.indicators][-1] == ("受益人数", None)


# The national 中期 template: 项目资金 with 中期资金总额 and 年度资金总额, 总体目标 over 中期目标 · 年度目标, and an indicator
# block whose one 一级 column is followed by two groups (二级 · 三级 · 指标值), 中期 then 年度.
MIDTERM = [
    ["项目支出绩效目标申报表"],
    ["（2024年度）"],
    ["项目名称", "乡村道路养护"],
    ["主管部门及代码", "[101]示例县交通运输局", "", "", "实施单位", "示例县公路养护中心"],
    ["项目资金（万元）", "", "中期资金总额", "300", "", "年度资金总额", "100"],
    ["总体目标", "中期目标（2024年—2026年）", "", "", "", "年度目标"],
    ["", "三年养护道路300公里", "", "", "", "本年养护道路100公里"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
    ["", "产出指标", "数量指标", "养护道路里程", "≥300公里", "数量指标", "养护道路里程", "≥100公里"],
    ["", "", "质量指标", "路况优良率", "≥85%", "质量指标", "路况优良率", "≥90%"],
    ["", "效益指标", "社会效益指标", "群众出行条件", "明显改善", "社会效益指标", "群众出行条件", "有所改善"],
]


@pytest.mark.parametrize("sep", [" | ", "\t"])
def test_midterm_template_reads_the_annual_group(sep: str) -> None:
    width = max(map(len, MIDTERM))
    if sep == "\t":
        text = "\n".join("\t".join(r) for r in MIDTERM)
    else:
        text = "\n".join("| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in MIDTERM)
    doc = _declaration(text + "\n")
    assert (doc.total_budget, doc.overall_goal, doc.annual_goal) == (
        100,
        "三年养护道路300公里",
        "本年养护道路100公里",
    )
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "养护道路里程", "≥100公里"),
        ("产出指标", "质量指标", "路况优良率", "≥90%"),
        ("效益指标", "社会效益指标", "群众出行条件", "有所改善"),
    ]


def test_midterm_template_without_rows_reads_no_indicator_and_says_so() -> None:
    text = "\n\n".join(c for r in MIDTERM for c in r if c)
    doc = _declaration(text + "\n")
    assert doc.indicators == []
    assert any(f.code == "PARSE-ROW" and "两组" in f.message for f in doc.findings)


def test_provincial_header_synonyms() -> None:
    rows = [
        "| 项目绩效目标表 | | | | |",
        "| 项目名称 | 街巷保洁服务 | | | |",
        "| 主管部门名称 | 示例区城管局 | 项目单位 | 示例区环卫所 | |",
        "| 预算总额（万元） | 36.5 | 项目实施期 | 2024年1月至2024年12月 | |",
        "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度目标值 | 指标单位 |",
        "| | 产出指标 | 数量指标 | 保洁街巷条数 | ≥40 | 条 |",
    ]
    doc = _declaration("\n".join(rows) + "\n")
    assert (doc.department, doc.unit, doc.total_budget, doc.money_unit) == (
        "示例区城管局",
        "示例区环卫所",
        36.5,
        "万元",
    )
    assert (doc.start, doc.period_in_months) == (__import__("datetime").date(2024, 1, 1), True)
    assert [(i.name, i.target) for i in doc.indicators] == [("保洁街巷条数", "≥40条")]


def test_goal_heading_over_one_annual_column_and_editorial_summaries() -> None:
    def goals(lines: list[str]) -> tuple[str | None, str | None]:
        doc = _declaration("\n\n".join(["项目支出绩效目标表", "项目名称", "街巷保洁服务", *lines, "一级指标", "二级指标",
                                        "三级指标", "指标值", "产出指标", "数量指标", "保洁街巷条数", "≥40条"]) + "\n")  # fmt: skip
        return doc.overall_goal, doc.annual_goal

    # 总体目标 heads the row, 年度目标 its one column: the one value is the annual goal
    assert goals(["总体目标", "年度目标", "完成主体工程70%"]) == (None, "完成主体工程70%")
    assert goals(["总体目标", "年度目标", "三年完成全部工程", "完成主体工程70%"]) == (
        "三年完成全部工程",
        "完成主体工程70%",
    )
    # a site's 【…】 summary stands where the form's text was: it is not the goal
    assert goals(["年度总体目标", "【概述：实施营造林8万亩】"]) == (None, None)
