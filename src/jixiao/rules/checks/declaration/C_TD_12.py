"""C-TD-12: indicators are filed under the right category."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import text_of

_STAFFING = re.compile(r"到位率|到岗率|出勤")
_COMPLAINTS = re.compile(r"投诉|信访")


class Misfiled(DeclarationCheck):
    """指标归类不当：人员到位率归入影响力/效果/满意度，投诉数量归入满意度。

    What it checks:
        A staffing item (人员到位率, 到岗率, 出勤) filed under 影响力目标, 效果目标, 效益 or 满意度; a complaints item
        (投诉, 信访) filed under 满意度.

    Why it matters:
        R15: 人员到位率 is an input or process measure, not an impact; complaints are an adverse-event count, not a
        satisfaction rate (seeds show both).

    Failing example:
        | 影响力目标 | 人员到位率 | 100% |

    Passing example:
        | 投入和管理目标 | 人员到位率 | =100% |

    Options:
        None.
    """

    code = "C-TD-12"
    name = "declaration.misfiled"
    severity = Severity.INFO
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {"default": "指标「{indicator}」归入「{actual}」不当：{why}"}

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            group = text_of(ind.level1, ind.level2)
            why = None
            if _STAFFING.search(ind.name) and re.search(r"影响力|效果|效益|满意", group):
                why = "人员到位类指标属于投入和管理（过程）指标"
            elif _COMPLAINTS.search(ind.name) and "满意" in group:
                why = "投诉类指标属于不良事件计数，不是满意度"
            if why:
                yield self.report(ctx, source=cell(ind, "name"), subject=ctx.subject(ind), actual=ind.level1,
                                  indicator=ind.name, why=why)  # fmt: skip
