"""C-SE-14: the printed 评分等级 matches the band of 总分 (R11)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.scoring import fmt


class GradeBand(SelfEvalCheck):
    """评分等级与总分所在等级区间不符。

    What it checks:
        When the table prints 评分等级, it equals the band of the unrounded 总分: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差
        (89.81 is 良, never rounded to 90).

    Why it matters:
        R11 (10号 ch. 3; MOF 预算司 bands for central evaluations); Shanghai prints the grade on self-evaluations
        from 2024.

    Failing example:
        | 总分 | | | | | | 100 | 89.81 | |
        | 评分等级 | 优 | | | | | | | |

    Passing example:
        the same with 评分等级 良.

    Options:
        grade_bands: {优 = 90, 良 = 80, 中 = 60}.
    """

    code = "C-SE-14"
    name = "self_eval.grade_band"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic", "grade")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "评分等级印为「{actual}」，总分 {total} 对应「{expected}」"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if not doc.grade or doc.total_score is None:
            return
        want = ctx.profile.grade(doc.total_score)
        if doc.grade.strip() != want:
            yield self.report(ctx, source=doc.total_source or doc.source, subject=ctx.subject(), expected=want,
                              actual=doc.grade, total=fmt(doc.total_score))  # fmt: skip
