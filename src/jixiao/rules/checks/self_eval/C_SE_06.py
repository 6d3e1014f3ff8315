"""C-SE-06: a quantitative row's actual is a measured number."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.scoring import Method
from jixiao.values import ValueKind

_UNSCORABLE, _QUANTITATIVE = Method.UNSCORABLE, ValueKind.QUANTITATIVE


class QuantitativeActual(SelfEvalCheck):
    """定量指标的实际完成值缺失、不是数值，或写成了目标式表达（≥95%）。

    What it checks:
        For a row whose 年度指标值 is quantitative, the 实际完成值 is present and is a measured number.  Missing or
        non-numeric is an error; an actual shaped like a target (``≥95%``, ``<100%``, ``≤30（分钟）``) is a
        warning, since it says the target was met without saying by how much.

    Why it matters:
        R9: the vendor rejects such rows ("定量指标实际完成值填数字"); the rules score quantitative rows from the
        measured value, which a bound does not give.

    Failing example:
        | | 满意度指标 | 服务对象满意度指标 | 运维满意度 | ≥90(%) | ≥95% | 5 | 5 | |

    Passing example:
        | | 满意度指标 | 服务对象满意度指标 | 运维满意度 | ≥90(%) | 96% | 5 | 5 | |

    Options:
        None.
    """

    code = "C-SE-06"
    name = "self_eval.quantitative_actual"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "values")
    messages: ClassVar[Mapping[str, str]] = {
        "missing": "定量指标「{indicator}」（目标 {target}）缺少实际完成值",
        "text": "定量指标「{indicator}」的实际完成值「{actual}」不是数值（目标 {target}），无法按规则计分",
        "shaped": "定量指标「{indicator}」的实际完成值「{actual}」是目标式表达，应填写实测值（目标 {target}）",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            if rs.method is not _UNSCORABLE or rs.target.kind is not _QUANTITATIVE:
                continue
            if rs.problem_kind not in ("missing", "text", "shaped"):
                continue
            ind = rs.indicator
            yield self.report(
                ctx, rs.problem_kind, source=cell(ind, "actual"), subject=ctx.subject(ind),
                severity=Severity.WARNING if rs.problem_kind == "shaped" else Severity.ERROR,
                actual=ind.actual, indicator=ind.name, target=ind.target,
            )  # fmt: skip
