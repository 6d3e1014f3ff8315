"""Scoring by the official rules: execution rate (R3), quantitative rows (R5–R7), qualitative tiers (R8), caps and
rounding (R9), total and grade (R11).

Everything here is a pure function of the document and a :class:`~jixiao.rules.profile.Profile`.  A row the rules
cannot score (an unknown value shape, an actual shaped like a target) is a :class:`RowScore` with ``method``
``unscorable`` and a ``problem``; nothing raises.  :func:`rescore` returns a copy of a self-evaluation with every
score replaced by the rule's score, and is idempotent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Any, NamedTuple

from jixiao.model import FundLine, Indicator, SelfEvaluation
from jixiao.rules.profile import Profile
from jixiao.values import (
    Comparator,
    QualitativeTier,
    Tier,
    Value,
    ValueKind,
    parse_value,
    parse_value_uncached,
    qualitative_tier,
)

__all__ = [
    "DocumentScore",
    "ExecutionScore",
    "Method",
    "RowScore",
    "RowSums",
    "ScoreMemo",
    "clear_caches",
    "fmt",
    "rescore",
    "round2",
    "score_document",
    "score_execution",
    "score_row",
    "tolerance_floor",
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

    # True for the methods that score a measured number against a numeric target.  A plain attribute of each
    # member, set below, not a property: several checks ask it of every row.
    quantitative: bool


_QUANT = frozenset(
    {Method.POSITIVE, Method.REVERSE, Method.ZERO, Method.RANGE, Method.WITHIN, Method.COMPOUND}
)
for _method in Method:
    _method.quantitative = _method in _QUANT


# Enum members bound to module names (Enum attribute access is slow in Python 3.11; scoring runs on every row).
_POSITIVE, _REVERSE, _ZERO, _RANGE_M = Method.POSITIVE, Method.REVERSE, Method.ZERO, Method.RANGE
_WITHIN_M, _COMPOUND, _QUALITATIVE_M, _DEADLINE_M = (
    Method.WITHIN,
    Method.COMPOUND,
    Method.QUALITATIVE,
    Method.DEADLINE,
)
_UNSCORABLE = Method.UNSCORABLE
_QUANTITATIVE, _DEADLINE, _QUALITATIVE = ValueKind.QUANTITATIVE, ValueKind.DEADLINE, ValueKind.QUALITATIVE
_EMPTY = ValueKind.EMPTY
_EQ, _LE, _LT, _RANGE, _WITHIN = (
    Comparator.EQ,
    Comparator.LE,
    Comparator.LT,
    Comparator.RANGE,
    Comparator.WITHIN,
)
_GE, _GT = Comparator.GE, Comparator.GT
_ACHIEVED, _PARTLY, _MISSED = Tier.ACHIEVED, Tier.PARTLY, Tier.MISSED


def fmt(x: float | None) -> str:
    """A number as a table would print it: integers bare, others with at most 4 decimals."""
    if x is None:
        return "—"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def round2(x: float) -> float:
    """``x`` rounded to 2 decimals as ``round`` does (``-0.0`` as ``0.0``); whole numbers, most weights and scores,
    skip ``round``, which converts through decimal digits."""
    if x % 1.0 == 0.0:
        return x + 0.0
    return round(x, 2)


def tolerance_floor(profile: Profile) -> float:
    """The smallest tolerance :func:`tolerance_for` can give under ``profile``, whatever the printed score.

    A check may skip a row without asking :func:`tolerance_for` when even this tolerance settles the row.
    """
    return min(profile.score_tolerance, 0.5) if profile.integer_rounding else profile.score_tolerance


def rate_tolerance_for(printed: float, profile: Profile) -> float:
    """The accepted |printed − recomputed| execution rate (percentage points) for one printed rate: half a unit of
    its last printed digit when it prints fewer than two decimals (``86%`` is 86.2037% rounded), else the
    profile's tolerance."""
    if printed == int(printed):
        return max(profile.rate_tolerance, 0.5)
    if round(printed, 1) == printed:
        return max(profile.rate_tolerance, 0.05)
    return profile.rate_tolerance


