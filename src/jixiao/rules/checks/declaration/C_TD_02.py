"""C-TD-02: a quantitative target has a comparator, a number and a unit."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.values import ValueKind, parse_value

_SYMBOL = re.compile(r"[≥≤<>=≧≦＞＜＝]")


class QuantitativeForm(DeclarationCheck):
    """定量指标值缺少比较符号、数值或计量单位。

    What it checks:
        A quantitative target prints a comparator (≥, ≤, =, a range …), a number and a unit (``≥95%``, not ``≥95``
        nor ``100%``).  A target with a comparator but no number (``≥``, ``≤预算``) is flagged too.

    Why it matters:
        R16 (88号 细化量化; the 101号 template's 度量单位 column): "Quantitative values must carry a unit"; without
        a comparator the direction of the indicator is unknown.

    Failing example:
        | 投入和管理目标 | 预算执行率 | ≥90 |

    Passing example:
        | 投入和管理目标 | 预算执行率 | ≥90% |

    Options:
        None.
    """

    code = "C-TD-02"
    name = "declaration.quantitative_form"
    severity = Severity.WARNING
    groups = ("all", "declaration", "values")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "指标「{indicator}」的指标值「{actual}」缺少{missing}"
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            v = parse_value(ind.target)
            missing: list[str] = []
            if v.kind is ValueKind.QUANTITATIVE:
                parts = v.parts or (v,)
                if any(p.comparator is None for p in parts):
                    missing.append("比较符号（≥、≤、=）")
                if any(p.unit is None and p.scale == 1 for p in parts):
                    missing.append("计量单位")
            elif v.kind is ValueKind.QUALITATIVE and _SYMBOL.search(v.text):
                missing.append("数值")
            if missing:
                yield self.report(ctx, source=cell(ind, "target"), subject=ctx.subject(ind), actual=ind.target,
                                  indicator=ind.name, missing="和".join(missing))  # fmt: skip
