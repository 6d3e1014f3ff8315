"""C-SE-20: target and actual use the same unit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.values import Value


def _unit_text(v: Value) -> str:
    scale = {1e4: "万", 1e8: "亿"}.get(v.scale, "")
    return (scale + (v.unit or "")) or "无单位"


class UnitMismatch(SelfEvalCheck):
    """年度指标值与实际完成值的计量单位不一致（人/人次、万/个位数、%/数量）。

    What it checks:
        For a quantitative row with a measured actual, the actual's unit equals the target's when both print one,
        and both use the same scale word (万, 亿).  An actual with no unit at all is not flagged.

    Why it matters:
        Comparing 人 with 人次 or a count with a percentage makes the completion ratio meaningless; the rules
        score a / t only for like quantities ([I]).

    Failing example:
        | | 产出指标 | 数量指标 | 全年培训人数 | ≥200(人) | 365人次 | 5 | 5 | |

    Passing example:
        | | 产出指标 | 数量指标 | 全年培训人数 | ≥200(人) | 365人 | 5 | 5 | |

    Options:
        None.
    """

    code = "C-SE-20"
    name = "self_eval.unit_mismatch"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "values")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "「{indicator}」年度指标值单位「{expected}」与实际完成值单位「{actual}」不一致"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            t, a = rs.target, rs.actual
            if t.scale == a.scale and ((tu := t.unit) is None or (au := a.unit) is None or tu == au):
                continue  # the common case first: same scale, and the same unit or one of them unstated
            if rs.method.quantitative and not t.parts and a.is_measurement:
                ind = rs.indicator
                yield self.report(ctx, source=cell(ind, "actual"), subject=ctx.subject(ind), expected=_unit_text(t),
                                  actual=_unit_text(a), indicator=ind.name)  # fmt: skip
