"""Scoring by the rules: the spec's worked examples (R3, R5–R8, R11) as tests."""

from __future__ import annotations

import pytest

from jixiao.model import FundLine, Indicator, SelfEvaluation
from jixiao.rules import PROFILES, Profile, RowScore, rescore, score_document, score_row
from jixiao.rules.scoring import Method, ScoreMemo, score_execution, tolerance_for
from jixiao.values import Tier

NATIONAL = PROFILES["national"]


def row(target: str, actual: str, weight: float, score: float | None = None, name: str = "指标") -> Indicator:
    return Indicator(level1="产出指标", name=name, target=target, actual=actual, weight=weight, score=score)


@pytest.mark.parametrize(
    ("executed", "budget", "printed_rate", "score"),
    [(284.27, 312.73, 90.90, 9.09), (1286.17, 1329.20, 96.76, 9.68), (184.65, 234.00, 78.91, 7.89),
     (119132, 1145000, 10.41, 1.04), (270.62, 276, 98.05, 9.80), (1212.72, 1218.15, 99.55, 9.96)],
)  # fmt: skip
def test_execution_rate_and_score(executed: float, budget: float, printed_rate: float, score: float) -> None:
    fund = FundLine(line="年度资金总额", annual_budget=budget, executed=executed, weight=10,
                    execution_rate=printed_rate, score=score)  # fmt: skip
    ex = score_execution(fund, NATIONAL)
    assert ex.rate is not None
    assert abs(ex.rate - printed_rate) <= 0.02
    assert ex.expected is not None
    assert abs(ex.expected - score) <= 0.01
    assert "R3" in ex.formula


def test_execution_is_capped_at_the_weight() -> None:
    ex = score_execution(FundLine(line="年度资金总额", annual_budget=100, executed=130, weight=10), NATIONAL)
    assert ex.expected == 10
    assert ex.recomputed_score == 10


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected", "method"),
    [
        ("=100(%)", "85%", 2, 1.70, Method.POSITIVE),
        ("≥60(期)", "37期", 3, 1.85, Method.POSITIVE),
        ("≥300课时", "32课时", 1, 0.11, Method.POSITIVE),
        ("≥110(人)", "10人", 5, 0.45, Method.POSITIVE),
        ("≥1100人次", "38265人次", 10, 10, Method.POSITIVE),
        ("500课时", "521课时", 10, 10, Method.POSITIVE),
        (">=36万", "36.5万", 10, 10, Method.POSITIVE),
        ("≥100人", "-5人", 4, 0, Method.POSITIVE),
        ("≤5 (次)", "0次", 5, 5, Method.REVERSE),
        ("≤8(件)", "5件", 5, 5, Method.REVERSE),
        ("=0 (次)", "0 (次)", 10, 10, Method.ZERO),
        ("=0 (次)", "1次", 10, 0, Method.ZERO),
        ("300-400(人)", "354人", 3, 3, Method.RANGE),
        ("300-400(人)", "240人", 3, 2.4, Method.RANGE),
        ("300-400(人)", "500人", 3, 2.4, Method.RANGE),
        ("±3%以内", "-2%", 4, 4, Method.WITHIN),
        ("1小时内响应，3小时内抵达现场", "1小时响应，6小时抵达", 6, 3, Method.COMPOUND),
    ],
)
def test_quantitative_rows(target: str, actual: str, weight: float, expected: float, method: Method) -> None:
    rs = score_row(row(target, actual, weight), NATIONAL)
    assert (rs.method, rs.expected) == (method, expected), rs.formula


def test_reverse_formulas_a_and_b() -> None:
    # a = 1.5 t: (A) 0.667 w, (B) 0.5 w; the band accepts anything between
    a = score_row(row("≤10(次)", "15次", 6), NATIONAL)
    assert (a.expected, a.low, a.high) == (4.0, 3.0, 4.0)
    b = score_row(row("≤10(次)", "15次", 6), NATIONAL.with_settings({"reverse_formula": "B"}))
    assert (b.expected, b.low, b.high) == (3.0, 3.0, 4.0)
    assert "公式A" in a.formula
    assert "公式B" in a.formula
    assert (
        score_row(row("≤10(次)", "25次", 6), NATIONAL.with_settings({"reverse_formula": "B"})).expected == 0
    )


@pytest.mark.parametrize(
    ("target", "actual", "weight", "tier", "band"),
    [
        ("及时", "专题班未开展", 2, Tier.MISSED, (0.0, 1.2, True)),
        ("是", "是", 5, Tier.ACHIEVED, (4.0, 5.0, False)),
        ("是", "部分达成", 5, Tier.PARTLY, (3.0, 4.0, True)),
        ("10月底", "11月", 5, Tier.PARTLY, (3.0, 4.0, True)),
        ("12月前", "11月底", 5, Tier.ACHIEVED, (4.0, 5.0, False)),
    ],
)
def test_qualitative_and_deadline_bands(
    target: str, actual: str, weight: float, tier: Tier, band: tuple[float, float, bool]
) -> None:
    rs = score_row(row(target, actual, weight), NATIONAL)
    assert rs.tier is not None
    assert rs.tier.tier is tier
    assert (rs.low, rs.high, rs.high_open) == band
    assert rs.method in (Method.QUALITATIVE, Method.DEADLINE)


