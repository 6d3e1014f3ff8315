"""C-TD-13: no indicator is duplicated."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Indicator, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import norm
from jixiao.values import ValueKind, parse_value

_MIN_TEXT = 6  # qualitative targets shorter than this (及时, 是, 合理) repeat legitimately


class Duplicate(DeclarationCheck):
    """指标重复：同名指标，或不同指标使用完全相同的（非简短）指标值描述。

    What it checks:
        Two indicators with the same name, or two indicators whose qualitative target texts are identical and at
        least six characters long (the same measure under two names or categories).

    Why it matters:
        R16 (101号): duplicated indicators double-count one result and crowd out the ones that are missing.

    Failing example:
        | 效果目标 | 可持续目标 | 力争将平台建设成为全国优秀的示范平台 |
        | 效果目标 | 持续示范平台目标 | 力争将平台建设成为全国优秀的示范平台 |

    Passing example:
        two indicators with different names and different targets.

    Options:
        None.
    """

    code = "C-TD-13"
    name = "declaration.duplicate"
    severity = Severity.WARNING
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "name": "指标「{indicator}」与第 {first} 行同名",
        "target": "指标「{indicator}」与「{other}」的指标值相同（「{actual}」），疑为重复指标",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        names: dict[str, Indicator] = {}
        targets: dict[str, Indicator] = {}
        for ind in doc.indicators:
            key = norm(ind.name)
            src, subject = cell(ind, "name"), ctx.subject(ind)
            if key and key in names:
                first = names[key].source
                yield self.report(ctx, "name", source=src, subject=subject, indicator=ind.name,
                                  first=(first.line or first.row) if first else "?")  # fmt: skip
                continue
            names[key] = ind
            text = norm(ind.target)
            if len(text) >= _MIN_TEXT and parse_value(ind.target).kind is ValueKind.QUALITATIVE:
                if text in targets:
                    yield self.report(ctx, "target", source=src, subject=subject, indicator=ind.name,
                                      other=targets[text].name, actual=ind.target)  # fmt: skip
                else:
                    targets[text] = ind
