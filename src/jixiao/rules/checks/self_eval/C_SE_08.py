"""C-SE-08: a row that lost points or missed its target explains why (R12)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS, has_text
from jixiao.rules.scoring import fmt, tolerance_for
from jixiao.rules.trust import SCORES
from jixiao.values import Tier

_ACHIEVED = Tier.ACHIEVED


class DeviationExplained(SelfEvalCheck):
    """扣分、未达标或定性第二/三档的指标未填写偏差原因分析及改进措施。

    What it checks:
        The 偏差原因分析及改进措施 cell is filled when (a) the score is below the weight, (b) a quantitative actual
        misses its target, or (c) a qualitative row is in tier 2 or 3.  (a), (b) and a stated tier are errors; a
        tier inferred from wording (e.g. a deadline met a month late) is a warning.  (a) is left out where the
        parser reported that 分值 / 得分 mean something else (权重占比 / 折算得分 tables).

    Why it matters:
        R12 (10号 ch. 2): where a target is missed the reasons must be analysed and improvement measures proposed.

    Failing example:
        | | 产出指标 | 数量指标 | 印发内刊数量 | ≥60(期) | 37期 | 3 | 1.85 | |

    Passing example:
        | | 产出指标 | 数量指标 | 印发内刊数量 | ≥60(期) | 37期 | 3 | 1.85 | 2024年预算已调减 |

    Options:
        score_tolerance: a score within tolerance of the weight counts as full.
    """

    code = "C-SE-08"
    name = "self_eval.deviation_explained"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "explanation")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "「{indicator}」{why}，但未填写偏差原因分析及改进措施"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        full = ctx.profile.score_tolerance + EPS
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            printed = rs.printed
            fine = (printed is None or printed >= rs.weight - full) and rs.met is not False
            if fine and (rs.tier is None or rs.tier.tier is _ACHIEVED):
                continue  # the common case first: nothing to explain
            ind = rs.indicator
            if has_text(ind.deviation):
                continue  # explained
            hard: list[str] = []
            soft: list[str] = []
            if (SCORES in ctx.facts and printed is not None
                    and printed < rs.weight - tolerance_for(printed, ctx.profile) - EPS):  # fmt: skip
                hard.append(f"得分 {fmt(printed)} 低于分值 {fmt(rs.weight)}")
            if rs.method.quantitative and rs.met is False:
                hard.append(f"实际 {ind.actual} 未达到目标 {ind.target}")
            if rs.tier is not None and rs.tier.tier is not _ACHIEVED:
                (hard if rs.tier.stated else soft).append(
                    f"完成情况属第{int(rs.tier.tier)}档（{rs.tier.reason}）"
                )
            if hard or soft:
                yield self.report(
                    ctx, source=cell(ind, "deviation") if "deviation" in ind.cells else ind.source,
                    subject=ctx.subject(ind), severity=Severity.ERROR if hard else Severity.WARNING,
                    expected=ind.weight, actual=printed, indicator=ind.name, why="，".join(hard + soft),
                )  # fmt: skip
