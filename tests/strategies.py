"""Hypothesis strategies: random documents of the three kinds, as a parser should read them back.

Values are drawn as printed strings first and the model holds what those strings mean, so a round trip
compares exactly.  Texts use an alphabet that cannot spell a form label (no 总/分/项/目/指/标/评/表 …).

The form's words (category labels, check-box options) are written here from ``../shared/spec/document-format.md``
and the real documents, never imported from ``src/``: a label the parsers lack then fails a round trip instead of
being drawn from the parsers' own list.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from jixiao.model import (
    EvaluationResult,
    FundLine,
    Goal,
    Indicator,
    SelfEvaluation,
    Subproject,
    TargetDeclaration,
)
from jixiao.text import parse_number

SAFE = "学习平台课件发布系统运行稳定支持账号验收通过制作完成更新培训人次课达标出勤率研究提升建设管理机制有效持续党员干部服务网络会议运维保障工作经费教育远程直播录制信息"
text = st.text(alphabet=SAFE, min_size=2, max_size=14)
long_text = st.lists(text, min_size=1, max_size=4).map("，".join).map(lambda s: s + "。")

OPERATORS = ["≥", ">=", "≧", "≤", "<=", "＝", "=", "﹦", "═", "‹=", "大于等于", "不低于", ""]
UNITS = ["", "%", "(%)", "（%）", "人次", "(人)", "课时", "万", "个", "天", "(次)"]


@st.composite
def value_text(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["quant", "quant", "qual", "deadline"]))
    if kind == "qual":
        return draw(
            st.sampled_from(["及时", "是", "达成指标", "符合要求", "有效", "稳定", "建立健全", "未完成"])
        )
    if kind == "deadline":
        return draw(st.sampled_from(["10月底", "6月底前", "12月前", "3月底前"]))
    op = draw(st.sampled_from(OPERATORS))
    num = draw(st.sampled_from(["1", "4.00", "90", "95", "100", "100.00", "36.5", "300-400", "150000"]))
    return op + num + draw(st.sampled_from(UNITS))


def score_text(max_value: float) -> st.SearchStrategy[str]:
    return st.sampled_from(["0", "0.5", "1", "2", "2.5", "3", "4", "5", "8", "10", "20", "30"]).filter(
        lambda s: float(s) <= max_value
    )


WEIGHTS = ["1", "2", "2.5", "3", "4", "5", "6", "7", "10", "15", "20", "30"]
# (一级指标, 二级指标) as document-format.md names them (canonical categories) and the real documents print them.
LEVELS: list[tuple[str, str | None]] = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("成本指标", None),
    ("成本指标", "经济成本指标"),
    ("成本指标", "社会成本指标"),
    ("成本指标", "生态环境成本指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
]
# The Shanghai 申报表's check boxes, as the seed declarations print them.
PROJECT_TYPES = (
    "市委市政府已确定的新增项目",
    "结转项目",
    "其他一次性项目",
    "经常性专项业务费",
    "其他经常性项目",
)
FUND_USES = ("基本建设工程类", "信息化建设类", "政策补贴类", "政府购买服务", "资产购置类", "其他事业专业类")


@st.composite
def indicator(draw: st.DrawFn, levels: tuple[str, str | None]) -> Indicator:
    weight = draw(st.sampled_from(WEIGHTS))
    return Indicator(
        level1=levels[0],
        level2=levels[1],
        name=draw(text),
        target=draw(value_text()),
        actual=draw(value_text()),
        weight=parse_number(weight),
        score=parse_number(draw(score_text(float(weight)))),
        deviation=draw(st.none() | text),
    )


@st.composite
def amount(draw: st.DrawFn) -> str:
    whole = draw(st.integers(min_value=0, max_value=99_999_999))
    cents = draw(st.none() | st.integers(min_value=0, max_value=99))
    sep = draw(st.booleans())
    body = f"{whole:,}" if sep else str(whole)
    return body if cents is None else f"{body}.{cents:02d}"


@st.composite
def self_evaluation(draw: st.DrawFn) -> SelfEvaluation:
    groups = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=5, unique=True))
    # a group without a 二级 label cannot follow a sibling group of the same 一级 on paper: keep one of them
    bare = {g[0] for g in groups if g[1] is None}
    groups = [g for g in groups if g[0] not in bare or g[1] is None]
    groups.sort(key=lambda g: ["产出指标", "成本指标", "效益指标", "满意度指标"].index(g[0]))
    indicators = [ind for g in groups for ind in draw(st.lists(indicator(g), min_size=1, max_size=4))]
    money = draw(st.sampled_from(["元", "万元"]))

    def fund(line: str, full: bool) -> FundLine:
        vals = [parse_number(draw(amount())) if draw(st.booleans()) or full else None for _ in range(3)]
        return FundLine(
            line=line,
            initial_budget=vals[0],
            annual_budget=vals[1],
            executed=vals[2],
            weight=10.0 if full else None,
            execution_rate=parse_number(draw(st.sampled_from(["98.98", "100", "10.41", "0"])))
            if full
            else None,
            score=parse_number(draw(st.sampled_from(["9.9", "10", "1.04", "0"]))) if full else None,
        )

    total_weight = sum(i.weight or 0 for i in indicators) + 10
    total_score = round(sum(i.score or 0 for i in indicators) + 9.9, 2)
    return SelfEvaluation(
        year=draw(st.integers(min_value=2016, max_value=2026)),
        project=draw(text) + "经费",
        money_unit=money,  # type: ignore[arg-type]
        department=draw(text) + "部",
        implementing_unit=draw(text) + "中心",
        funds=[
            fund("年度资金总额", True),
            fund("其中：当年财政拨款", False),
            fund("上年结转资金", False),
            fund("其他资金", False),
        ],
        goal=draw(st.none() | st.builds(Goal, expected=long_text, actual=long_text)),
        indicators=indicators,
        total_weight=total_weight,
        total_score=total_score,
        grade=draw(st.none() | st.sampled_from(["优", "良", "中", "差"])),
    )


@st.composite
def declaration(draw: st.DrawFn) -> TargetDeclaration:
    year = draw(st.integers(min_value=2016, max_value=2026))
    groups = draw(
        st.lists(
            st.sampled_from(["投入和管理目标", "产出目标", "效果目标", "影响力目标"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    indicators = [
        Indicator(level1=g, name=draw(text), target=draw(value_text() | long_text))
        for g in groups
        for _ in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    budget = parse_number(draw(amount()))
    return TargetDeclaration(
        year=year,
        project=draw(text) + "经费",
        money_unit="元",
        unit=draw(text) + "中心",
        project_type=[draw(st.sampled_from(PROJECT_TYPES))],
        fund_use=[draw(st.sampled_from(FUND_USES))],
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, draw(st.integers(min_value=1, max_value=31))),
        total_budget=budget,
        annual_budget=budget,
        previous_budget=draw(st.none() | amount().map(parse_number)),
        previous_executed=draw(st.none() | amount().map(parse_number)),
        subprojects=draw(
            st.lists(st.builds(Subproject, name=text, amount=amount().map(parse_number)), max_size=3)
        ),
        overall_goal=draw(long_text),
        annual_goal=draw(long_text),
        indicators=indicators,
    )


@st.composite
def evaluation(draw: st.DrawFn) -> EvaluationResult:
    score = draw(st.integers(min_value=4000, max_value=10000)) / 100
    grade = "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"
    return EvaluationResult(
        year=draw(st.integers(min_value=2016, max_value=2026)),
        project=draw(text) + "经费",
        money_unit=draw(st.sampled_from(["元", "万元"])),  # type: ignore[arg-type]
        final_accounts=parse_number(draw(amount()).replace(",", "")),
        score=score,
        conclusion=grade,
        performance=draw(long_text),
        problems=draw(st.lists(long_text, min_size=1, max_size=4)),
        suggestions=draw(st.lists(long_text, min_size=1, max_size=4)),
        rectification=draw(st.lists(long_text, min_size=1, max_size=4)),
    )


documents = st.one_of(self_evaluation(), declaration(), evaluation())
