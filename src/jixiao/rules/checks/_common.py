"""Lexicons and small helpers the checks share (all implementation choices [I] unless a rule is cited)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jixiao.model import Indicator, SelfEvaluation
from jixiao.values import Value, ValueKind

EPS = 1e-9

# Words that explain low budget execution (C-SE-15): money, budget and procurement vocabulary.
EXECUTION_EXPLANATION = re.compile(
    r"执行率|预算|资金|经费|结余|结转|压减|调减|支付|拨付|采购|结算|节约|节支|未使用|支出"
)
# Words that show a satisfaction figure came from a survey (C-SE-21).
SURVEY = re.compile(r"问卷|调查|测评|调研|评议|回访")
# R16 vague wording (C-TD-03).
VAGUE = re.compile(r"进一步|提升|提高|明显|有效|有序|加强|良好|较好|显著|不断|持续|力争|确保|保障|保证")
# R16 graded qualitative scales (C-TD-03): two or more levels of one scale, or an explicit grading word.
_SCALES = (
    re.compile(r"(?:^|[^较])好|较好|一般|差"),
    re.compile(r"优|良|中|差"),
    re.compile(r"基本达到|未达到|(?<![基未])达到"),
)
_GRADE_WORDS = re.compile(r"分级|分档|档次|等级|[一二三四五六七八九十]+[级星等档]")
# R16 process / management items (C-TD-05).
PROCESS = re.compile(
    r"预算执行率|资金到位率|拨付及时|拨付的及时|资金拨付|制度健全|管理制度|绩效管理覆盖率|自评.*完成|完成.*自评|财务.*及时"
)
# R16 tautological cost wording (C-TD-06).
TAUTOLOGY = re.compile(
    r"不超过预算|不超预算|控制在预算|预算范围内|符合规定|符合标准|符合相关规定|符合财政规定"
)
# C-TD-07: adverse events and counts.
ADVERSE = re.compile(
    r"事故|投诉|故障|差错|超时|失误|违规|违纪|bug|BUG|缺陷|不合格|延误|超过|信访|风险|损失|未清理"
)
COUNT = re.compile(
    r"人数|人次|次数|数量|个数|覆盖率|覆盖面|招生|户数|件数|场次|期数|课时|学时|参训|访问|点击|发布|受益"
)


def text_of(*parts: str | None) -> str:
    """Non-empty parts joined, for searching several fields at once."""
    return " ".join(p for p in parts if p)


_NULL_TEXT = frozenset(("", "-", "—", "/", "无", "0"))


def has_text(s: str | None) -> bool:
    """True when a free-text field holds more than whitespace or a null mark."""
    if not s:
        return False
    # Every null mark is at most one character: two characters left after stripping the ends are text (the same
    # whitespace as ``str.split``), and a shorter remainder has no whitespace inside to remove.
    t = s.strip()
    return len(t) > 1 or t not in _NULL_TEXT


_NORM = re.compile(r"[\s,，。.;；:：、()（）\"“”]")


def norm(s: str | None) -> str:
    """Text folded for comparison: whitespace and common punctuation removed."""
    return _NORM.sub("", s or "")


def is_satisfaction(ind: Indicator) -> bool:
    """A satisfaction indicator: filed under 满意度 or named as one."""
    return "满意" in (ind.name or "") or "满意" in (ind.level1 or "") or "满意" in (ind.level2 or "")


def percent(v: Value) -> float | None:
    """The value of a percentage target: the number when the unit is % or absent and the number ≤ 100 fits."""
    if v.kind is not ValueKind.QUANTITATIVE or v.parts or v.magnitude is None:
        return None
    if v.unit in (None, "%"):
        return v.magnitude
    return None


def deviations(doc: SelfEvaluation) -> Iterable[str]:
    """Every non-empty 偏差原因 of a self-evaluation."""
    return (i.deviation for i in doc.indicators if i.deviation and has_text(i.deviation))


def graded(text: str) -> bool:
    """True when a qualitative target states a graded scale (达到/基本达到/未达到, 好/较好/一般/差 …)."""
    if _GRADE_WORDS.search(text):
        return True
    return any(len(set(p.findall(text))) >= 2 for p in _SCALES)


_DIMENSIONS = (
    ("成本", re.compile(r"成本|费用|单价|经费|元/")),
    ("时效", re.compile(r"时效|及时|时间|时限|进度|按期|按时|月底|年内")),
    ("数量", re.compile(r"数量|人数|人次|次数|个数|期数|场次|件数|课时|学时|覆盖|招生|户数")),
    ("质量", re.compile(r"质量|合格|达标|验收|通过率|正确率|准确率|完好|稳定|安全|等保|规范")),
)


def output_dimension(ind: Indicator) -> str | None:
    """The 产出 sub-dimension of a row (数量 / 质量 / 时效 / 成本): from its 二级 label, else from its name."""
    for label in (ind.level2, ind.level1):
        for dim in ("数量", "质量", "时效", "成本"):
            if label and label.startswith(dim):
                return dim
    for dim, pattern in _DIMENSIONS:
        if pattern.search(ind.name):
            return dim
    return None


def category(ind: Indicator) -> str:
    """The spec category of a row: 产出, 成本, 效益, 满意度 or 过程 (Shanghai 2018 投入和管理目标, R15)."""
    l1 = ind.level1 or ""
    if l1.startswith("投入") or l1.startswith("过程"):
        return "过程"
    if l1.startswith("成本") or (ind.level2 or "").startswith(
        ("成本", "经济成本", "社会成本", "生态环境成本")
    ):
        return "成本"
    if l1.startswith("产出"):
        return "成本" if output_dimension(ind) == "成本" else "产出"
    if l1.startswith("满意度"):
        return "满意度"
    if l1.startswith("影响力"):
        return "满意度" if "满意" in ind.name else "效益"
    if l1.startswith(("效益", "效果")):
        if ind.level2 and "满意" not in ind.level2:
            return "效益"  # a 社会效益指标 row that measures 满意程度 is still an effect (r201, r202)
        return "满意度" if "满意" in ind.name else "效益"
    return "其他"
