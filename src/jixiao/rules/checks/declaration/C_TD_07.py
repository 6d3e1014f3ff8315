"""C-TD-07: the comparator points the right way (counts ≥, adverse events ≤)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import ADVERSE, COUNT
from jixiao.values import Comparator, parse_value


class Direction(DeclarationCheck):
    """指标方向错误：数量或覆盖类指标用 ≤/<，不良事件类指标用 ≥/>。

    What it checks:
        A count or coverage indicator (人数, 人次, 次数, 覆盖率, 招生 …) whose target uses ≤ or <, or an adverse-event
        indicator (事故, 投诉, 故障, 差错, 超时 …) whose target uses ≥ or >.

    Why it matters:
        R16 ([I], seed ``在线学习招生人数 ≤150000``): a cap on the number of people served rewards doing less; a
        floor on accidents rewards doing worse.

    Failing example:
        | 产出目标 | 在线学习招生人数 | ≤150000 |

    Passing example:
        | 产出目标 | 在线学习招生人数 | ≥150000人 |

    Options:
        None.
    """

    code = "C-TD-07"
    name = "declaration.direction"
    severity = Severity.WARNING
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "count": "数量或覆盖类指标「{indicator}」的指标值「{actual}」使用上限（{cmp}），方向可能有误",
        "adverse": "不良事件类指标「{indicator}」的指标值「{actual}」使用下限（{cmp}），方向可能有误",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            v = parse_value(ind.target)
            cmp = v.comparator
            if cmp is None or v.parts:
                continue
            name = ind.name + (v.label or "")
            common: dict[str, Any] = {"source": cell(ind, "target"), "subject": ctx.subject(ind), "actual": ind.target,
                      "indicator": ind.name, "cmp": cmp.value}  # fmt: skip
            if ADVERSE.search(name):
                if cmp.positive:
                    yield self.report(ctx, "adverse", expected="≤", **common)
            elif COUNT.search(name) and cmp in (Comparator.LE, Comparator.LT):
                yield self.report(ctx, "count", expected="≥", **common)
