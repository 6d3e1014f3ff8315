"""C-TD-05: process or management items are not used as output or effect indicators."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import PROCESS, category, text_of


class ProcessItem(DeclarationCheck):
    """把过程或内部管理事项（预算执行率、资金到位率、制度健全等）作为产出或效益指标。

    What it checks:
        An indicator named like a process item (预算执行率, 资金到位率, 资金拨付及时性, 制度健全性, 绩效管理覆盖率,
        自评完成 …) filed outside the process group.  Shanghai 2018 投入和管理目标 rows are allowed.

    Why it matters:
        R16 (101号 重点突出): do not pad outputs and effects with internal management items; they belong to the
        过程 dimension of evaluation (R13).

    Failing example:
        | 产出目标 | 预算执行率 | ≥90% |

    Passing example:
        | 投入和管理目标 | 预算执行率 | ≥90% |

    Options:
        None.
    """

    code = "C-TD-05"
    name = "declaration.process_item"
    severity = Severity.WARNING
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "「{indicator}」属于过程管理事项（{word}），不宜作为{group}指标"
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            cat = category(ind)
            if cat == "过程":
                continue
            m = PROCESS.search(text_of(ind.name, ind.target))
            if m:
                yield self.report(ctx, source=cell(ind, "name"), subject=ctx.subject(ind), actual=ind.level1,
                                  indicator=ind.name, word=m.group(0), group=cat)  # fmt: skip
