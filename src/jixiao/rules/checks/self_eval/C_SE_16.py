"""C-SE-16: low execution with every 产出 quantity row at full marks is inconsistent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import tolerance_for
from jixiao.rules.trust import SCORES


class OutputsVersusBudget(SelfEvalCheck):
    """预算执行率偏低，产出数量指标却全部满分（产出与预算不匹配）。

    What it checks:
        When the execution rate is below ``low_execution`` (80%) and the table has 数量指标 rows, not all of them
        are at full marks.

    Why it matters:
        2018 evaluation results cite "产出指标与预算不匹配": spending far less than budgeted while every output
        count is met suggests targets set too low or a budget too high (R17 适当性).

    Failing example:
        | | 年度资金总额 | 234 | 234 | 184.65 | 10 | 78.91% | 7.89 |
        | | 产出指标 | 数量指标 | 完成率 | =100(%) | 100% | 50 | 50 | |

    Passing example:
        the same with execution at 95%.

    Options:
        low_execution: 80 (%).
    """

    code = "C-SE-16"
    needs = frozenset({SCORES})
    name = "self_eval.outputs_vs_budget"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "execution", "consistency")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "预算执行率仅 {actual}%（低于 {expected}%），而 {count} 项产出数量指标全部满分：产出与预算不匹配"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        ex = ctx.scores.execution if ctx.scores else None
        if ex is None or ex.basis is None or ex.basis >= ctx.profile.low_execution:
            return
        rows = [i for i in doc.indicators if (i.level2 or "").startswith("数量") and i.weight]
        if not rows:
            return
        full = all(
            i.score is not None and i.weight is not None
            and i.score >= i.weight - tolerance_for(i.score, ctx.profile) - EPS
            for i in rows
        )  # fmt: skip
        if full:
            yield self.report(ctx, source=cell(ex.fund, "execution_rate"), subject=ctx.subject(),
                              expected=ctx.profile.low_execution, actual=round(ex.basis, 2), count=len(rows))  # fmt: skip
