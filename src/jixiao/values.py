"""Value expressions: a printed 年度指标值 or 实际完成值 parsed into kind, comparator, numbers and unit.

The spec (``shared/spec/rules.md`` R4) lists the shapes seen in published tables.  :func:`parse_value` turns each
into a :class:`Value`::

    ≥4.00(次)      quantitative  ≥ 4 次               >=36万        quantitative  ≥ 36 (×10⁴)
    大于等于10000kb quantitative  ≥ 10000 kb           ≤30（分钟）    quantitative  ≤ 30 分钟
    300-400(人)    quantitative  range 300–400 人     ±3%以内       quantitative  ± 3 %
    95%以上        quantitative  ≥ 95 %               36.5万        quantitative  (measured) 36.5 (×10⁴)
    10月底         deadline      end of October       6月底前       deadline      end of June
    1小时内响应，3小时内抵达现场   two quantitative parts, ≤ 1 小时 and ≤ 3 小时
    及时 / 是 / 达成指标 / 未完成   qualitative

A value that carries digits but matches none of the shapes is :attr:`ValueKind.UNKNOWN` with a
:attr:`Value.problem`; callers report it, nothing here guesses.  A bare number (``36.5万``) has no comparator: as an
actual it is a measured value, as a target it means ``≥`` by default (R4, an implementation choice).

Parsing is pure and cached (:func:`parse_value` is an ``lru_cache``), so checks may call it freely.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = [
    "Comparator",
    "QualitativeTier",
    "Tier",
    "Value",
    "ValueKind",
    "parse_value",
    "parse_value_uncached",
    "qualitative_tier",
]


class ValueKind(StrEnum):
    """What sort of expression a value is."""

    QUANTITATIVE = "quantitative"
    DEADLINE = "deadline"
    QUALITATIVE = "qualitative"
    EMPTY = "empty"
    UNKNOWN = "unknown"


class Comparator(StrEnum):
    """The comparator of a quantitative expression (vendor codes 1 ≥, 2 >, 3 =, 4 ≤, 5 <; plus range and ±)."""

    GE = "≥"
    GT = ">"
    EQ = "="
    LE = "≤"
    LT = "<"
    RANGE = "~"
    WITHIN = "±"

    @property
    def positive(self) -> bool:
        """True for the comparators scored as positive indicators (R5): ≥ and >."""
        return self in _POSITIVE

    @property
    def reverse(self) -> bool:
        """True for the comparators scored as reverse indicators (R6): ≤, < and ±."""
        return self in _REVERSE


# Enum members bound to module names: attribute access on an Enum class is slow in Python 3.11, and parsing and
# scoring touch these on every cell.
_QUANTITATIVE, _DEADLINE, _QUALITATIVE = ValueKind.QUANTITATIVE, ValueKind.DEADLINE, ValueKind.QUALITATIVE
_EMPTY, _UNKNOWN = ValueKind.EMPTY, ValueKind.UNKNOWN
_GE, _GT, _EQ, _LE, _LT = Comparator.GE, Comparator.GT, Comparator.EQ, Comparator.LE, Comparator.LT
_RANGE, _WITHIN = Comparator.RANGE, Comparator.WITHIN
_POSITIVE = frozenset({_GE, _GT})
_REVERSE = frozenset({_LE, _LT, _WITHIN})


class Value(NamedTuple):
    """One parsed value expression (an immutable named tuple: cheap to make, as parsing runs on every cell).

    Attributes:
        text: the value as printed, trimmed.
        kind: quantitative, deadline, qualitative, empty or unknown.
        comparator: the printed comparator; None for a bare number or a non-quantitative value.
        number: the (lower) number as printed, before applying ``scale`` (36 for ``>=36万``).
        upper: the upper bound of a range (400 for ``300-400(人)``).
        unit: the unit without its scale word and brackets (``人``, ``%``, ``页`` for ``20(万页)``), or None.
        scale: the multiplier of a scale word in the unit (10⁴ for 万, 10⁸ for 亿), else 1.
        label: text printed before the comparator (``重大事故发生`` in ``重大事故发生<=2次``).
        note: text printed after a suffix comparator (``响应`` in ``1小时内响应``).
        due: for deadlines, ``month * 100 + day`` with day 0 for "before the month" (``10月前``) and 32 for
            "end of the month" (``10月底``); for a bare month as an actual (``11月``) the day is 1.
        parts: the parts of a compound expression (``1小时内响应，3小时内抵达现场``), else empty.
        problem: why the value could not be parsed (kind UNKNOWN), in Chinese.
    """

    text: str
    kind: ValueKind
    comparator: Comparator | None = None
    number: float | None = None
    upper: float | None = None
    unit: str | None = None
    scale: float = 1.0
    label: str | None = None
    note: str | None = None
    due: int | None = None
    parts: tuple[Value, ...] = ()
    problem: str | None = None

    @property
    def magnitude(self) -> float | None:
        """The (lower) number times its scale: 360000 for ``>=36万``."""
        return None if self.number is None else self.number * self.scale

    @property
    def upper_magnitude(self) -> float | None:
        """The upper bound of a range times its scale."""
        return None if self.upper is None else self.upper * self.scale

    @property
    def is_expression(self) -> bool:
        """True when the value is shaped like a target (has a comparator, a range or parts), not a measurement."""
        return self.comparator is not None or bool(self.parts)

    @property
    def is_measurement(self) -> bool:
        """A single measured quantity: quantitative, one number, no comparator."""
        return self.kind is _QUANTITATIVE and not self.is_expression and self.number is not None

    @property
    def effective_comparator(self) -> Comparator | None:
        """The comparator used for scoring a target: a bare number counts as ``≥`` (R4, [I])."""
        if self.kind is not _QUANTITATIVE or self.parts:
            return None
        return self.comparator or _GE

    def describe(self) -> str:
        """A short Chinese description, e.g. ``定量 ≥ 4 次`` or ``时限 10月底``."""
        if self.kind is _QUANTITATIVE:
            if self.parts:
                return "复合定量：" + "；".join(p.describe() for p in self.parts)
            unit = self.unit or ""
            if self.comparator is _RANGE:
                return f"定量 区间 {_fmt(self.magnitude)}–{_fmt(self.upper_magnitude)} {unit}".rstrip()
            cmp = self.comparator.value if self.comparator else "实测"
            return f"定量 {cmp} {_fmt(self.magnitude)} {unit}".rstrip()
        if self.kind is _DEADLINE:
            return f"时限 {_due_text(self.due)}"
        return {
            _QUALITATIVE: "定性",
            _EMPTY: "空",
            _UNKNOWN: "无法识别",
        }[self.kind]


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _due_text(due: int | None) -> str:
    if due is None:
        return "?"
    month, day = divmod(due, 100)
    if day == 0:
        return f"{month}月前"
    if day == 32:
        return f"{month}月底"
    return f"{month}月{day}日"


# --- normalisation ------------------------------------------------------------------------------------------------

_CHARS = str.maketrans(
    {
        "０": "0", "１": "1", "２": "2", "３": "3", "４": "4", "５": "5", "６": "6", "７": "7", "８": "8", "９": "9",
        "．": ".", "％": "%", "（": "(", "）": ")", "＋": "+", "－": "-", "～": "~", "〜": "~", "—": "-", "–": "-",
        "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤", "≮": "≥", "≯": "≤",
        "﹦": "=", "═": "=", "＝": "=", "⁼": "=",
        "‹": "<", "›": ">", "﹤": "<", "﹥": ">", "＜": "<", "＞": ">", "〈": "<", "〉": ">",
        "，": ",", "；": ";", "：": ":", "、": ",",
    }
)  # fmt: skip

# Word and two-character comparators, longest first; every one maps to a single symbol.
_WORDS = (
    ("大于或等于", "≥"), ("小于或等于", "≤"), ("大于等于", "≥"), ("小于等于", "≤"),
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("不多于", "≤"), ("最多", "≤"), ("至多", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"), ("等于", "="),
    ("达到", "≥"), ("达", "≥"),
    (">=", "≥"), ("=>", "≥"), ("≥=", "≥"), ("<=", "≤"), ("=<", "≤"), ("≤=", "≤"),
    ("+/-", "±"), ("+-", "±"),
)  # fmt: skip
_WORD_RE = re.compile(
    "(?:"
    + "|".join(re.escape(w) for w, _ in _WORDS if not w.isascii())
    + r")(?=\d)|>=|=>|<=|=<|≥=|≤=|\+/-|\+-"
)
_WORD_MAP = dict(_WORDS)
_REPEAT = re.compile(r"([≥≤<>=±])\1+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_WS = re.compile(r"\s+")
_NULLS = frozenset({"", "-", "--", "—", "——", "/", "无", "\\", "n/a", "N/A"})


def _normalise(text: str) -> str:
    s = _WS.sub("", text).translate(_CHARS).rstrip("。.,;")
    s = _WORD_RE.sub(lambda m: _WORD_MAP.get(m.group(0), m.group(0)), s)
    s = _REPEAT.sub(r"\1", s)
    return _THOUSANDS.sub("", s)


# --- grammar -------------------------------------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?"
_SUFFIX = r"及以上|及以下|以上|以下|以内|之内|内"
_QTY = re.compile(
    rf"""^(?P<label>[^\d≥≤<>=±]*?)
    (?P<cmp>[≥≤<>=±])?
    (?P<num>-?{_NUM})
    (?:(?:-|~|至|到)(?P<num2>{_NUM}))?
    (?P<unit>\([^()]{{0,10}}\)|[^\d()≥≤<>=±,;]{{0,8}}?)
    (?:(?P<suffix>{_SUFFIX})(?P<note>[^\d≥≤<>=±]*))?$""",
    re.VERBOSE,
)
_SUFFIX_CMP = {
    "以上": _GE, "及以上": _GE,
    "以下": _LE, "及以下": _LE, "以内": _LE, "之内": _LE, "内": _LE,
}  # fmt: skip
_SYMBOL_CMP = {
    "≥": _GE, ">": _GT, "=": _EQ, "≤": _LE, "<": _LT,
    "±": _WITHIN,
}  # fmt: skip
_DEADLINE_RE = re.compile(
    r"""^(?:截至|截止|于|在|按期于)?
    (?:(?P<year>\d{4})年)?
    (?:(?P<month>\d{1,2})月(?P<when>底|末|初|上旬|中旬|下旬|(?P<day>\d{1,2})日|份)?|(?P<yearend>年底|年末|年内))?
    (?P<before>前|之前|以前)?
    (?:完成|前完成|结束|办结)?$""",
    re.VERBOSE,
)
_YEAR_WORDS = re.compile(r"^(?:本|当|全)?年(?:底|末|内)(?:前|之前)?(?:完成|办结)?$")
_SPLIT = re.compile(r"[,;]|及|和|并且|并|且")
_MAX_UNIT = 6
_WORDY = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_SCALES = (("亿", 1e8), ("万", 1e4))
_UNIT_ALIASES = {"百分比": "%", "百分点": "%", "个百分点": "%"}


def _unit(raw: str) -> tuple[str | None, float]:
    u = raw[1:-1] if raw.startswith("(") and raw.endswith(")") else raw
    scale = 1.0
    for word, mult in _SCALES:
        if u.startswith(word) and u != word + "分比":
            scale, u = mult, u[len(word) :]
            break
    u = _UNIT_ALIASES.get(u, u)
    return (u or None), scale


def _quantity(text: str, s: str) -> Value | None:
    m = _QTY.match(s)
    if m is None:
        return None
    label, cmp_sym, suffix = m.group("label"), m.group("cmp"), m.group("suffix")
    raw_unit = m.group("unit")
    if label and (cmp_sym is None or not _WORDY.search(label)):
        return None  # "举办1期专题培训": prose with a number; "%=99": a stray symbol, not a label
    if not raw_unit.startswith("(") and (len(raw_unit) > _MAX_UNIT or raw_unit.startswith("月")):
        return None  # prose, or a date the deadline grammar rejected ("13月底")
    if m.group("note") and suffix is None:
        return None
    unit, scale = _unit(raw_unit)
    number = float(m.group("num"))
    upper = float(m.group("num2")) if m.group("num2") else None
    if upper is not None:
        if cmp_sym is not None or upper < number:
            return None
        comparator: Comparator | None = _RANGE
    else:
        comparator = _SYMBOL_CMP[cmp_sym] if cmp_sym else None
        if suffix:
            suffix_cmp = _SUFFIX_CMP[suffix]
            if comparator is _WITHIN:
                pass  # "±3%以内": the suffix restates the tolerance
            elif comparator is not None and comparator is not suffix_cmp:
                return None
            else:
                comparator = suffix_cmp
    return Value(
        text=text,
        kind=_QUANTITATIVE,
        comparator=comparator,
        number=number,
        upper=upper,
        unit=unit,
        scale=scale,
        label=label or None,
        note=m.group("note") or None,
    )


def _deadline(text: str, s: str) -> Value | None:
    if _YEAR_WORDS.match(s):
        return Value(text=text, kind=_DEADLINE, due=1232)
    m = _DEADLINE_RE.match(s)
    if m is None or not (m.group("month") or m.group("yearend") or m.group("year")):
        return None
    if m.group("month"):
        month = int(m.group("month"))
        if not 1 <= month <= 12:
            return None
        when = m.group("when")
        if m.group("day"):
            day = int(m.group("day"))
            if not 1 <= day <= 31:
                return None
        elif when in ("底", "末", "下旬"):
            day = 32
        elif when == "中旬":
            day = 20
        elif when == "上旬":
            day = 10
        elif m.group("before"):
            day = 0  # "10月前": before October begins
        else:
            day = 1  # "11月" as an actual: some time in November
    else:
        month, day = 12, 32
    return Value(text=text, kind=_DEADLINE, due=month * 100 + day)


def _compound(text: str, s: str) -> Value | None:
    pieces = [p for p in _SPLIT.split(s) if p]
    if len(pieces) < 2:
        return None
    parts = tuple(_single(p, p) for p in pieces)
    if any(p is None for p in parts):
        return None
    good = tuple(p for p in parts if p is not None)
    kinds = {p.kind for p in good}
    if kinds == {_DEADLINE}:
        due = max(p.due or 0 for p in good)
        return Value(text=text, kind=_DEADLINE, due=due, parts=good)
    if kinds == {_QUANTITATIVE}:
        return Value(text=text, kind=_QUANTITATIVE, parts=good)
    return None


def _single(text: str, s: str) -> Value | None:
    return _deadline(text, s) or _quantity(text, s)


_DIGIT = re.compile(r"\d")
_PREFIX_DEADLINE = re.compile(r"^分别")


def parse_value_uncached(text: str | None) -> Value:
    """Parse one printed value expression.  :func:`parse_value` is this function behind a 65,536-entry cache; a
    caller that keeps its own memo (the scorer, per run) calls this one.

    >>> parse_value(">=36万").magnitude
    360000.0
    >>> parse_value("≤30（分钟）").comparator.value, parse_value("≤30（分钟）").unit
    ('≤', '分钟')
    >>> parse_value("6月底前").due
    632
    >>> parse_value("及时").kind.value
    'qualitative'
    """
    raw = (text or "").strip()
    if raw in _NULLS:
        return Value(text=raw, kind=_EMPTY)
    # The fast path, inlined: most cells are one number with a comparator and a unit, and parsing runs on every
    # cell the cache has not seen.
    m = _FAST.fullmatch(raw)
    if m is not None:
        cmp, num, u1, u2, u3 = m.groups()
        unit = u1 or u2 or u3
        if unit is None or not _NOT_FAST_UNIT.search(unit):
            return _new_value(
                Value, (raw, _QUANTITATIVE, _FAST_CMP[cmp] if cmp else None, float(num), None, unit or None, 1.0,
                        None, None, None, (), None)
            )  # fmt: skip
    return _full(raw)


parse_value = lru_cache(maxsize=65536)(parse_value_uncached)


# The common shapes of printed tables (``≥4.00(次)``, ``95%``, ``=100(%)``, ``365人``) in one match on the raw text;
# anything else, or a unit that could be a date or carry a suffix word, goes through the full grammar.
_FAST = re.compile(
    r"(≥|>=|≤|<=|=|>|<)?(\d+(?:\.\d+)?)(?:\(([^\d()]{1,6})\)|（([^\d（）]{1,6})）|(%|[A-Za-z\u4e00-\u9fff]{1,4}))?"
)
_FAST_CMP = {"≥": _GE, ">=": _GE, "≤": _LE, "<=": _LE, "=": _EQ,
             ">": _GT, "<": _LT}  # fmt: skip
_NOT_FAST_UNIT = re.compile(r"[内以前后月年日底上下万亿百]")
# ``tuple.__new__`` with the fields in order: what ``Value(...)`` does, without the generated ``__new__``'s frame.
_new_value: Callable[[type[Value], tuple[Any, ...]], Value] = tuple.__new__


def _full(raw: str) -> Value:
    """The whole grammar: normalisation, deadlines, labelled and suffixed quantities, ranges, compounds."""
    s = _normalise(raw)
    if not _DIGIT.search(s):
        if _YEAR_WORDS.match(s):
            return Value(text=raw, kind=_DEADLINE, due=1232)
        return Value(text=raw, kind=_QUALITATIVE)
    found = _single(raw, s) or _compound(raw, _PREFIX_DEADLINE.sub("", s).removesuffix("完成"))
    if found is not None:
        return found
    return Value(text=raw, kind=_UNKNOWN, problem=f"无法识别的数值表达「{raw}」")


# --- qualitative tiers (R8) ----------------------------------------------------------------------------------------


class Tier(IntEnum):
    """The three qualitative tiers of R8 (10号 ch. 3)."""

    ACHIEVED = 1  # 达成年度指标
    PARTLY = 2  # 部分达成年度指标并具有一定效果
    MISSED = 3  # 未达成年度指标且效果较差


class QualitativeTier(NamedTuple):
    """A tier and how it was found.

    Attributes:
        tier: the tier.
        stated: True when the actual names the tier in the canonical wording (达成 / 部分达成 / 未达成), False when it
            was inferred from the wording (R8, an implementation choice).
        reason: the word or comparison the tier rests on, in Chinese.
    """

    tier: Tier
    stated: bool
    reason: str


_STATED = (
    (re.compile(r"^部分达成(?:年度|预期)?(?:指标|目标)?(?:并具有一定效果)?$"), Tier.PARTLY),
    (re.compile(r"^未达成(?:年度|预期)?(?:指标|目标)?(?:且效果较差)?$"), Tier.MISSED),
    (re.compile(r"^达成(?:年度|预期)?(?:指标|目标)?$"), Tier.ACHIEVED),
)
_PARTIAL = re.compile(r"部分|基本|有待|尚未全部|尚未完全|未全部|未完全|不完全|不够|欠缺|较差|一般")
_NEGATIVE = re.compile(
    r"^否$|没有(?:完成|开展|达到|实现)|不合格|不达标|不及时|未按时|未按期|"
    r"未(?!发生|出现|超|超过|收到|接到|造成|突破)(?:完成|开展|达成|达到|实现|通过|落实|建立|启动|执行|验收|上线|形成|举办)"
)
_AFFIRMATIVE = re.compile(
    r"达成|完成|通过|^是$|有效|及时|健全|稳定|按时|按期|符合|满足|合格|达标|正常|安全|建立|实现|已|良好|可持续|"
    r"合理|适合|规范|提升|提高|增长|投入使用|到位"
)
_PUNCT = re.compile(r"[\s,，。.;；:：、()（）\"“”]")


def qualitative_tier(target: str | None, actual: str | None) -> QualitativeTier | None:
    """The tier an actual puts a qualitative (or deadline) row in, or None when the wording does not tell.

    Order: a stated tier (达成指标 / 部分达成 / 未达成) wins; then wording of partial completion (部分, 基本, 有待,
    尚未全部 …) → tier 2; negation (未完成, 未开展, 没有, 否 …; but not 未发生 of a bad event) → tier 3; an actual equal
    to or containing the target, or an affirmative word (达成, 完成, 通过, 是, 有效, 及时, 健全, 稳定 …) → tier 1.

    >>> qualitative_tier("及时", "达成指标").tier.name, qualitative_tier("及时", "达成指标").stated
    ('ACHIEVED', True)
    >>> qualitative_tier("及时", "专题班未开展").tier.name
    'MISSED'
    >>> qualitative_tier("是", "是").tier.name
    'ACHIEVED'
    """
    a = _PUNCT.sub("", actual or "")
    t = _PUNCT.sub("", target or "")
    if not a:
        return None
    for pattern, tier in _STATED:
        if pattern.match(a):
            return QualitativeTier(tier, True, f"实际完成值写明「{actual}」")
    if m := _PARTIAL.search(a):
        return QualitativeTier(Tier.PARTLY, False, f"实际完成值含「{m.group(0)}」")
    if m := _NEGATIVE.search(a):
        return QualitativeTier(Tier.MISSED, False, f"实际完成值含「{m.group(0)}」")
    if t and (a == t or t in a):
        return QualitativeTier(Tier.ACHIEVED, False, "实际完成值与年度指标值一致")
    if m := _AFFIRMATIVE.search(a):
        return QualitativeTier(Tier.ACHIEVED, False, f"实际完成值含「{m.group(0)}」")
    return None