def tolerance_for(printed: float | None, profile: Profile) -> float:
    """The accepted |printed − rule| for one printed score: wider when the table prints one decimal (R9)."""
    if printed is None:
        return profile.score_tolerance
    if printed == int(printed):
        return 0.5 if profile.integer_rounding else profile.score_tolerance
    if round(printed, 1) == printed:  # printed with one decimal (0.1, 9.9)
        return max(profile.score_tolerance, profile.score_tolerance_one_decimal)
    return profile.score_tolerance


class RowScore(NamedTuple):
    """The rule's score of one indicator row (an immutable named tuple: one is made for every row checked).

    Attributes:
        indicator: the row.
        printed: the row's printed 得分 (``indicator.score``), read once for every check that compares it.
        target / actual: the parsed 年度指标值 and 实际完成值.
        method: how the row was scored.
        weight: the row's 分值 (0 when missing).
        expected: the rule's point score (2 decimals), or None for a qualitative row (a band) or an unscorable one.
        low / high: the accepted band of scores; ``high_open`` when the top is excluded (tiers 2 and 3).
        tier: the qualitative tier and how it was found (qualitative and deadline rows).
        met: whether the actual reaches the target (quantitative) or the tier is 1 (qualitative); None if unknown.
        ratio: actual ÷ target for positive and reverse rows with a positive target.
        measured: the actual as compared (negative → 0, R9) for quantitative rows.
        fraction: the completion fraction the score rests on (quantitative rows).
        alternative: the reverse row's score by the formula the profile did not choose (R6).
        reverse: the reverse formula in force (A or B).
        problem: why the row could not be scored, in Chinese.
        problem_kind: ``missing`` (no actual), ``shaped`` (actual shaped like a target), ``text`` (non-numeric
            actual), ``target`` (target not scorable) or ``weight``.
        plain_at: the printed score at which the row is :attr:`plain`: the weight when full marks are the rule's
            score (a target met, a tier-1 or undecided qualitative row), both values are known shapes and their
            units agree; NaN (equal to no score) for any other row.
    """

    indicator: Indicator
    printed: float | None
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
    problem: str | None = None
    problem_kind: str | None = None
    measured: float | None = None
    fraction: float | None = None
    alternative: float | None = None
    reverse: str = "A"
    plain_at: float = math.nan

    @property
    def plain(self) -> bool:
        """Nothing remarkable: the row prints full marks where the rule gives full marks, its values are of known
        shapes and in agreeing units, so no row check (C-SE-04–08, 20, 22, C-VAL-01) can report it under any
        profile.  The checks look at :attr:`DocumentScore.remarkable` rows only."""
        return self.printed == self.plain_at

    @property
    def formula(self) -> str:
        """The rule with its numbers, in Chinese (e.g. ``正向（R5）：5 × 10 / 110 = 0.45``), built on demand."""
        return _explain(self)

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
            top = round2(max(self.low, self.high - 0.01)) if self.high_open else self.high
            if printed is None:
                return top
            return min(max(round2(printed), self.low), top)
        if printed is None:
            return None
        return min(max(round2(printed), 0.0), w)


# ``tuple.__new__`` with every field in order: what ``RowScore(...)`` does, without the generated ``__new__``'s frame
# (a RowScore is made for every row checked).
_row: Callable[[type[RowScore], tuple[Any, ...]], RowScore] = tuple.__new__
# Every field of a RowScore after ``indicator`` and ``printed``: a row's score with the row itself left out, the same
# for every row that prints the same target, actual and weight (see ScoreMemo).
Tail = tuple[Any, ...]


def _band(tier: Tier, w: float) -> tuple[float, float, bool]:
    if tier is _ACHIEVED:
        return round2(w * 0.8), w, False
    if tier is _PARTLY:
        return round2(w * 0.6), round2(w * 0.8), True
    return 0.0, round2(w * 0.6), True


_TIER_NAMES = {_ACHIEVED: "达成年度指标", _PARTLY: "部分达成年度指标", _MISSED: "未达成年度指标"}


_NAN = math.nan
_UNKNOWN_KIND = ValueKind.UNKNOWN


def _plain_at(t: Value, a: Value, w: float) -> float:
    """The ``plain_at`` of a row whose rule score is full marks: ``w``, unless a value is of an unknown shape
    (C-VAL-01) or the units disagree (C-SE-20)."""
    if (
        a.kind is _UNKNOWN_KIND
        or t.kind is _UNKNOWN_KIND
        or t.scale != a.scale
        or ((tu := t.unit) is not None and (au := a.unit) is not None and tu != au)
    ):
        return _NAN
    return w


