"""C-TD-14: the annual goal is stated and, for a multi-year project, differs from the overall goal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck
from jixiao.rules.checks._common import has_text, norm


class AnnualGoal(DeclarationCheck):
    """年度绩效目标为空，或多年期项目的年度目标与总目标完全相同。

    What it checks:
        年度绩效目标 is filled; for a multi-year project (dates spanning years, or 总预算 above 当年预算) it is not
        a copy of 项目总目标.

    Why it matters:
        R14 (88号 ch. 2): a target distinguishes 中长期 and 年度 goals; this year's share of a longer project must
        be stated.

    Failing example:
        项目总预算 6000000, 项目当年预算 2000000; 项目总目标 and 年度绩效目标 both 建成平台.

    Passing example:
        年度绩效目标 完成平台一期建设并上线.

    Options:
        None.
    """

    code = "C-TD-14"
    name = "declaration.annual_goal"
    severity = Severity.WARNING
    groups = ("all", "declaration", "completeness")
    messages: ClassVar[Mapping[str, str]] = {
        "empty": "年度绩效目标为空",
        "copied": "多年期项目的年度绩效目标与项目总目标相同，未体现本年度目标",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        if not has_text(doc.annual_goal):
            yield self.report(ctx, "empty", source=doc.source, subject=ctx.subject())
            return
        multi_year = (doc.start is not None and doc.end is not None and doc.start.year != doc.end.year) or (
            doc.total_budget is not None
            and doc.annual_budget is not None
            and doc.total_budget > doc.annual_budget + 0.01
        )
        if multi_year and norm(doc.annual_goal) == norm(doc.overall_goal):
            yield self.report(ctx, "copied", source=doc.source, subject=ctx.subject())
