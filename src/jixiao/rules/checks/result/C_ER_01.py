"""C-ER-01: the 评价结论 matches the band of the 评价分值 (R11)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, Severity
from jixiao.rules.base import CheckContext, ResultCheck
from jixiao.rules.scoring import fmt


class ConclusionBand(ResultCheck):
    """评价结论与评价分值所在等级区间不符。

    What it checks:
        评价结论 equals the band of the unrounded 评价分值: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (89.81 is 良).

    Why it matters:
        R11 (10号 ch. 3; MOF 预算司 bands).  Seeds: 89.81 → 良, 89.6 → 良, 90.13 → 优.

    Failing example:
        评价分值 89.81, 评价结论 优.

    Passing example:
        评价分值 89.81, 评价结论 良.

    Options:
        grade_bands: {优 = 90, 良 = 80, 中 = 60}.
    """

    code = "C-ER-01"
    name = "result.conclusion_band"
    severity = Severity.ERROR
    groups = ("all", "result", "grade")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "评价结论为「{actual}」，评价分值 {score} 对应「{expected}」"
    }

    def run(self, doc: EvaluationResult, ctx: CheckContext) -> Iterator[Finding]:
        if doc.score is None or not doc.conclusion:
            return
        want = ctx.profile.grade(doc.score)
        if doc.conclusion.strip() != want:
            yield self.report(ctx, source=doc.source, subject=ctx.subject(), expected=want, actual=doc.conclusion,
                              score=fmt(doc.score))  # fmt: skip
