"""C-SE-10: the three-level weights plus the execution weight add up to 100, and to any printed group weight (R2)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.scoring import fmt
from jixiao.rules.trust import COMPLETE, SCORES


class WeightSum(SelfEvalCheck):
    """三级指标分值与预算执行率分值之和不等于 100，或与总分行、表中印出的一级/二级指标分值不符。

    What it checks:
        Σ(三级 weights) + execution weight = ``total_weight`` (100), and equals the 总分 row's 分值 when printed.
        Where the form prints the weights of the groups too (a scoring rubric: ``项目决策 20``), each 二级 weight
        equals the sum of its rows and each 一级 weight the sum of its 二级 weights; such a rubric carries budget
        execution as one of its own rows, so no execution weight is added to it.  A table that was not read
        whole (no 总分 row: cut at the page end; or starting mid-table) is not summed: only the groups it closed
        before the cut are compared (rules/trust.py), unless the rubric's printed 一级 weights make up the whole
        framework.

    Why it matters:
        R2 (10号 ch. 3; vendor "三级合计应等于上级设置数", "合计 = 90"): a weight set that does not add up makes every
        total meaningless.

    Failing example:
        | | 年度资金总额 | 100 | 100 | 100 | 10 | 100% | 10 |
        | | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 50 | 50 | |
        | | 效益指标 | 社会效益指标 | 能力提升 | 提升 | 提升 | 30 | 30 | |

    Passing example:
        the same with a 满意度 row of weight 10.

    Options:
        total_weight: 100.  execution_weight: assumed when the fund line prints no weight (10).
    """

    code = "C-SE-10"
    needs = frozenset({SCORES})
    name = "self_eval.weight_sum"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic", "weights")
    messages: ClassVar[Mapping[str, str]] = {
        "sum": "三级指标分值合计 {rows} 加预算执行率分值 {execution} 为 {actual}，应为 {expected}",
        "printed": "各项分值合计 {actual} 与总分行分值 {expected} 不符",
        "subtotal": "「{group}」下{parts}分值合计 {actual}，与其分值 {expected} 不符",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if not doc.indicators:
            return
        assert ctx.scores is not None
        ex = ctx.scores.execution
        # A rubric that prints its 一级 weights is the whole framework: budget execution is one of its rows.
        framework = bool(doc.printed_level1_weights)
        exec_weight = ex.weight if ex is not None else 0.0 if framework else ctx.profile.execution_weight
        rows = round(ctx.scores.sums.weight, 6)
        total = round(rows + exec_weight, 6)
        src = doc.total_source or doc.source
        want = ctx.profile.total_weight
        top = doc.printed_level1_weights
        framework_whole = bool(top) and abs(sum(g.weight for g in top) - want) <= 0.01
        if COMPLETE not in ctx.facts:
            # a table cut by the page end (no 总分 row) or starting mid-table lacks rows: only the groups it
            # closed before the cut say anything (all of them when the printed 一级 weights are the whole framework)
            yield from self._subtotals(doc, ctx, closed_only=not framework_whole)
            return
        if abs(total - want) > 0.01:
            yield self.report(ctx, "sum", source=src, subject=ctx.subject(), expected=want, actual=total,
                              rows=fmt(rows), execution=fmt(exec_weight))  # fmt: skip
        if doc.total_weight is not None and abs(doc.total_weight - total) > 0.01:
            yield self.report(ctx, "printed", source=src, subject=ctx.subject(), expected=doc.total_weight,
                              actual=total)  # fmt: skip
        if doc.level_weights:
            yield from self._subtotals(doc, ctx)

    def _subtotals(
        self, doc: SelfEvaluation, ctx: CheckContext, *, closed_only: bool = False
    ) -> Iterator[Finding]:
        """Each printed 二级 weight against its rows, each printed 一级 weight against its printed 二级 weights (or
        its rows when it prints none).  A group with nothing printed under it (a table cut short) is not compared;
        with ``closed_only`` neither is a group that no later group of its level follows (the cut may be in it)."""
        level2 = [lw for lw in doc.level_weights if lw.level2 is not None]
        for n, lw in enumerate(doc.level_weights):
            later = doc.level_weights[n + 1 :]
            if closed_only and not any(g.level1 != lw.level1 or lw.level2 is not None for g in later):
                continue
            if lw.level2 is not None:
                parts = [
                    i.weight or 0.0 for i in doc.indicators if i.level1 == lw.level1 and i.level2 == lw.level2
                ]
                what = "三级指标"
            else:
                parts = [g.weight for g in level2 if g.level1 == lw.level1]
                what = "二级指标"
                if not parts:
                    parts = [i.weight or 0.0 for i in doc.indicators if i.level1 == lw.level1]
                    what = "三级指标"
            if not parts:
                continue
            got = round(sum(parts), 6)
            if abs(got - lw.weight) > 0.01:
                group = lw.level2 or lw.level1
                yield self.report(ctx, "subtotal", source=cell(lw, "weight"), subject=ctx.subject(group),
                                  expected=lw.weight, actual=got, group=group, parts=what)  # fmt: skip
