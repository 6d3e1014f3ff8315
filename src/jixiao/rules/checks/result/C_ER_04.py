"""C-ER-04: an execution rate quoted in the problems matches the project's self-evaluation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, ResultCheck
from jixiao.rules.checks._common import EPS

_QUOTED = re.compile(r"执行率(?:为|仅为|只有|仅|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")


class QuotedExecutionRate(ResultCheck):
    """存在问题中引用的预算执行率与同一项目同年自评表不符。

    What it checks:
        When 存在问题 quotes an execution rate (``预算执行率为83.63%``) and the run includes the self-evaluation of
        the same project and year, the quoted rate equals the self-evaluation's printed (or recomputed) rate.

    Why it matters:
        Seed practice [D]: results quote the rate; two documents about one project and year must agree.

    Failing example:
        存在问题 预算执行率为80.21%; self-evaluation of the same project and year prints 执行率 90.90%.

    Passing example:
        the self-evaluation prints 80.21%.

    Options:
        rate_tolerance: ±0.02 percentage points.
    """

    code = "C-ER-04"
    name = "result.quoted_execution_rate"
    severity = Severity.WARNING
    groups = ("all", "result", "cross_document", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "存在问题中引用的执行率 {actual}% 与 {year} 年自评表的执行率 {expected}% 不符"
    }

    def run(self, doc: EvaluationResult, ctx: CheckContext) -> Iterator[Finding]:
        quoted = [float(m.group(1)) for p in doc.problems for m in _QUOTED.finditer(p)]
        if not quoted:
            return
        tol = ctx.profile.rate_tolerance
        for se in ctx.related(SelfEvaluation, doc.year):
            fund = se.fund()
            if fund is None:
                continue
            rate = fund.execution_rate
            if rate is None and fund.annual_budget and fund.executed is not None:
                rate = round(fund.executed / fund.annual_budget * 100, 2)
            if rate is None:
                continue
            for q in quoted:
                if abs(q - rate) > tol + EPS:
                    yield self.report(ctx, source=doc.source, subject=ctx.subject(), expected=rate, actual=q,
                                      tolerance=tol, year=se.year)  # fmt: skip
