"""Scoring by the official rules: execution rate (R3), quantitative rows (R5–R7), qualitative tiers (R8), caps and
rounding (R9), total and grade (R11).

Everything here is a pure function of the document and a :class:`~jixiao.rules.profile.Profile`.  A row the rules
cannot score (an unknown value shape, an actual shaped like a target) is a :class:`RowScore` with ``method``
``unscorable`` and a ``problem``; nothing raises.  :func:`rescore` returns a copy of a self-evaluation with every
score replaced by the rule's score, and is idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from jixiao.model import FundLine, Indicator, SelfEvaluation
from jixiao.rules.profile import Profile
from jixiao.values import Comparator, QualitativeTier, Tier, Value, ValueKind, parse_value, qualitative_tier

__all__ = [
    "DocumentScore",
    "ExecutionScore",
    "Method",
    "RowScore",
    "fmt",
    "rescore",
    "score_document",
    "score_execution",
    "score_row",
    "tolerance_for",
]

EPS = 1e-9


class Method(StrEnum):
    """How a row was scored, with the rule it follows."""

    POSITIVE = "positive"  # R5
    REVERSE = "reverse"  # R6
    ZERO = "zero"  # R6, target 0
    RANGE = "range"  # R7
    WITHIN = "within"  # ± tolerance, scored as reverse on |actual|
    COMPOUND = "compound"  # several quantitative parts, the weakest part counts
    QUALITATIVE = "qualitative"  # R8
    DEADLINE = "deadline"  # R7: scored as a qualitative tier
    UNSCORABLE = "unscorable"

    @property
    def rule(self) -> str:
        """The spec rule a method follows."""
        return {
            "positive": "R5",
            "reverse": "R6",
            "zero": "R6",
            "range": "R7",
            "within": "R6",
            "compound": "R5–R7",
            "qualitative": "R8",
            "deadline": "R7/R8",
            "unscorable": "R9",
        }[self.value]

    @property
    def quantitative(self) -> bool:
        """True for the methods that score a measured number against a numeric target."""
        return self in _QUANT


_QUANT = frozenset({Method.POSITIVE, Method.REVERSE, Method.ZERO, Method.RANGE, Method.WITHIN, Method.COMPOUND})


def fmt(x: float | None) -> str:
    """A number as a table would print it: integers bare, others with at most 4 decimals."""
    if x is None:
        return "—"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _r2(x: float) -> float:
    return round(x + 0.0, 2)


def tolerance_for(printed: float | None, profile: Profile) -> float:
    """The accepted |printed − rule| for one printed score: wider when the table prints one decimal (R9)."""
    if printed is None:
        return profile.score_tolerance
    if float(printed).is_integer():
        return 0.5 if profile.integer_rounding else profile.score_tolerance
    decimals = len(repr(float(printed)).split(".")[1])
    if decimals == 1:
        return max(profile.score_tolerance, profile.score_tolerance_one_decimal)
    return profile.score_tolerance


@dataclass(frozen=True, slots=True)
class RowScore:
    """The rule's score of one indicator row.

    Attributes:
        indicator: the row.
        target / actual: the parsed 年度指标值 and 实际完成值.
        method: how the row was scored.
        weight: the row's 分值 (0 when missing).
        expected: the rule's point score (2 decimals), or None for a qualitative row (a band) or an unscorable one.
        low / high: the accepted band of scores; ``high_open`` when the top is excluded (tiers 2 and 3).
        tier: the qualitative tier and how it was found (qualitative and deadline rows).
        met: whether the actual reaches the target (quantitative) or the tier is 1 (qualitative); None if unknown.
        ratio: actual ÷ target for positive and reverse rows with a positive target.
        formula: the rule with its numbers, in Chinese.
        problem: why the row could not be scored, in Chinese.
        problem_kind: ``missing`` (no actual), ``shaped`` (actual shaped like a target), ``text`` (non-numeric
            actual), ``target`` (target not scorable) or ``weight``.
    """

    indicator: Indicator
    target: Value
    actual: Value
    method: Method
    weight: float
    expected: float | None = None
    low: float | None = None
    high: float | None = None
    high_open: bool = False
    tier: QualitativeTier | None = None
    met: bool | None = None
    ratio: float | None = None
    formula: str = ""
    problem: str | None = None
    problem_kind: str | None = None

    def accepts(self, printed: float, tolerance: float) -> bool:
        """Whether a printed score lies in the rule's band (or at its point) within the tolerance."""
        if self.expected is not None and self.low is None:
            return abs(printed - self.expected) <= tolerance + EPS
        if self.low is None or self.high is None:
            return True
        if printed < self.low - tolerance - EPS:
            return False
        if self.high_open:
            return printed < self.high + (tolerance if self.expected is not None else 0.0) - EPS
        return printed <= self.high + tolerance + EPS

    def point(self, printed: float | None) -> float | None:
        """The score a re-scored table would print: the rule's score, or the printed score clamped to the band."""
        w = self.weight
        if self.expected is not None:
            return self.expected
        if self.low is not None and self.high is not None:
            top = _r2(max(self.low, self.high - 0.01)) if self.high_open else self.high
            if printed is None:
                return top
            return min(max(_r2(printed), self.low), top)
        if printed is None:
            return None
        return min(max(_r2(printed), 0.0), w)