def _qual(t: Value, a: Value, w: float, qt: QualitativeTier | None, method: Method) -> Tail:
    if qt is None:
        return (t, a, method, w, None, 0.0, w, False, None, None, None, None, None, None, None, None, "A",
                _plain_at(t, a, w))  # fmt: skip
    low, high, open_ = _band(qt.tier, w)
    return (
        t,
        a,
        method,
        w,
        None,
        low,
        high,
        open_,
        qt,
        qt.tier is _ACHIEVED,
        None,
        None,
        None,
        None,
        None,
        None,
        "A",
        _plain_at(t, a, w) if qt.tier is _ACHIEVED else _NAN,
    )


def _explain_band(rs: RowScore) -> str:
    label = "时限（R7，按定性三档计分）" if rs.method is _DEADLINE_M else "定性（R8）"
    qt = rs.tier
    if qt is None:
        return f"{label}：无法从实际完成值「{rs.actual.text}」判断档次，得分应在 [0, {fmt(rs.weight)}]"
    how = "写明" if qt.stated else "推断"
    close = ")" if rs.high_open else "]"
    return (
        f"{label}：{how}第{int(qt.tier)}档「{_TIER_NAMES[qt.tier]}」（{qt.reason}）→ 得分区间 "
        f"[{fmt(rs.low)}, {fmt(rs.high)}{close}"
    )


def _explain(rs: RowScore) -> str:
    method = rs.method
    if method is _UNSCORABLE:
        return f"无法按规则计分：{rs.problem}"
    if method is _QUALITATIVE_M or method is _DEADLINE_M:
        return _explain_band(rs)
    expected, frac = rs.expected or 0.0, rs.fraction or 0.0
    if method is _COMPOUND:
        return f"复合定量（各项最弱者计分）：{fmt(rs.weight)} × {fmt(frac)} = {fmt(expected)}"
    alt = rs.alternative if rs.alternative is not None else expected
    return _formula(method, rs.weight, rs.target, rs.actual, rs.measured or 0.0, frac, expected, alt, bool(rs.met),
                    rs.reverse)  # fmt: skip


def _deadline(t: Value, a: Value, w: float) -> Tail:
    qt: QualitativeTier | None
    if a.kind is _DEADLINE and t.due is not None and a.due is not None:
        if a.due <= t.due:
            qt = QualitativeTier(_ACHIEVED, False, f"{a.text} 不晚于 {t.text}")
        else:
            qt = QualitativeTier(_PARTLY, False, f"{a.text} 晚于 {t.text}")
    else:
        qt = qualitative_tier(t.text, a.text)
    return _qual(t, a, w, qt, _DEADLINE_M)


def _unscorable(t: Value, a: Value, w: float, problem: str, kind: str) -> Tail:
    return (
        t,
        a,
        _UNSCORABLE,
        w,
        None,
        None,
        None,
        False,
        None,
        None,
        None,
        problem,
        kind,
        None,
        None,
        None,
        "A",
        _NAN,
    )


def _fraction(
    cmp: Comparator, t: Value, am: float, raw: float, reverse: str
) -> tuple[Method, float, float, bool]:
    """(method, fraction by the profile's formula, fraction by the other formula, met) of one measured actual."""
    tm = t.number * t.scale if t.number is not None else 0.0
    if cmp is _RANGE:
        hi = t.upper_magnitude or tm
        if tm <= am <= hi:
            return _RANGE_M, 1.0, 1.0, True
        f = am / tm if am < tm and tm > 0 else (hi / am if am > hi else 0.0)
        return _RANGE_M, f, f, False
    if cmp is _GE or cmp is _GT or (cmp is _EQ and tm > 0):
        if am >= tm:
            return _POSITIVE, 1.0, 1.0, True
        f = am / tm if tm > 0 else 0.0
        return _POSITIVE, f, f, False
    if cmp is _WITHIN:
        am = abs(raw)
    if (tm <= 0 and cmp is not _WITHIN) or cmp is _EQ:
        return _ZERO, (1.0 if am <= 0 else 0.0), (1.0 if am <= 0 else 0.0), am <= 0
    method = _WITHIN_M if cmp is _WITHIN else _REVERSE
    if am <= tm:
        return method, 1.0, 1.0, True
    if tm <= 0:
        return method, 0.0, 0.0, False
    a_form = tm / am
    b_form = max(0.0, 2.0 - am / tm)
    if reverse == "B":
        return method, b_form, a_form, False
    return method, a_form, b_form, False


