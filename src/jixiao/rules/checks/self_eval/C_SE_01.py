"""C-SE-01: the printed execution rate equals 全年执行数 / 全年预算数."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import fmt, rate_tolerance_for


class ExecutionRate(SelfEvalCheck):
    """执行率与"全年执行数 ÷ 全年预算数"不符。

    What it checks:
        For every fund line that prints an execution rate and a positive 全年预算数, the printed rate equals
        全年执行数 / 全年预算数 (the adjusted annual budget, not 年初预算数) within the rate tolerance.

    Why it matters:
        10号 Attachment 1 defines the rate on 全年预算数 (R3); every seed table matches it (284.27 / 312.73 =
        90.90%).  A wrong rate means a wrong execution score.

    Failing example:
        | 项目资金 | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
        | | 年度资金总额 | 320.23 | 312.73 | 284.27 | 10 | 88.77% | 8.88 |

    Passing example:
        | | 年度资金总额 | 320.23 | 312.73 | 284.27 | 10 | 90.90% | 9.09 |

    Options:
        rate_tolerance: ±0.02 percentage points (hidden cents: 98.98% printed vs 98.97% recomputed passes).  A
        rate printed with fewer decimals is compared at its printed precision: ``86%`` stands for 85.5–86.5%
        (85.75% printed 86%, 49.88% printed 50%), ``86.2%`` for 86.15–86.25%.
    """

    code = "C-SE-01"
    name = "self_eval.execution_rate"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "{line}执行率印为 {actual}%，按全年执行数 ÷ 全年预算数（{executed} ÷ {budget}）应为 {expected}%",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        for fund in doc.funds:
            if fund.execution_rate is None or not fund.annual_budget or fund.annual_budget <= 0:
                continue
            if fund.executed is None:
                continue
            rate = fund.executed / fund.annual_budget * 100.0
            tol = rate_tolerance_for(fund.execution_rate, ctx.profile)
            if abs(rate - fund.execution_rate) > tol + EPS:
                yield self.report(
                    ctx, source=cell(fund, "execution_rate"), subject=ctx.subject(fund.line),
                    expected=round(rate, 4), actual=fund.execution_rate, tolerance=tol,
                    line=fund.line, executed=fmt(fund.executed), budget=fmt(fund.annual_budget),
                )  # fmt: skip
