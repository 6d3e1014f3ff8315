"""The value parser on every form the issue and the spec list (R4), plus shapes seen in the real corpus."""

from __future__ import annotations

import pytest

from jixiao.values import Comparator, Tier, ValueKind, parse_value, qualitative_tier

Q = ValueKind.QUANTITATIVE
GE, GT, EQ, LE, LT = Comparator.GE, Comparator.GT, Comparator.EQ, Comparator.LE, Comparator.LT

# text, comparator, number (as printed), unit, scale
QUANTITIES = [
    ("≥4.00(次)", GE, 4.0, "次", 1.0),
    (">=36万", GE, 36.0, None, 1e4),
    ("大于等于10000kb", GE, 10000.0, "kb", 1.0),
    ("不低于90%", GE, 90.0, "%", 1.0),
    ("≧735人次", GE, 735.0, "人次", 1.0),
    ("≧95%", GE, 95.0, "%", 1.0),
    ("﹦100%", EQ, 100.0, "%", 1.0),
    ("═100%", EQ, 100.0, "%", 1.0),
    ("‹=5次", LE, 5.0, "次", 1.0),
    ("=100.00(%)", EQ, 100.0, "%", 1.0),
    ("=100 (%)", EQ, 100.0, "%", 1.0),
    ("≤30（分钟）", LE, 30.0, "分钟", 1.0),
    ("≤5 (次)", LE, 5.0, "次", 1.0),
    ("<=5300元/户", LE, 5300.0, "元/户", 1.0),
    (">=2.61万元", GE, 2.61, "元", 1e4),
    ("≥20(万页)", GE, 20.0, "页", 1e4),
    ("=10(条/周)", EQ, 10.0, "条/周", 1.0),
    ("95%以上", GE, 95.0, "%", 1.0),
    ("100%以内", LE, 100.0, "%", 1.0),
    ("≥≥98%", GE, 98.0, "%", 1.0),
    ("=0", EQ, 0.0, None, 1.0),
    ("＞50次", GT, 50.0, "次", 1.0),
    ("小于3天", LT, 3.0, "天", 1.0),
    ("不超过30分钟", LE, 30.0, "分钟", 1.0),
    ("≥95", GE, 95.0, None, 1.0),
]


@pytest.mark.parametrize(("text", "cmp", "number", "unit", "scale"), QUANTITIES)
def test_quantitative_targets(
    text: str, cmp: Comparator, number: float, unit: str | None, scale: float
) -> None:
    v = parse_value(text)
    assert (v.kind, v.comparator, v.number, v.unit, v.scale) == (Q, cmp, number, unit, scale)
    assert v.is_expression
    assert not v.is_measurement


@pytest.mark.parametrize(
    ("text", "number", "unit", "magnitude"),
    [
        ("36.5万", 36.5, None, 365000.0),
        ("5次", 5.0, "次", 5.0),
        ("100.00(%)", 100.0, "%", 100.0),
        ("270000(次)", 270000.0, "次", 270000.0),
        ("500课时", 500.0, "课时", 500.0),
        ("1,000人", 1000.0, "人", 1000.0),
        ("583元/人*月", 583.0, "元/人*月", 583.0),
        ("0", 0.0, None, 0.0),
        ("２０个", 20.0, "个", 20.0),
    ],
)
def test_measured_values(text: str, number: float, unit: str | None, magnitude: float) -> None:
    v = parse_value(text)
    assert v.is_measurement
    assert v.comparator is None
    assert (v.number, v.unit, v.magnitude) == (number, unit, magnitude)
    assert v.effective_comparator is GE  # a bare number as a target means ≥ (R4, [I])


def test_range() -> None:
    v = parse_value("300-400(人)")
    assert (v.kind, v.comparator, v.number, v.upper, v.unit) == (Q, Comparator.RANGE, 300.0, 400.0, "人")
    assert parse_value("300～400人").upper == 400.0
    assert parse_value("400-300(人)").kind is ValueKind.UNKNOWN  # an upside-down range is not guessed


def test_plus_minus_tolerance() -> None:
    v = parse_value("±3%以内")
    assert (v.kind, v.comparator, v.number, v.unit) == (Q, Comparator.WITHIN, 3.0, "%")
    assert v.comparator is not None
    assert v.comparator.reverse


