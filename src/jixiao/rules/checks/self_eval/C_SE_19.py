"""C-SE-19: the indicators scored are those of the approved declaration (R1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Indicator, SelfEvaluation, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import category, norm
from jixiao.rules.scoring import fmt


def _scored(rows: list[Indicator]) -> dict[str, Indicator]:
    """Rows by folded name, leaving out process rows (Shanghai 2018 投入和管理目标, not scored, R15)."""
    return {norm(i.name): i for i in rows if category(i) != "过程"}


class DeclarationDrift(SelfEvalCheck):
    """自评指标与批复的绩效目标申报表不一致（增删指标、改动目标值或分值）。

    What it checks:
        When the run includes the target declaration of the same project and year, every declared indicator is
        scored, no indicator is added, and each target value (and weight, when declared) is unchanged.  Rows of
        the declaration's 投入和管理目标 group are not scored in a self-evaluation and are left out.

    Why it matters:
        R1 (10号 ch. 3): the indicators scored are those approved with the budget; they must not be added,
        dropped or re-weighted at evaluation time unless an approved adjustment exists.

    Failing example:
        declaration 2023 项目A: 培训人数 ≥100人; self-evaluation 2023 项目A: 培训人数 ≥80人.

    Passing example:
        both print 培训人数 ≥100人.

    Options:
        None.  Runs only when the declaration is among the documents checked.
    """

    code = "C-SE-19"
    name = "self_eval.declaration_drift"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "cross_document")
    messages: ClassVar[Mapping[str, str]] = {
        "added": "指标「{indicator}」不在批复的绩效目标申报表中（新增指标）",
        "dropped": "批复的绩效目标申报表中的指标「{indicator}」未在自评表中评价",
        "target": "指标「{indicator}」的年度指标值由申报的「{expected}」改为「{actual}」",
        "weight": "指标「{indicator}」的分值由申报的 {expected} 改为 {actual}",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        for decl in ctx.related(TargetDeclaration, doc.year):
            declared, scored = _scored(decl.indicators), _scored(doc.indicators)
            for key, ind in scored.items():
                old = declared.get(key)
                if old is None:
                    yield self.report(ctx, "added", source=cell(ind, "name"), subject=ctx.subject(ind),
                                      indicator=ind.name)  # fmt: skip
                    continue
                if old.target and norm(old.target) != norm(ind.target):
                    yield self.report(ctx, "target", source=cell(ind, "target"), subject=ctx.subject(ind),
                                      expected=old.target, actual=ind.target, indicator=ind.name)  # fmt: skip
                if old.weight is not None and ind.weight is not None and abs(old.weight - ind.weight) > 0.01:
                    yield self.report(ctx, "weight", source=cell(ind, "weight"), subject=ctx.subject(ind),
                                      expected=fmt(old.weight), actual=fmt(ind.weight), indicator=ind.name)  # fmt: skip
            for key, old in declared.items():
                if key not in scored:
                    yield self.report(ctx, "dropped", source=doc.source, subject=ctx.subject(old),
                                      indicator=old.name)  # fmt: skip