def _quantitative(t: Value, a: Value, w: float, reverse: str) -> Tail:
    # Runs for every quantitative row the cache has not seen: Value's properties (is_expression, is_measurement,
    # magnitude, effective_comparator) are spelled out on the fields, and the RowScore is built positionally.
    akind, acmp, aparts, anum = a.kind, a.comparator, a.parts, a.number
    if akind is _EMPTY:
        return _unscorable(t, a, w, "定量指标缺少实际完成值", "missing")
    if t.parts:
        return _compound(t, a, w, reverse)
    if akind is _QUANTITATIVE and (acmp is not None or aparts):
        return _unscorable(t, a, w, f"实际完成值「{a.text}」是目标式表达，不是实测值", "shaped")
    if akind is not _QUANTITATIVE or acmp is not None or aparts or anum is None:
        return _unscorable(t, a, w, f"定量指标的实际完成值「{a.text}」不是数值", "text")
    cmp = t.comparator or _GE  # the effective comparator of a quantitative target without parts
    assert t.number is not None
    tm = t.number * t.scale
    raw = anum * a.scale
    if t.scale != 1.0:
        raw = _in_target_scale(raw, a, t)
    am = raw if raw > 0.0 else 0.0  # R9: a negative actual counts as 0
    if (cmp is _GE or cmp is _GT) and am >= tm:  # the common case: a positive target met
        expected = round2(w)
        ratio = am / tm if tm > 0 else None
        plain = _plain_at(t, a, w) if expected == w else _NAN
        return (t, a, _POSITIVE, w, expected, None, None, False, None, True, ratio, None, None, am, 1.0, expected,
                reverse, plain)  # fmt: skip
    method, frac, other, met = _fraction(cmp, t, am, raw, reverse)
    expected = round2(w * frac)
    alt = round2(w * other)
    ratio = am / tm if tm > 0 and (method is _POSITIVE or method is _REVERSE) else None
    low: float | None
    high: float | None
    if method is _REVERSE or method is _WITHIN_M:
        low, high = (expected, alt) if expected <= alt else (alt, expected)
    else:
        low = high = None
    plain = _plain_at(t, a, w) if met and expected == w else _NAN
    return (t, a, method, w, expected, low, high, False, None, met, ratio, None, None, am, frac, alt, reverse,
            plain)  # fmt: skip


def _in_target_scale(raw: float, a: Value, t: Value) -> float:
    """A bare actual (no unit, no scale word) against a target with a scale word (``≤202.6万元`` vs ``132.9``):
    the table may state the unit once, so read the actual in whichever of the two scales lies nearer the target
    ([I]; C-SE-20 still reports the mismatch).  Any other actual is taken as printed."""
    if (
        t.scale == 1.0
        or a.unit is not None
        or a.scale != 1.0
        or raw <= 0
        or not t.magnitude
        or t.magnitude <= 0
    ):
        return raw
    scaled = raw * t.scale
    return scaled if abs(math.log(scaled / t.magnitude)) < abs(math.log(raw / t.magnitude)) else raw


