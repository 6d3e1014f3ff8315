"""C-SE-13: 总分 equals the row scores plus the execution score (R9)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.scoring import fmt
from jixiao.rules.trust import COMPLETE, SCORES


class TotalScore(SelfEvalCheck):
    """总分与各指标得分及预算执行率得分之和不符。

    What it checks:
        The 总分 row's 得分 equals Σ printed row scores + the printed execution score, to ±0.01.

    Why it matters:
        R9: 总分 = Σ row scores + execution score, to 2 decimals (seed: 87.14 = 1.04 + 86.10).

    Failing example:
        | | 年度资金总额 | 100 | 100 | 95 | 10 | 95% | 9.5 |
        | | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 90 | 90 | |
        | 总分 | | | | | | 100 | 100 | |

    Passing example:
        the same with 总分 99.5.

    Options:
        score_tolerance: ±0.01.
    """

    code = "C-SE-13"
    needs = frozenset({SCORES, COMPLETE})
    name = "self_eval.total_score"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "总分印为 {actual}，各指标得分合计 {rows} 加预算执行率得分 {execution} 应为 {expected}"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if doc.total_score is None:
            return
        assert ctx.scores is not None
        fund = doc.fund()
        execution = fund.score if fund is not None and fund.score is not None else 0.0
        rows = ctx.scores.sums.score
        want = round(rows + execution, 6)
        tol = ctx.profile.score_tolerance
        if abs(want - doc.total_score) > tol + 1e-9:
            yield self.report(
                ctx, source=doc.total_source or doc.source, subject=ctx.subject(), expected=round(want, 4),
                actual=doc.total_score, tolerance=tol, rows=fmt(round(rows, 4)), execution=fmt(execution),
            )  # fmt: skip
