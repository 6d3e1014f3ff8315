"""C-TD-11: last year's execution is within last year's budget, and a low rate is noted."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck
from jixiao.rules.scoring import fmt


class PreviousExecution(DeclarationCheck):
    """上年预算执行数超过上年预算额（错误）；上年执行率偏低而本年预算不减（提示）。

    What it checks:
        同名项目上年预算执行数 ≤ 上年预算额 (an error otherwise).  When last year's execution rate is below
        ``previous_execution_threshold`` and this year's budget is the same or larger, an info note.

    Why it matters:
        R17 适当性 (88号 ch. 3): is the money too much for the target?  A budget kept or raised after
        under-spending needs justification ([I]).

    Failing example:
        同名项目上年预算额 200000, 上年预算执行数 250000.

    Passing example:
        同名项目上年预算额 200000, 上年预算执行数 200000.

    Options:
        previous_execution_threshold: 90 (%).
    """

    code = "C-TD-11"
    name = "declaration.previous_execution"
    severity = Severity.ERROR
    groups = ("all", "declaration", "arithmetic", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "over": "上年预算执行数 {actual} 超过上年预算额 {expected}",
        "low": "上年执行率仅 {rate}%（低于 {expected}%），本年预算 {budget} 不低于上年预算额 {previous}，应说明预算依据",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        prev, done = doc.previous_budget, doc.previous_executed
        if prev is None or done is None or prev <= 0:
            return
        if done > prev + 0.01:
            yield self.report(
                ctx, "over", source=doc.source, subject=ctx.subject(), expected=prev, actual=done
            )
            return
        rate = done / prev * 100
        threshold = ctx.profile.previous_execution_threshold
        if rate < threshold and doc.annual_budget is not None and doc.annual_budget >= prev - 0.01:
            yield self.report(ctx, "low", source=doc.source, subject=ctx.subject(), severity=Severity.INFO,
                              expected=threshold, actual=round(rate, 2), rate=fmt(round(rate, 2)),
                              budget=fmt(doc.annual_budget), previous=fmt(prev))  # fmt: skip