def _band(tier: Tier, w: float) -> tuple[float, float, bool]:
    if tier is Tier.ACHIEVED:
        return _r2(w * 0.8), w, False
    if tier is Tier.PARTLY:
        return _r2(w * 0.6), _r2(w * 0.8), True
    return 0.0, _r2(w * 0.6), True


_TIER_NAMES = {Tier.ACHIEVED: "达成年度指标", Tier.PARTLY: "部分达成年度指标", Tier.MISSED: "未达成年度指标"}


def _qual(ind: Indicator, t: Value, a: Value, w: float, qt: QualitativeTier | None, method: Method) -> RowScore:
    label = "时限（R7，按定性三档计分）" if method is Method.DEADLINE else "定性（R8）"
    if qt is None:
        return RowScore(
            ind, t, a, method, w, low=0.0, high=w,
            formula=f"{label}：无法从实际完成值「{a.text}」判断档次，得分应在 [0, {fmt(w)}]",
        )  # fmt: skip
    low, high, open_ = _band(qt.tier, w)
    close = ")" if open_ else "]"
    how = "写明" if qt.stated else "推断"
    formula = (
        f"{label}：{how}第{int(qt.tier)}档「{_TIER_NAMES[qt.tier]}」（{qt.reason}）→ 得分区间 "
        f"[{fmt(low)}, {fmt(high)}{close}"
    )
    return RowScore(
        ind, t, a, method, w, low=low, high=high, high_open=open_, tier=qt, met=qt.tier is Tier.ACHIEVED,
        formula=formula,
    )  # fmt: skip


def _deadline(ind: Indicator, t: Value, a: Value, w: float) -> RowScore:
    qt: QualitativeTier | None
    if a.kind is ValueKind.DEADLINE and t.due is not None and a.due is not None:
        if a.due <= t.due:
            qt = QualitativeTier(Tier.ACHIEVED, False, f"{a.text} 不晚于 {t.text}")
        else:
            qt = QualitativeTier(Tier.PARTLY, False, f"{a.text} 晚于 {t.text}")
    else:
        qt = qualitative_tier(t.text, a.text)
    return _qual(ind, t, a, w, qt, Method.DEADLINE)


def _unscorable(ind: Indicator, t: Value, a: Value, w: float, problem: str, kind: str) -> RowScore:
    return RowScore(ind, t, a, Method.UNSCORABLE, w, formula=f"无法按规则计分：{problem}", problem=problem,
                    problem_kind=kind)  # fmt: skip