def test_band_edges_follow_the_vendor() -> None:
    rs = score_row(row("是", "部分达成", 5), NATIONAL)
    assert rs.accepts(3.0, 0.01)
    assert rs.accepts(3.99, 0.01)
    assert not rs.accepts(4.0, 0.01)
    assert not rs.accepts(2.9, 0.01)


@pytest.mark.parametrize(
    ("target", "actual", "kind"),
    [
        ("≥90(%)", "≥95%", "shaped"),
        ("≥100人", "", "missing"),
        ("≥100人", "完成", "text"),
        ("", "是", "target"),
    ],
)
def test_unscorable_rows_say_why(target: str, actual: str, kind: str) -> None:
    rs = score_row(row(target, actual, 5), NATIONAL)
    assert rs.method is Method.UNSCORABLE
    assert rs.problem_kind == kind
    assert rs.problem


def test_tolerance_depends_on_printed_decimals() -> None:
    assert tolerance_for(0.1, NATIONAL) == 0.05
    assert tolerance_for(9.32, NATIONAL) == 0.01
    assert tolerance_for(1.0, NATIONAL) == 0.01
    assert tolerance_for(9.0, NATIONAL.with_settings({"integer_rounding": True})) == 0.5


def test_grade_bands_compare_the_unrounded_score() -> None:
    assert [NATIONAL.grade(s) for s in (89.81, 89.6, 85.12, 90.13, 60, 59.99)] == [
        "良",
        "良",
        "良",
        "优",
        "中",
        "差",
    ]
    assert PROFILES["provincial"].grade(89.81) == "优"


def _document() -> SelfEvaluation:
    return SelfEvaluation(
        project="测试项目",
        year=2022,
        funds=[
            FundLine(
                line="年度资金总额",
                initial_budget=2400000,
                annual_budget=1145000,
                executed=119132,
                weight=10,
                execution_rate=10.41,
                score=1.04,
            )
        ],
        indicators=[
            row("≥300课时", "32课时", 1, 0.1),
            row("及时", "专题班未开展", 2, 1),
            row("≥1100人次", "38265人次", 87, 86),
        ],
        total_weight=100,
        total_score=88.14,
    )


def test_document_total_and_rescore() -> None:
    doc = _document()
    scored = score_document(doc, NATIONAL)
    assert scored.execution_score == 1.04
    assert scored.points() == [0.11, 1, 87]
    again = rescore(doc, NATIONAL)
    assert again.total_score == round(1.04 + 0.11 + 1 + 87, 2)
    assert again.grade == "良"
    assert rescore(again, NATIONAL) == again
    assert doc.indicators[2].score == 86  # the input is not modified


def test_profile_is_immutable() -> None:
    with pytest.raises(AttributeError):
        Profile().reverse_formula = "B"  # type: ignore[misc]


def test_a_bare_actual_is_read_in_the_scale_nearer_the_target() -> None:
    assert score_row(row("≤202.6万元", "132.9", 10), NATIONAL).ratio == pytest.approx(132.9 / 202.6)
    assert score_row(row(">=36万", "365000", 10), NATIONAL).ratio == pytest.approx(365000 / 360000)


def _fields(rows: object) -> list[tuple[object, ...]]:
    return [(rs.indicator.name, rs.printed, rs.method, rs.expected, rs.low, rs.high, rs.met) for rs in rows]  # type: ignore[attr-defined]


@pytest.mark.parametrize("limit", [1 << 20, 3])
def test_a_run_memo_scores_as_scoring_each_row_alone(seed_docs: list[object], limit: int) -> None:
    """One memo carried across every seed self-evaluation (one that never fills, and one small enough to be
    cleared on the way) gives each row the score :func:`score_row` gives it with no memo at all."""
    docs = [d for d in seed_docs if isinstance(d, SelfEvaluation)]
    memo = ScoreMemo(limit=limit)
    for doc in docs:
        alone = [score_row(ind, NATIONAL) for ind in doc.indicators]
        assert _fields(score_document(doc, NATIONAL, memo).rows) == _fields(alone), doc.project
    assert len(memo.rows) <= limit
    assert len(memo.values) <= limit
    if limit == 3:  # the small memo really was cleared on the way
        assert sum(len(d.indicators) for d in docs) > limit


def test_a_memo_keeps_each_reverse_formula_apart() -> None:
    """The same cells scored under formula A and then B with one memo: B's score, not A's remembered one."""
    doc = SelfEvaluation(indicators=[row("≤10(分钟)", "20分钟", 10, 5)])
    memo = ScoreMemo()
    a = score_document(doc, NATIONAL, memo).rows[0]
    b = score_document(doc, NATIONAL.with_settings({"reverse_formula": "B"}), memo).rows[0]
    assert (a.expected, b.expected) == (5.0, 0.0)
    tail = memo.rows[
        ("≤10(分钟)", "20分钟", 10.0, "B")
    ]  # the fields after ``printed``, as score_document reads them
    assert RowScore(doc.indicators[0], 5.0, *tail) == b