def _formula(
    method: Method, w: float, t: Value, a: Value, am: float, frac: float, expected: float, alt: float, met: bool,
    reverse: str,
) -> str:  # fmt: skip
    tm = t.magnitude or 0.0
    av, tv = fmt(am), fmt(tm)
    if method is _POSITIVE:
        head = "正向（R5）" if t.comparator is not _EQ else "等于型，按正向计分（R7）"
        if met:
            return f"{head}：实际 {av} ≥ 目标 {tv} → 满分 {fmt(w)}"
        raw = w * frac
        shown = fmt(expected) if abs(raw - expected) < 1e-9 else f"{fmt(round(raw, 4))} ≈ {fmt(expected)}"
        return f"{head}：{fmt(w)} × {av} / {tv} = {shown}"
    if method is _ZERO:
        return f"零目标（R6）：实际 {av} {'≤ 0 → 满分' if met else '> 0 → 0 分'} {fmt(expected)}"
    if method is _RANGE_M:
        lo, hi = fmt(t.magnitude), fmt(t.upper_magnitude)
        if met:
            return f"区间（R7）：{lo} ≤ 实际 {av} ≤ {hi} → 满分 {fmt(w)}"
        side = f"{fmt(w)} × {av} / {lo}" if am < tm else f"{fmt(w)} × {hi} / {av}"
        return f"区间（R7）：{side} = {fmt(expected)}"
    head = "反向（R6）" if method is _REVERSE else "容差 ±（按反向计分）"
    if met:
        return f"{head}：实际 {av} ≤ 目标 {tv} → 满分 {fmt(w)}"
    a_score, b_score = (expected, alt) if reverse == "A" else (alt, expected)
    return (
        f"{head}：公式A {fmt(w)} × {tv} / {av} = {fmt(a_score)}；"
        f"公式B {fmt(w)} × max(0, 2 − {av}/{tv}) = {fmt(b_score)}；采用公式{reverse}"
    )


def _compound(t: Value, a: Value, w: float, reverse: str) -> Tail:
    if len(a.parts) != len(t.parts) or not all(p.is_measurement for p in a.parts):
        if a.parts or a.is_expression:
            return _unscorable(t, a, w, f"实际完成值「{a.text}」是目标式表达，不是实测值", "shaped")
        return _unscorable(t, a, w, f"复合指标「{t.text}」的实际完成值「{a.text}」无法逐项对应", "text")
    fracs: list[float] = []
    for tp, ap in zip(t.parts, a.parts, strict=True):
        cmp = tp.effective_comparator
        if cmp is None or ap.magnitude is None:
            return _unscorable(t, a, w, f"复合指标「{t.text}」无法逐项计分", "target")
        fracs.append(_fraction(cmp, tp, max(ap.magnitude, 0.0), ap.magnitude, reverse)[1])
    frac = min(fracs)
    expected = round2(w * frac)
    return (
        t,
        a,
        _COMPOUND,
        w,
        expected,
        None,
        None,
        False,
        None,
        frac >= 1.0,
        None,
        None,
        None,
        None,
        frac,
        None,
        "A",
        _plain_at(t, a, w) if frac >= 1.0 and expected == w else _NAN,
    )


def score_row(ind: Indicator, profile: Profile) -> RowScore:
    """The rule's score of one indicator row (R5–R9)."""
    tail = _score_values(
        parse_value(ind.target), parse_value(ind.actual), ind.weight, profile.reverse_formula
    )
    return _row(RowScore, (ind, ind.score, *tail))


def clear_caches() -> None:
    """Forget memoised value parses (for benchmarks that must start cold; row scores live in a :class:`ScoreMemo`)."""
    parse_value.cache_clear()


def _score_values(t: Value, a: Value, w: float | None, reverse: str) -> Tail:
    """The score of a (target, actual, weight) triple without the row: every field of a :class:`RowScore` after
    ``printed``, shared by every row that prints the same three cells."""
    if w is None or w < 0:
        return _unscorable(t, a, 0.0 if w is None else w, "分值缺失或为负", "weight")
    kind = t.kind
    if kind is _QUANTITATIVE:
        return _quantitative(t, a, w, reverse)
    if kind is _DEADLINE:
        return _deadline(t, a, w)
    if kind is _QUALITATIVE:
        return _qual(t, a, w, qualitative_tier(t.text, a.text), _QUALITATIVE_M)
    if kind is _EMPTY:
        return _unscorable(t, a, w, "年度指标值为空", "target")
    return _unscorable(t, a, w, t.problem or f"无法识别的年度指标值「{t.text}」", "target")


