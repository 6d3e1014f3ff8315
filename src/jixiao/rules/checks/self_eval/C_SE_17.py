"""C-SE-17: a large mid-year budget adjustment is noted."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.scoring import fmt


class BudgetAdjusted(SelfEvalCheck):
    """年初预算数与全年预算数相差较大（年中预算调整），应说明理由。

    What it checks:
        |全年预算数 − 年初预算数| / 年初预算数 above ``budget_adjustment_ratio`` (20%) on the 年度资金总额 line.

    Why it matters:
        A county template's note: "年中发生预算调整的…应单独说明理由" ([S]).  The execution rate is computed on the
        adjusted budget (R3), so a large cut can hide low spending.

    Failing example:
        | | 年度资金总额 | 2,400,000 | 1,145,000 | 119,132 | 10 | 10.41% | 1.04 |

    Passing example:
        | | 年度资金总额 | 320.23 | 312.73 | 284.27 | 10 | 90.90% | 9.09 |

    Options:
        budget_adjustment_ratio: 0.2.
    """

    code = "C-SE-17"
    name = "self_eval.budget_adjusted"
    severity = Severity.INFO
    groups = ("all", "self_eval", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "全年预算数 {actual} 较年初预算数 {expected} {direction} {percent}%，年中预算调整应说明理由"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        fund = doc.fund()
        if fund is None or not fund.initial_budget or fund.annual_budget is None or fund.initial_budget <= 0:
            return
        change = (fund.annual_budget - fund.initial_budget) / fund.initial_budget
        if abs(change) > ctx.profile.budget_adjustment_ratio:
            yield self.report(
                ctx, source=cell(fund, "annual_budget"), subject=ctx.subject(), expected=fund.initial_budget,
                actual=fund.annual_budget, direction="增加" if change > 0 else "减少",
                percent=fmt(round(abs(change) * 100, 1)),
            )  # fmt: skip
