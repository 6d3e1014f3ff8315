"""C-TD-09: a target is not weaker than last year's actual."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import norm
from jixiao.values import ValueKind, parse_value


class WeakerThanHistory(DeclarationCheck):
    """目标值低于上年实际完成值（正向）或高于上年实际完成值（反向），未体现绩效提升。

    What it checks:
        When the run includes the previous year's self-evaluation of the same project, each indicator of the same
        name: a positive target below last year's actual, or a reverse target above it.

    Why it matters:
        R16 (历史标准): targets set from recent years' actuals "should reflect performance improvement" (10号's
        evaluation standards; 88号 依据).

    Failing example:
        self-evaluation 2022: 培训人数 actual 365人; declaration 2023: 培训人数 ≥200人.

    Passing example:
        declaration 2023: 培训人数 ≥380人.

    Options:
        None.  Runs only when last year's self-evaluation is among the documents checked.
    """

    code = "C-TD-09"
    name = "declaration.weaker_than_history"
    severity = Severity.WARNING
    groups = ("all", "declaration", "cross_document", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "指标「{indicator}」目标 {target} {relation}上年（{year}）实际完成值 {last}，未体现绩效提升"
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        if doc.year is None:
            return
        for last in ctx.related(SelfEvaluation, doc.year - 1):
            actuals = {norm(i.name): parse_value(i.actual) for i in last.indicators}
            for ind in doc.indicators:
                t = parse_value(ind.target)
                a = actuals.get(norm(ind.name))
                cmp = t.effective_comparator
                if a is None or cmp is None or not a.is_measurement or t.magnitude is None:
                    continue
                if (
                    a.kind is not ValueKind.QUANTITATIVE
                    or a.magnitude is None
                    or (t.unit and a.unit and t.unit != a.unit)
                ):
                    continue
                weaker = (cmp.positive and t.magnitude < a.magnitude) or (
                    cmp.reverse and t.magnitude > a.magnitude
                )
                if weaker:
                    yield self.report(
                        ctx, source=cell(ind, "target"), subject=ctx.subject(ind), expected=a.magnitude,
                        actual=t.magnitude, indicator=ind.name, target=ind.target, last=a.text, year=last.year,
                        relation="低于" if cmp.positive else "高于",
                    )  # fmt: skip
