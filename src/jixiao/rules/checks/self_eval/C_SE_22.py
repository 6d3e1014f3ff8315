"""C-SE-22: a row that met its target but lost points says why."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS, has_text
from jixiao.rules.scoring import tolerance_floor, tolerance_for
from jixiao.rules.trust import SCORES
from jixiao.values import Tier


class MetButMarkedDown(SelfEvalCheck):
    """指标已达成却未得满分，且未说明扣分原因。

    What it checks:
        A quantitative row whose actual reaches the target, or a qualitative row stating 达成, scored below its
        weight with an empty 偏差原因.

    Why it matters:
        Seed practice: one 2024 table gives 9.32 / 10 for 93% against ``≥90%`` with the reason recorded; without
        a reason the deduction is unexplained evaluator discretion (R5 gives full marks when the target is met).

    Failing example:
        | | 满意度指标 | 服务对象满意度指标 | 基层党组织满意度 | ≥90.00(%) | 93.00(%) | 10 | 9.32 | |

    Passing example:
        | | 满意度指标 | 服务对象满意度指标 | 基层党组织满意度 | ≥90.00(%) | 93.00(%) | 10 | 9.32 | 少数站点设备老旧 |

    Options:
        score_tolerance: a score within tolerance of the weight counts as full.
    """

    code = "C-SE-22"
    needs = frozenset({SCORES})
    name = "self_eval.met_but_marked_down"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "explanation", "scoring")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "「{indicator}」已达到目标（{target} / 实际 {actual_text}），得分 {actual} 低于分值 {expected}，未说明原因"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        floor = tolerance_floor(ctx.profile)
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            ind, printed = rs.indicator, rs.printed
            if printed is None or not rs.met or printed >= rs.weight - floor - EPS:
                continue  # not met, or not marked down under any tolerance (the common case: full marks)
            if has_text(ind.deviation):
                continue
            stated_met = rs.tier is not None and rs.tier.stated and rs.tier.tier is Tier.ACHIEVED
            if not (rs.method.quantitative or stated_met):
                continue
            if printed < rs.weight - tolerance_for(printed, ctx.profile) - EPS:
                yield self.report(ctx, source=cell(ind, "score"), subject=ctx.subject(ind), expected=rs.weight,
                                  actual=printed, indicator=ind.name, target=ind.target, actual_text=ind.actual)  # fmt: skip
