"""C-SE-11: the 一级 weights follow the default 产出(+成本) 50 / 效益 30 / 满意度 10 / 执行 10 split (R2)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.scoring import fmt, round2
from jixiao.rules.trust import SCORES


class Level1Split(SelfEvalCheck):
    """一级指标分值偏离默认的 产出（含成本）50 / 效益 30 / 满意度 10 / 预算执行 10。

    What it checks:
        The weights per 一级 group, 产出 counting 成本 rows, against the profile's defaults, and the execution
        weight against ``execution_weight``.

    Why it matters:
        R2 (10号 ch. 3): the split is the rule "原则上"; a 一级 weight may be adjusted in special circumstances, so
        a deviation is a warning for review, not an error.  Seed: 2024 党建服务工作经费 uses 30 / 30 / 30 / 10.

    Failing example:
        | | 产出指标 | 数量指标 | 完成率 | =100(%) | 100% | 30 | 30 | |
        | | 效益指标 | 社会效益指标 | 覆盖率 | =100(%) | 100% | 30 | 30 | |
        | | 满意度指标 | 服务对象满意度指标 | 满意度 | ≥90(%) | 95% | 30 | 30 | |

    Passing example:
        the same rows weighted 50 / 30 / 10.

    A scoring rubric that prints its own 一级 weights (the 10号 Att. 2 framework: 决策 / 过程 / 产出 / 效益) is
    not held to this split, nor a form whose rows print no weight at all (a 得分-only table).

    Options:
        level1_weights: {产出 = 50, 效益 = 30, 满意度 = 10}.  execution_weight: 10.
    """

    code = "C-SE-11"
    needs = frozenset({SCORES})
    name = "self_eval.level1_split"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "weights")
    messages: ClassVar[Mapping[str, str]] = {"default": "一级指标分值为 {actual}，偏离默认的 {expected}"}

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if not doc.indicators or doc.printed_level1_weights:
            return  # a rubric printing its own 一级 weights (决策 / 过程 / 绩效) follows another framework (R13)
        if all(i.weight is None for i in doc.indicators):
            return  # a form printing no 分值 column (得分 only) gives no split to compare
        assert ctx.scores is not None
        p = ctx.profile
        got = {k: round2(v) for k, v in ctx.scores.sums.groups.items()}
        ex = ctx.scores.execution
        exec_weight = ex.weight if ex is not None else p.execution_weight
        want = dict(p.level1_weights)
        off = any(abs(got.get(k, 0.0) - v) > 0.01 for k, v in want.items()) or got.get("其他", 0.0) > 0
        off = off or abs(exec_weight - p.execution_weight) > 0.01
        if off:
            actual = (
                " / ".join(f"{k} {fmt(v)}" for k, v in got.items() if v or k in want)
                + f" / 执行 {fmt(exec_weight)}"
            )
            expected = (
                " / ".join(f"{k} {fmt(v)}" for k, v in want.items()) + f" / 执行 {fmt(p.execution_weight)}"
            )
            yield self.report(ctx, source=doc.source, subject=ctx.subject(), expected=expected, actual=actual)
