"""Properties of the scoring rules over random documents: scores never exceed weights, re-scoring is idempotent,
and a re-scored document passes the arithmetic checks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.model import FundLine, Indicator, SelfEvaluation, Severity
from jixiao.rules import PROFILES, Profile, check_documents, rescore, score_document
from jixiao.values import parse_value

NUMBERS = st.sampled_from(
    ["0", "1", "2.5", "4.00", "10", "30", "36.5", "90", "95", "100", "100.00", "150000"]
)
UNITS = st.sampled_from(["", "%", "(%)", "（%）", "人", "(人)", "人次", "课时", "万", "(次)", "天", "kb"])
OPS = st.sampled_from(["≥", ">=", "≧", "大于等于", "不低于", ">", "≤", "<=", "‹=", "<", "=", "﹦", "═", ""])
QUALITATIVE = st.sampled_from(["及时", "是", "达成指标", "部分达成", "未达成", "未完成", "专题班未开展", "有效",
                               "尚未全部对接", "稳定", "示范引领"])  # fmt: skip
DEADLINES = st.sampled_from(["10月底", "6月底前", "10月前", "11月", "12月", "3月底前", "年内完成"])


@st.composite
def target(draw: st.DrawFn) -> str:
    shape = draw(
        st.sampled_from(["quant", "quant", "quant", "range", "within", "qual", "deadline", "compound"])
    )
    if shape == "quant":
        return draw(OPS) + draw(NUMBERS) + draw(UNITS)
    if shape == "range":
        lo = draw(st.integers(0, 500))
        return f"{lo}-{lo + draw(st.integers(0, 500))}{draw(UNITS)}"
    if shape == "within":
        return f"±{draw(st.integers(0, 10))}%以内"
    if shape == "compound":
        return f"{draw(st.integers(1, 5))}小时内响应，{draw(st.integers(1, 9))}小时内抵达现场"
    return draw(QUALITATIVE if shape == "qual" else DEADLINES)


@st.composite
def actual(draw: st.DrawFn) -> str:
    shape = draw(
        st.sampled_from(["number", "number", "number", "qual", "deadline", "shaped", "empty", "odd"])
    )
    if shape == "number":
        value = draw(st.floats(-10, 200000, allow_nan=False).map(lambda x: round(x, 2)))
        return f"{value:g}{draw(UNITS)}"
    if shape == "shaped":
        return draw(OPS.filter(bool)) + draw(NUMBERS) + draw(UNITS)
    if shape == "empty":
        return ""
    if shape == "odd":
        return draw(st.sampled_from(["二100百分比", "举办1期培训", "1小时响应，2小时抵达"]))
    return draw(QUALITATIVE if shape == "qual" else DEADLINES)


SCORES = st.floats(-2, 40, allow_nan=False).map(lambda x: round(x, 2))
WEIGHTS = st.sampled_from([1.0, 2.0, 2.5, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0])
LEVEL1 = st.sampled_from(["产出指标", "成本指标", "效益指标", "满意度指标"])


@st.composite
def indicator(draw: st.DrawFn) -> Indicator:
    return Indicator(level1=draw(LEVEL1), name=draw(st.sampled_from(["培训人数", "满意度", "及时性", "故障次数"])),
                     target=draw(target()), actual=draw(actual()), weight=draw(WEIGHTS),
                     score=draw(st.one_of(st.none(), SCORES)), deviation=draw(st.sampled_from([None, "预算调减"])))  # fmt: skip


@st.composite
def document(draw: st.DrawFn) -> SelfEvaluation:
    budget = draw(st.floats(1, 5_000_000, allow_nan=False).map(lambda x: round(x, 2)))
    executed = draw(st.floats(0, 6_000_000, allow_nan=False).map(lambda x: round(x, 2)))
    fund = FundLine(line="年度资金总额", initial_budget=budget, annual_budget=budget, executed=executed,
                    weight=draw(st.sampled_from([5.0, 10.0, 20.0])), execution_rate=draw(st.one_of(st.none(), SCORES)),
                    score=draw(st.one_of(st.none(), SCORES)))  # fmt: skip
    return SelfEvaluation(project="随机项目", year=2023, funds=[fund],
                          indicators=draw(st.lists(indicator(), min_size=1, max_size=12)),
                          total_score=draw(st.one_of(st.none(), SCORES)), grade=draw(st.sampled_from([None, "优"])))  # fmt: skip


PROFILE = st.sampled_from([PROFILES["national"], PROFILES["provincial"]])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(document(), PROFILE)
def test_scores_never_exceed_weights(doc: SelfEvaluation, profile: Profile) -> None:
    scored = score_document(doc, profile)
    for rs in scored.rows:
        for x in (rs.expected, rs.low, rs.high):
            assert x is None or 0 <= x <= rs.weight + 1e-9, rs.formula
        point = rs.point(rs.indicator.score)
        assert point is None or 0 <= point <= rs.weight + 1e-9
    ex = scored.execution
    assert ex is not None
    assert 0 <= scored.execution_score <= ex.weight + 1e-9
    assert ex.expected is None or 0 <= ex.expected <= ex.weight + 1e-9


@FAST
@given(document(), PROFILE)
def test_rescoring_a_rescored_document_changes_nothing(doc: SelfEvaluation, profile: Profile) -> None:
    once = rescore(doc, profile)
    assert rescore(once, profile) == once
    weights = sum(i.weight or 0 for i in once.indicators) + once.funds[0].weight  # type: ignore[operator]
    assert once.total_score is not None
    assert once.total_score <= weights + 1e-9


ARITHMETIC = ["C-SE-01", "C-SE-02", "C-SE-04", "C-SE-05", "C-SE-07", "C-SE-13", "C-SE-14"]


@FAST
@given(document(), PROFILE)
def test_a_rescored_document_passes_the_arithmetic_checks(doc: SelfEvaluation, profile: Profile) -> None:
    once = rescore(doc, profile)
    errors = [f for f in check_documents([once], profile=profile, select=ARITHMETIC)
              if f.severity is Severity.ERROR or f.code in ("C-SE-05", "C-SE-07")]  # fmt: skip
    assert errors == [], [f.message for f in errors]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_the_value_parser_never_raises(text: str) -> None:
    v = parse_value(text)
    assert v.text == text.strip()
    if v.magnitude is not None:
        assert v.number is not None