def _fraction(cmp: Comparator, t: Value, am: float, raw: float, profile: Profile) -> tuple[Method, float, float, bool]:
    """(method, fraction by the profile's formula, fraction by the other formula, met) of one measured actual."""
    tm = t.magnitude or 0.0
    if cmp is Comparator.RANGE:
        hi = t.upper_magnitude or tm
        if tm <= am <= hi:
            return Method.RANGE, 1.0, 1.0, True
        f = am / tm if am < tm and tm > 0 else (hi / am if am > hi else 0.0)
        return Method.RANGE, f, f, False
    if cmp.positive or (cmp is Comparator.EQ and tm > 0):
        if am >= tm:
            return Method.POSITIVE, 1.0, 1.0, True
        f = am / tm if tm > 0 else 0.0
        return Method.POSITIVE, f, f, False
    if cmp is Comparator.WITHIN:
        am = abs(raw)
    if (tm <= 0 and cmp is not Comparator.WITHIN) or cmp is Comparator.EQ:
        return Method.ZERO, (1.0 if am <= 0 else 0.0), (1.0 if am <= 0 else 0.0), am <= 0
    method = Method.WITHIN if cmp is Comparator.WITHIN else Method.REVERSE
    if am <= tm:
        return method, 1.0, 1.0, True
    if tm <= 0:
        return method, 0.0, 0.0, False
    a_form = tm / am
    b_form = max(0.0, 2.0 - am / tm)
    if profile.reverse_formula == "B":
        return method, b_form, a_form, False
    return method, a_form, b_form, False


def _quantitative(ind: Indicator, t: Value, a: Value, w: float, profile: Profile) -> RowScore:
    if a.kind is ValueKind.EMPTY:
        return _unscorable(ind, t, a, w, "定量指标缺少实际完成值", "missing")
    if t.parts:
        return _compound(ind, t, a, w, profile)
    if a.is_expression and a.kind is ValueKind.QUANTITATIVE:
        return _unscorable(ind, t, a, w, f"实际完成值「{a.text}」是目标式表达，不是实测值", "shaped")
    if not a.is_measurement or a.magnitude is None:
        return _unscorable(ind, t, a, w, f"定量指标的实际完成值「{a.text}」不是数值", "text")
    cmp = t.effective_comparator
    assert cmp is not None and t.magnitude is not None
    raw = a.magnitude
    am = max(raw, 0.0)  # R9: a negative actual counts as 0
    method, frac, other, met = _fraction(cmp, t, am, raw, profile)
    expected = _r2(w * frac)
    alt = _r2(w * other)
    tm = t.magnitude
    ratio = am / tm if tm > 0 and method in (Method.POSITIVE, Method.REVERSE) else None
    formula = _formula(method, w, t, a, am, frac, expected, alt, met, profile)
    low, high = (min(expected, alt), max(expected, alt)) if method in (Method.REVERSE, Method.WITHIN) else (None, None)
    return RowScore(ind, t, a, method, w, expected=expected, low=low, high=high, met=met, ratio=ratio,
                    formula=formula)  # fmt: skip


def _formula(
    method: Method, w: float, t: Value, a: Value, am: float, frac: float, expected: float, alt: float, met: bool,
    profile: Profile,
) -> str:  # fmt: skip
    tm = t.magnitude or 0.0
    av, tv = fmt(am), fmt(tm)
    if method is Method.POSITIVE:
        head = "正向（R5）" if t.comparator is not Comparator.EQ else "等于型，按正向计分（R7）"
        if met:
            return f"{head}：实际 {av} ≥ 目标 {tv} → 满分 {fmt(w)}"
        raw = w * frac
        shown = fmt(expected) if abs(raw - expected) < 1e-9 else f"{fmt(round(raw, 4))} ≈ {fmt(expected)}"
        return f"{head}：{fmt(w)} × {av} / {tv} = {shown}"
    if method is Method.ZERO:
        return f"零目标（R6）：实际 {av} {'≤ 0 → 满分' if met else '> 0 → 0 分'} {fmt(expected)}"
    if method is Method.RANGE:
        lo, hi = fmt(t.magnitude), fmt(t.upper_magnitude)
        if met:
            return f"区间（R7）：{lo} ≤ 实际 {av} ≤ {hi} → 满分 {fmt(w)}"
        side = f"{fmt(w)} × {av} / {lo}" if am < tm else f"{fmt(w)} × {hi} / {av}"
        return f"区间（R7）：{side} = {fmt(expected)}"
    head = "反向（R6）" if method is Method.REVERSE else "容差 ±（按反向计分）"
    if met:
        return f"{head}：实际 {av} ≤ 目标 {tv} → 满分 {fmt(w)}"
    a_score, b_score = (expected, alt) if profile.reverse_formula == "A" else (alt, expected)
    return (
        f"{head}：公式A {fmt(w)} × {tv} / {av} = {fmt(a_score)}；"
        f"公式B {fmt(w)} × max(0, 2 − {av}/{tv}) = {fmt(b_score)}；采用公式{profile.reverse_formula}"
    )


