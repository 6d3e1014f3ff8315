"""C-TD-10: sub-project amounts, budgets and dates are consistent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell


class FundsAndDates(DeclarationCheck):
    """子项目金额之和与当年预算不符，当年预算超过总预算，或起止日期有误。

    What it checks:
        Σ 子项目 amounts = 项目当年预算 (when sub-projects are listed); 当年预算 ≤ 项目总预算; 开始时间 ≤ 结束时间; and
        for a one-year project (当年预算 = 总预算) both dates fall in the fiscal year.

    Why it matters:
        Arithmetic of the declaration form (seed: 643万 + 388万 = 1031万 ✓); a wrong sum or date makes the budget
        request inconsistent.

    Failing example:
        子项目 数字互动电视平台运维 1070000, IPTV平台运维 1100000; 项目当年预算 2880000.

    Passing example:
        子项目 1070000 + 1100000 + 710000 = 2880000.

    Options:
        None (amounts compared to ±0.01).
    """

    code = "C-TD-10"
    name = "declaration.funds_and_dates"
    severity = Severity.ERROR
    groups = ("all", "declaration", "arithmetic")
    messages: ClassVar[Mapping[str, str]] = {
        "subprojects": "子项目金额合计 {actual} 与项目当年预算 {expected} 不符",
        "annual": "项目当年预算 {actual} 超过项目总预算 {expected}",
        "dates": "开始时间 {actual} 晚于结束时间 {expected}",
        "year": "一年期项目的起止日期（{start} 至 {end}）不在 {expected} 年度内",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        subject = ctx.subject()
        amounts = [s.amount for s in doc.subprojects if s.amount is not None]
        if amounts and doc.annual_budget is not None:
            got = round(sum(amounts), 6)
            if abs(got - doc.annual_budget) > 0.01 + 1e-9 * abs(got):
                src = cell(doc.subprojects[0], "amount") or doc.source
                yield self.report(ctx, "subprojects", source=src, subject=subject, expected=doc.annual_budget,
                                  actual=got, tolerance=0.01)  # fmt: skip
        if (
            doc.annual_budget is not None
            and doc.total_budget is not None
            and doc.annual_budget > doc.total_budget + 0.01
        ):
            yield self.report(ctx, "annual", source=doc.source, subject=subject, expected=doc.total_budget,
                              actual=doc.annual_budget)  # fmt: skip
        if doc.start and doc.end:
            if doc.start > doc.end:
                yield self.report(ctx, "dates", source=doc.source, subject=subject, expected=doc.end.isoformat(),
                                  actual=doc.start.isoformat())  # fmt: skip
            one_year = (
                doc.annual_budget is not None
                and doc.total_budget is not None
                and (abs(doc.annual_budget - doc.total_budget) <= 0.01)
            )
            if one_year and doc.year is not None and not (doc.start.year == doc.end.year == doc.year):
                yield self.report(ctx, "year", source=doc.source, subject=subject, expected=str(doc.year),
                                  actual=f"{doc.start.isoformat()}–{doc.end.isoformat()}",
                                  start=doc.start.isoformat(), end=doc.end.isoformat())  # fmt: skip
