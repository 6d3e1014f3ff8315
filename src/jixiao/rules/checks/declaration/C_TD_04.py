"""C-TD-04: the indicators cover quantity, quality, timeliness, cost, benefit and satisfaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck
from jixiao.rules.checks._common import category, output_dimension

_REQUIRED = ("数量", "质量", "时效", "成本", "效益", "满意度")


class Coverage(DeclarationCheck):
    """绩效指标未覆盖数量、质量、时效、成本、效益或满意度。

    What it checks:
        At least one 产出 indicator of each of 数量, 质量 and 时效, one 成本 indicator, one 效益 indicator and one
        满意度 indicator.  The 产出 dimension comes from the 二级 label or, in the Shanghai 2018 layout, from the
        indicator's name (数量目标, 质量目标 …); 影响力目标 rows count as 效益, or 满意度 when named so.

    Why it matters:
        R15–R16 (88号 ch. 2; 101号 makes cost its own category; 沪府办发〔2023〕16号 expects cost indicators).  No
        national hard minimum is confirmed, so this is a warning.

    Failing example:
        | 产出目标 | 信息传递速度 | 大于等于10000kb |
        | 效果目标 | 社会公众或服务对象满意值 | 0 |

    Passing example:
        one indicator of each dimension: 数量 (培训人数 ≥100人), 质量 (合格率 ≥95%), 时效 (完成时间 10月底前),
        成本 (人均成本 ≤500元/人), 效益 (能力提升率 ≥80%), 满意度 (学员满意度 ≥90%).

    Options:
        None.
    """

    code = "C-TD-04"
    name = "declaration.coverage"
    severity = Severity.WARNING
    groups = ("all", "declaration", "coverage")
    messages: ClassVar[Mapping[str, str]] = {"default": "绩效指标缺少{missing}指标"}

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        if not doc.indicators:
            return
        present: set[str] = set()
        for ind in doc.indicators:
            cat = category(ind)
            present.add(cat)
            if cat == "产出":
                dim = output_dimension(ind)
                if dim:
                    present.add(dim)
        missing = [d for d in _REQUIRED if d not in present]
        if missing:
            yield self.report(ctx, source=doc.source, subject=ctx.subject(), actual="、".join(sorted(present)),
                              expected="、".join(_REQUIRED), missing="、".join(missing))  # fmt: skip
