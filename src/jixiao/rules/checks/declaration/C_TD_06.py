"""C-TD-06: cost indicators are not tautological (成本控制率 ≤100%, 不超过预算)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import TAUTOLOGY, percent
from jixiao.values import parse_value


class TautologicalCost(DeclarationCheck):
    """成本指标同义反复（成本控制率≤100%、不超过预算、符合规定），无法反映成本效益。

    What it checks:
        A cost-control rate capped at 100% (``成本控制率 ≤100%``), or a target that only restates the budget or
        the rules (不超过预算, 符合规定, 预算范围内 …).

    Why it matters:
        R16 ([I]): such indicators are met by construction; prefer unit costs (元/人次, 元/课时) or a total cost
        with its basis, as 沪府办发〔2023〕16号's cost reform expects.

    Failing example:
        | 产出目标 | 成本控制率 | ≤100% |

    Passing example:
        | 产出目标 | 人均培训成本 | ≤800元/人次 |

    Options:
        None.
    """

    code = "C-TD-06"
    name = "declaration.tautological_cost"
    severity = Severity.INFO
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "成本指标「{indicator}」的指标值「{actual}」同义反复，建议改用单位成本或总成本及测算依据"
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            v = parse_value(ind.target)
            rate_cap = (
                "成本控制" in ind.name
                and (percent(v) or 0) >= 100
                and (v.comparator is None or not v.comparator.positive)
            )
            if rate_cap or TAUTOLOGY.search(ind.target or ""):
                yield self.report(ctx, source=cell(ind, "target"), subject=ctx.subject(ind), actual=ind.target,
                                  indicator=ind.name)  # fmt: skip