def _compound(ind: Indicator, t: Value, a: Value, w: float, profile: Profile) -> RowScore:
    if len(a.parts) != len(t.parts) or not all(p.is_measurement for p in a.parts):
        if a.parts or a.is_expression:
            return _unscorable(ind, t, a, w, f"实际完成值「{a.text}」是目标式表达，不是实测值", "shaped")
        return _unscorable(ind, t, a, w, f"复合指标「{t.text}」的实际完成值「{a.text}」无法逐项对应", "text")
    fracs: list[float] = []
    for tp, ap in zip(t.parts, a.parts, strict=True):
        cmp = tp.effective_comparator
        if cmp is None or ap.magnitude is None:
            return _unscorable(ind, t, a, w, f"复合指标「{t.text}」无法逐项计分", "target")
        fracs.append(_fraction(cmp, tp, max(ap.magnitude, 0.0), ap.magnitude, profile)[1])
    frac = min(fracs)
    expected = _r2(w * frac)
    formula = f"复合定量（各项最弱者计分）：{fmt(w)} × {fmt(frac)} = {fmt(expected)}"
    return RowScore(ind, t, a, Method.COMPOUND, w, expected=expected, met=frac >= 1.0, formula=formula)


def score_row(ind: Indicator, profile: Profile) -> RowScore:
    """The rule's score of one indicator row (R5–R9)."""
    t = parse_value(ind.target)
    a = parse_value(ind.actual)
    w = ind.weight
    if w is None or w < 0:
        return _unscorable(ind, t, a, 0.0 if w is None else w, "分值缺失或为负", "weight")
    if t.kind is ValueKind.QUANTITATIVE:
        return _quantitative(ind, t, a, w, profile)
    if t.kind is ValueKind.DEADLINE:
        return _deadline(ind, t, a, w)
    if t.kind is ValueKind.QUALITATIVE:
        return _qual(ind, t, a, w, qualitative_tier(t.text, a.text), Method.QUALITATIVE)
    if t.kind is ValueKind.EMPTY:
        return _unscorable(ind, t, a, w, "年度指标值为空", "target")
    return _unscorable(ind, t, a, w, t.problem or f"无法识别的年度指标值「{t.text}」", "target")


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    """The execution line (年度资金总额) scored by R3.

    Attributes:
        fund: the line.
        weight: its 分值 (the profile's execution weight when not printed).
        rate: 全年执行数 / 全年预算数 in percent, recomputed; None when the amounts are missing.
        basis: the rate the score rests on: the printed rate when printed, else the recomputed one.
        expected: weight × min(basis, 100%), unrounded; None when no rate is known.
        formula: the rule with its numbers, in Chinese.
    """

    fund: FundLine
    weight: float
    rate: float | None
    basis: float | None
    expected: float | None
    formula: str

    @property
    def recomputed_score(self) -> float | None:
        """weight × min(recomputed rate, 100%), to 2 decimals: what a re-scored table prints."""
        if self.rate is None:
            return None
        return _r2(self.weight * min(max(self.rate, 0.0), 100.0) / 100.0)


