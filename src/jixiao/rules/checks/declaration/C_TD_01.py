"""C-TD-01: each indicator row has a category, a name and a target value."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import has_text
from jixiao.values import ValueKind, parse_value


class RowComplete(DeclarationCheck):
    """绩效指标缺少类别、名称或指标值。

    What it checks:
        Every indicator row of a declaration has a category (一级 / 分解目标 group), a name and a non-empty target.

    Why it matters:
        R14 (88号 ch. 2): a target must be refined into indicators by which achievement will be judged; a row
        with no value cannot be judged.

    Failing example:
        | 产出目标 | 培训人数 | |

    Passing example:
        | 产出目标 | 培训人数 | ≥100人 |

    Options:
        None.
    """

    code = "C-TD-01"
    name = "declaration.row_complete"
    severity = Severity.ERROR
    groups = ("all", "declaration", "completeness")
    messages: ClassVar[Mapping[str, str]] = {"default": "绩效指标「{indicator}」缺少{missing}"}

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            missing = [label for label, ok in (("指标类别", has_text(ind.level1)), ("指标名称", has_text(ind.name)),
                                               ("指标值", parse_value(ind.target).kind is not ValueKind.EMPTY)) if not ok]  # fmt: skip
            if missing:
                field = "target" if "指标值" in missing else "name"
                yield self.report(ctx, source=cell(ind, field), subject=ctx.subject(ind),
                                  indicator=ind.name or "（无名称）", missing="、".join(missing))  # fmt: skip