class ScoreMemo:
    """Parsed values and row scores remembered for one run (a check run, a CLI call), then dropped with it.

    A run's rows repeat: the same 目标值 in many rows, the same (target, actual, weight) triple in many tables, the
    same names (what rules/trust.py finds of a row's texts is kept here too).  A plain dict per run remembers
    every one of them without the bookkeeping of an LRU cache, and lets go of them when the run ends, so a
    long-running server keeps nothing between requests.  ``limit`` bounds the memory of an enormous run: a table
    that reaches it starts again empty.
    """

    __slots__ = ("clean", "limit", "names", "rows", "values")

    def __init__(self, limit: int = 1 << 20) -> None:
        self.limit = limit
        self.values: dict[str | None, Value] = {}
        self.rows: dict[tuple[str | None, str | None, float | None, str], Tail] = {}
        # what rules/trust.py found of each indicator name and of each target or actual text
        self.names: dict[str | None, bool] = {}
        self.clean: dict[str | None, bool] = {}

    def score(self, key: tuple[str | None, str | None, float | None, str]) -> Tail:
        """The fields of a :class:`RowScore` after ``printed`` for a (target, actual, weight, reverse) key."""
        got = self.rows.get(key)
        return got if got is not None else self.add(key)

    def add(self, key: tuple[str | None, str | None, float | None, str]) -> Tail:
        """Score a key not yet seen (:meth:`score` after a miss), and remember it."""
        rows, values, limit = self.rows, self.values, self.limit
        target, actual, weight, reverse = key
        t = values.get(target)
        if t is None:
            if len(values) >= limit:
                values.clear()
            t = values[target] = parse_value_uncached(target)
        a = values.get(actual)
        if a is None:
            if len(values) >= limit:
                values.clear()
            a = values[actual] = parse_value_uncached(actual)
        if len(rows) >= limit:
            rows.clear()
        got = rows[key] = _score_values(t, a, weight, reverse)
        return got


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    """The execution line (年度资金总额) scored by R3.

    Attributes:
        fund: the line.
        weight: its 分值 (the profile's execution weight when not printed).
        rate: 全年执行数 / 全年预算数 in percent, recomputed; None when the amounts are missing.
        basis: the rate the score rests on: the printed rate when printed, else the recomputed one.
        expected: weight × min(basis, 100%), unrounded; None when no rate is known.
        formula: the rule with its numbers, in Chinese (built on demand: most documents never print it).
    """

    fund: FundLine
    weight: float
    rate: float | None
    basis: float | None
    expected: float | None

    @property
    def formula(self) -> str:
        """The rule with its numbers, in Chinese."""
        if self.basis is None or self.expected is None:
            return "预算执行率（R3）：缺少全年预算数或全年执行数，无法计算"
        fund, rate, w = self.fund, self.rate, self.weight
        src = (
            f"{fmt(fund.executed)} / {fmt(fund.annual_budget)} = {fmt(rate)}%"
            if rate is not None
            else "执行率"
        )
        return f"预算执行率（R3）：{src}；得分 {fmt(w)} × min({fmt(self.basis)}%, 100%) = {fmt(round2(self.expected))}"

    @property
    def recomputed_score(self) -> float | None:
        """weight × min(recomputed rate, 100%), to 2 decimals: what a re-scored table prints."""
        if self.rate is None:
            return None
        return round2(self.weight * min(max(self.rate, 0.0), 100.0) / 100.0)


def score_execution(fund: FundLine, profile: Profile) -> ExecutionScore:
    """R3: rate = 全年执行数 / 全年预算数; score = weight × min(rate, 1)."""
    w = fund.weight if fund.weight is not None else profile.execution_weight
    rate = None
    if fund.annual_budget and fund.annual_budget > 0 and fund.executed is not None:
        rate = fund.executed / fund.annual_budget * 100.0
    basis = fund.execution_rate if fund.execution_rate is not None else rate
    if basis is None:
        return ExecutionScore(fund, w, rate, None, None)
    return ExecutionScore(fund, w, rate, basis, w * min(max(basis, 0.0), 100.0) / 100.0)


_WEIGHT, _PRINTED = attrgetter("weight"), attrgetter("printed")


class RowSums(NamedTuple):
    """What the printed rows of a table add up to.

    Attributes:
        weight: Σ 分值 of the indicator rows (missing weights count 0).
        score: Σ printed 得分 of the indicator rows (missing scores count 0).
        groups: Σ 分值 per 一级 group (产出 with 成本, 效益, 满意度, and 其他 when a row fits none), unrounded.
        present: the 一级 groups that have at least one row.
    """

    weight: float
    score: float
    groups: dict[str, float]
    present: frozenset[str]


