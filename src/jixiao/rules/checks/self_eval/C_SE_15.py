"""C-SE-15: an execution rate below the threshold is explained somewhere in the table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EXECUTION_EXPLANATION, deviations


class LowExecution(SelfEvalCheck):
    """预算执行率低于阈值（默认 90%）且未说明原因。

    What it checks:
        When the execution rate is below ``execution_threshold``, the table explains it: a 偏差原因 or the
        实际完成情况 text mentions the budget or spending (预算, 资金, 压减, 调减, 结余, 支付 …).  Unexplained is a
        warning; explained, an info note pointing at the explanation.

    Why it matters:
        A county template requires "预算执行率未达到90%的需说明原因" (R3, [S]); R12 lists low execution among the
        cases that need an explanation.

    Failing example:
        | | 年度资金总额 | 234 | 234 | 184.65 | 10 | 78.91% | 7.89 |

    Passing example:
        | | 年度资金总额 | 234 | 234 | 230 | 10 | 98.29% | 9.83 |

    Options:
        execution_threshold: 90 (%).
    """

    code = "C-SE-15"
    name = "self_eval.low_execution"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "execution", "explanation")
    messages: ClassVar[Mapping[str, str]] = {
        "unexplained": "预算执行率 {actual}% 低于 {expected}%，表中未说明原因",
        "explained": "预算执行率 {actual}% 低于 {expected}%；表中的说明：「{where}」",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        ex = ctx.scores.execution if ctx.scores else None
        threshold = ctx.profile.execution_threshold
        if ex is None or ex.basis is None or ex.basis >= threshold:
            return
        texts = [*deviations(doc), *([doc.goal.actual] if doc.goal and doc.goal.actual else [])]
        hit = next((t for t in texts if EXECUTION_EXPLANATION.search(t)), None)
        src = cell(ex.fund, "execution_rate")
        rate = round(ex.basis, 2)
        if hit is None:
            yield self.report(
                ctx, "unexplained", source=src, subject=ctx.subject(), expected=threshold, actual=rate
            )
        else:
            where = hit if len(hit) <= 40 else hit[:40] + "…"
            yield self.report(ctx, "explained", source=src, subject=ctx.subject(), severity=Severity.INFO,
                              expected=threshold, actual=rate, where=where)  # fmt: skip
