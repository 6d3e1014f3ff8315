"""C-SE-02: the execution score equals weight × min(rate, 100%) and never exceeds the weight."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import fmt, tolerance_for


class ExecutionScore(SelfEvalCheck):
    """预算执行率得分与"分值 × min(执行率, 100%)"不符，或超过分值。

    What it checks:
        The 年度资金总额 line's 得分 equals 分值 × min(执行率, 100%), computed from the printed rate (or from the
        amounts when no rate is printed), and is never above 分值.

    Why it matters:
        R3: the execution score is linear in the rate and capped at the weight; every seed and the vendor formula
        ``AMT4/AMT3*10`` agree.  Seeds round in binary floating point (98.05% → 9.80), hence the tolerance.

    Failing example:
        | | 年度资金总额 | 276 | 276 | 270.62 | 10 | 98.05% | 10 |

    Passing example:
        | | 年度资金总额 | 276 | 276 | 270.62 | 10 | 98.05% | 9.8 |

    Options:
        score_tolerance: ±0.01 (±0.05 when the score prints one decimal).
        execution_weight: the weight assumed when the line prints none (10).
    """

    code = "C-SE-02"
    name = "self_eval.execution_score"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "预算执行率得分印为 {actual}，应为 {expected}（{formula}）",
        "over": "预算执行率得分 {actual} 超过分值 {weight}",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        ex = ctx.scores.execution if ctx.scores else None
        if ex is None or ex.fund.score is None:
            return
        printed = ex.fund.score
        tol = tolerance_for(printed, ctx.profile)
        src = cell(ex.fund, "score")
        if printed > ex.weight + EPS:
            yield self.report(ctx, "over", source=src, subject=ctx.subject(ex.fund.line), expected=ex.weight,
                              actual=printed, weight=fmt(ex.weight))  # fmt: skip
        elif ex.expected is not None and abs(printed - ex.expected) > tol + EPS:
            yield self.report(
                ctx, source=src, subject=ctx.subject(ex.fund.line), expected=round(ex.expected, 4),
                actual=printed, tolerance=tol, formula=ex.formula,
            )  # fmt: skip