@dataclass(frozen=True)
class DocumentScore:
    """A self-evaluation scored by the rules.

    Attributes:
        document: the scored document.
        execution: the 年度资金总额 line, or None when the table has none.
        rows: one :class:`RowScore` per indicator, in order.
        remarkable: the rows a row check can report (see :attr:`RowScore.plain`).
    """

    document: SelfEvaluation
    execution: ExecutionScore | None
    rows: tuple[RowScore, ...]

    @cached_property
    def remarkable(self) -> tuple[RowScore, ...]:
        """The rows that are not :attr:`RowScore.plain`, in order: the only ones a row check can report."""
        return tuple([rs for rs in self.rows if rs.printed != rs.plain_at])

    @cached_property
    def sums(self) -> RowSums:
        """The printed rows added up once, for every check that needs a sum (C-SE-10, 11, 12, 13).

        Groups (R2): 产出 takes the 产出指标 and 成本指标 rows, then 效益, 满意度, and 其他 for any other 一级 label.
        """
        rows = self.rows  # the weight and printed score as the scorer read them (a missing weight counts 0)
        by_label: dict[str | None, float] = {}
        for rs in rows:
            l1 = rs.indicator.level1
            by_label[l1] = by_label.get(l1, 0.0) + rs.weight
        groups = {"产出": 0.0, "效益": 0.0, "满意度": 0.0}
        present: set[str] = set()
        for l1, w in by_label.items():  # a handful of labels per table
            g = _GROUPS.get(l1) or _group_of(l1)
            present.add(g)
            groups[g] = groups.get(g, 0.0) + w
        weight = sum(map(_WEIGHT, rows), 0.0)
        score = sum(filter(None, map(_PRINTED, rows)), 0.0)
        return RowSums(weight, score, groups, frozenset(present))

    @property
    def execution_score(self) -> float:
        """The execution score a re-scored table prints (0 when there is no execution line)."""
        if self.execution is None:
            return 0.0
        got = self.execution.recomputed_score
        if got is None and self.execution.expected is not None:
            got = round2(self.execution.expected)
        return got or 0.0

    def points(self) -> list[float | None]:
        """The score of each row in a re-scored table."""
        return [r.point(r.printed) for r in self.rows]

    @property
    def total(self) -> float:
        """总分 of the re-scored table: execution score + Σ row scores, to 2 decimals (R9)."""
        return round2(self.execution_score + sum(p for p in self.points() if p is not None))


def score_document(doc: SelfEvaluation, profile: Profile, memo: ScoreMemo | None = None) -> DocumentScore:
    """Score every row and the execution line of a self-evaluation.

    ``memo`` carries parsed values and row scores from one document to the next of a run (see :class:`ScoreMemo`);
    without it the document is scored on its own.
    """
    fund = doc.fund()
    execution = score_execution(fund, profile) if fund is not None else None
    memo = memo if memo is not None else ScoreMemo()
    reverse, known, add = profile.reverse_formula, memo.rows.get, memo.add
    rows = tuple([
        _row(RowScore, (i, i.score) + (known(key := (i.target, i.actual, i.weight, reverse)) or add(key)))
        for i in doc.indicators
    ])  # fmt: skip
    return DocumentScore(doc, execution, rows)


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
            fund.execution_rate = round2(ex.rate)
        fund.weight = ex.weight
        fund.score = scored.execution_score
    out.total_score = scored.total
    weights = sum(i.weight or 0.0 for i in out.indicators) + (
        scored.execution.weight if scored.execution else 0.0
    )
    out.total_weight = round2(weights)
    out.grade = profile.grade(scored.total)
    return out


# 一级 labels seen so far and their groups: a document has a handful of labels, a run a few dozen.
_GROUPS: dict[str | None, str] = {}


def _group_of(level1: str | None) -> str:
    l1 = level1 or ""
    if l1.startswith(("产出", "成本")):
        g = "产出"
    elif l1.startswith("效益"):
        g = "效益"
    elif l1.startswith("满意度"):
        g = "满意度"
    else:
        g = "其他"
    if len(_GROUPS) < 4096:
        _GROUPS[level1] = g
    return g