@pytest.mark.parametrize(
    ("text", "label", "cmp", "number", "unit"),
    [
        ("重大事故发生<=2次", "重大事故发生", LE, 2.0, "次"),
        ("考务完成量≥1500人次", "考务完成量", GE, 1500.0, "人次"),
        ("用户满意度达90%", "用户满意度", GE, 90.0, "%"),
    ],
)
def test_labelled_expressions(text: str, label: str, cmp: Comparator, number: float, unit: str) -> None:
    v = parse_value(text)
    assert (v.label, v.comparator, v.number, v.unit) == (label, cmp, number, unit)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("10月底", 1032),
        ("6月底前", 632),
        ("3月底前", 332),
        ("10月前", 1000),
        ("12月前", 1200),
        ("11月", 1101),
        ("11月底", 1132),
        ("4月底前", 432),
        ("12月31日前", 1231),
        ("2023年12月31日", 1231),
        ("年内完成", 1232),
        ("2018年年内完成。", 1232),
        ("年底前", 1232),
        ("１２月底", 1232),
    ],
)
def test_deadlines(text: str, due: int) -> None:
    v = parse_value(text)
    assert (v.kind, v.due) == (ValueKind.DEADLINE, due)


def test_deadline_compound_takes_the_last_date() -> None:
    v = parse_value("分别4月底及12月底前完成")
    assert v.kind is ValueKind.DEADLINE
    assert v.due == 1232
    assert [p.due for p in v.parts] == [432, 1232]


def test_compound_quantities() -> None:
    v = parse_value("1小时内响应，3小时内抵达现场")
    assert v.kind is Q
    assert v.comparator is None
    assert v.is_expression
    assert [(p.comparator, p.number, p.unit, p.note) for p in v.parts] == [
        (LE, 1.0, "小时", "响应"),
        (LE, 3.0, "小时", "抵达现场"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "及时",
        "是",
        "达成指标",
        "未完成",
        "合理",
        "建立健全",
        "三级等保",
        "规范，不超过预算",
        "课程库、学员库",
        "≥",
    ],
)
def test_qualitative(text: str) -> None:
    assert parse_value(text).kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize("text", ["", "—", "-", "/", None])
def test_empty(text: str | None) -> None:
    assert parse_value(text).kind is ValueKind.EMPTY


@pytest.mark.parametrize(
    "text", ["二100百分比", "%=99百分比", "举办1期专题合作培训", "13月底", "310.2154.741050%5"]
)
def test_unknown_shapes_are_reported_not_guessed(text: str) -> None:
    v = parse_value(text)
    assert v.kind is ValueKind.UNKNOWN
    assert v.problem
    assert text in v.problem
    assert v.number is None


@pytest.mark.parametrize(
    ("text", "cmp"), [("≥95%", GE), ("<100%", LT), ("≤30（分钟）", LE), ("≤1(小时)", LE)]
)
def test_actuals_that_are_expressions(text: str, cmp: Comparator) -> None:
    v = parse_value(text)
    assert v.comparator is cmp
    assert v.is_expression
    assert not v.is_measurement


def test_describe_is_chinese_and_short() -> None:
    assert parse_value(">=36万").describe() == "定量 ≥ 360000"
    assert parse_value("10月底").describe() == "时限 10月底"
    assert parse_value("300-400(人)").describe() == "定量 区间 300–400 人"


@pytest.mark.parametrize(
    ("target", "actual", "tier", "stated"),
    [
        ("及时", "达成指标", Tier.ACHIEVED, True),
        ("是", "部分达成", Tier.PARTLY, True),
        ("是", "未达成", Tier.MISSED, True),
        ("是", "是", Tier.ACHIEVED, False),
        ("三级等保", "三级等保通过", Tier.ACHIEVED, False),
        ("及时", "专题班未开展", Tier.MISSED, False),
        ("及时", "未完成", Tier.MISSED, False),
        ("是", "尚未全部对接至一网通办", Tier.PARTLY, False),
        ("安全", "未发生安全事故", Tier.ACHIEVED, False),
        ("按期完成", "均按时完成", Tier.ACHIEVED, False),
    ],
)
def test_qualitative_tiers(target: str, actual: str, tier: Tier, stated: bool) -> None:
    got = qualitative_tier(target, actual)
    assert got is not None
    assert (got.tier, got.stated) == (tier, stated)


def test_tier_unknown_when_wording_does_not_tell() -> None:
    assert qualitative_tier("持续发挥示范引领作用", "示范带动全市基层党支部不断增强政治功能") is None
    assert qualitative_tier("及时", "") is None


def test_docstring_examples() -> None:
    import doctest

    import jixiao.values

    assert doctest.testmod(jixiao.values).failed == 0