def score_execution(fund: FundLine, profile: Profile) -> ExecutionScore:
    """R3: rate = 全年执行数 / 全年预算数; score = weight × min(rate, 1)."""
    w = fund.weight if fund.weight is not None else profile.execution_weight
    rate = None
    if fund.annual_budget and fund.annual_budget > 0 and fund.executed is not None:
        rate = fund.executed / fund.annual_budget * 100.0
    basis = fund.execution_rate if fund.execution_rate is not None else rate
    if basis is None:
        return ExecutionScore(fund, w, rate, None, None, "预算执行率（R3）：缺少全年预算数或全年执行数，无法计算")
    expected = w * min(max(basis, 0.0), 100.0) / 100.0
    src = f"{fmt(fund.executed)} / {fmt(fund.annual_budget)} = {fmt(rate)}%" if rate is not None else "执行率"
    formula = f"预算执行率（R3）：{src}；得分 {fmt(w)} × min({fmt(basis)}%, 100%) = {fmt(_r2(expected))}"
    return ExecutionScore(fund, w, rate, basis, expected, formula)


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """A self-evaluation scored by the rules.

    Attributes:
        document: the scored document.
        execution: the 年度资金总额 line, or None when the table has none.
        rows: one :class:`RowScore` per indicator, in order.
    """

    document: SelfEvaluation
    execution: ExecutionScore | None
    rows: tuple[RowScore, ...]

    @property
    def execution_score(self) -> float:
        """The execution score a re-scored table prints (0 when there is no execution line)."""
        if self.execution is None:
            return 0.0
        got = self.execution.recomputed_score
        if got is None and self.execution.expected is not None:
            got = _r2(self.execution.expected)
        return got or 0.0

    def points(self) -> list[float | None]:
        """The score of each row in a re-scored table."""
        return [r.point(r.indicator.score) for r in self.rows]

    @property
    def total(self) -> float:
        """总分 of the re-scored table: execution score + Σ row scores, to 2 decimals (R9)."""
        return _r2(self.execution_score + sum(p for p in self.points() if p is not None))


def score_document(doc: SelfEvaluation, profile: Profile) -> DocumentScore:
    """Score every row and the execution line of a self-evaluation."""
    fund = doc.fund()
    execution = score_execution(fund, profile) if fund is not None else None
    return DocumentScore(doc, execution, tuple(score_row(i, profile) for i in doc.indicators))


def rescore(doc: SelfEvaluation, profile: Profile) -> SelfEvaluation:
    """A copy of ``doc`` with every score, the execution rate, 总分 and 评分等级 replaced by the rules' values.

    Quantitative rows get the rule's score; qualitative rows keep the printed score clamped into their tier's band;
    rows the rules cannot score keep the printed score clamped to [0, weight].  Re-scoring the result changes
    nothing.
    """
    scored = score_document(doc, profile)
    out = doc.model_copy(deep=True)
    for ind, point in zip(out.indicators, scored.points(), strict=True):
        ind.score = point
    fund = out.fund()
    if fund is not None and scored.execution is not None:
        ex = scored.execution
        if ex.rate is not None:
            fund.execution_rate = _r2(ex.rate)
        fund.weight = ex.weight
        fund.score = scored.execution_score
    out.total_score = scored.total
    weights = sum(i.weight or 0.0 for i in out.indicators) + (scored.execution.weight if scored.execution else 0.0)
    out.total_weight = _r2(weights)
    out.grade = profile.grade(scored.total)
    return out


def weight_groups(indicators: Sequence[Indicator]) -> dict[str, float]:
    """Σ weights per 一级 group: 产出 (with 成本), 效益, 满意度, and 其他 for anything else (R2)."""
    groups = {"产出": 0.0, "效益": 0.0, "满意度": 0.0}
    for ind in indicators:
        g = level1_group(ind)
        groups[g] = groups.get(g, 0.0) + (ind.weight or 0.0)
    return {k: _r2(v) for k, v in groups.items()}


def level1_group(ind: Indicator) -> str:
    """The 一级 group of a row: 产出 (产出指标 or 成本指标), 效益, 满意度, or 其他."""
    l1 = ind.level1 or ""
    if l1.startswith(("产出", "成本")):
        return "产出"
    if l1.startswith("效益"):
        return "效益"
    if l1.startswith("满意度"):
        return "满意度"
    return "其他"
