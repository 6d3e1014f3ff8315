"""C-VAL-01: every target and actual is a value shape the rules know."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import AnyDocument, Finding, SelfEvaluation, Severity, TargetDeclaration
from jixiao.rules.base import Check, CheckContext, cell
from jixiao.values import ValueKind, parse_value

_UNKNOWN = ValueKind.UNKNOWN


class UnknownValue(Check[AnyDocument]):
    """年度指标值或实际完成值的数值表达无法识别（不作猜测，需人工核对）。

    What it checks:
        Every 年度指标值 and 实际完成值 that carries digits parses as one of the known shapes (R4): a comparator
        and number with a unit, a range, a ± tolerance, a deadline, or a compound of these.  Anything else (an
        OCR slip such as ``二100百分比``, prose with numbers) is reported instead of guessed.

    Why it matters:
        R4: the engine classifies a value before scoring it; a value it cannot read would otherwise be scored on a
        guess.  The scoring checks skip such rows, so this finding is the only trace.

    Failing example:
        | | 产出指标 | 数量指标 | 培训人数 | 二100百分比 | 95% | 10 | 10 | |

    Passing example:
        | | 产出指标 | 数量指标 | 培训人数 | ≥100% | 95% | 10 | 9.5 | 部分学员未参训 |

    Options:
        None.
    """

    code = "C-VAL-01"
    name = "values.unknown_shape"
    severity = Severity.WARNING
    groups = ("all", "values", "self_eval", "declaration")
    applies_to = (SelfEvaluation, TargetDeclaration)
    messages: ClassVar[Mapping[str, str]] = {
        "default": "「{indicator}」的{field}「{actual}」无法识别为已知的数值表达，未参与计分，请人工核对"
    }

    def run(self, doc: AnyDocument, ctx: CheckContext) -> Iterator[Finding]:
        if not isinstance(doc, SelfEvaluation | TargetDeclaration):
            return
        scores = ctx.scores  # a self-evaluation's values were parsed once, for scoring; most rows pass
        if scores is not None and not any(
            rs.target.kind is _UNKNOWN or rs.actual.kind is _UNKNOWN for rs in scores.remarkable
        ):
            return
        for ind in doc.indicators:
            if parse_value(ind.target).kind is _UNKNOWN:
                yield self.report(ctx, source=cell(ind, "target"), subject=ctx.subject(ind), actual=ind.target,
                                  indicator=ind.name, field="年度指标值")  # fmt: skip
            if parse_value(ind.actual).kind is _UNKNOWN:
                yield self.report(ctx, source=cell(ind, "actual"), subject=ctx.subject(ind), actual=ind.actual,
                                  indicator=ind.name, field="实际完成值")  # fmt: skip
