"""C-SE-04: every row's score lies in [0, weight]."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import fmt
from jixiao.rules.trust import SCORES


class ScoreWithinWeight(SelfEvalCheck):
    """指标得分为负或超过分值。

    What it checks:
        Every indicator row has 0 ≤ 得分 ≤ 分值.

    Why it matters:
        R9: "得分不能大于分值" (vendor rule); full marks are the maximum in 10号 and self-evaluation has no bonus
        points.  A negative score has no meaning.

    Failing example:
        | | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 10 | 12 | |

    Passing example:
        | | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 10 | 10 | |

    Options:
        None.
    """

    code = "C-SE-04"
    needs = frozenset({SCORES})
    name = "self_eval.score_within_weight"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic")
    messages: ClassVar[Mapping[str, str]] = {
        "over": "「{indicator}」得分 {actual} 超过分值 {expected}",
        "negative": "「{indicator}」得分 {actual} 为负",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        for rs in ctx.scores.remarkable:  # a plain row lies in [0, weight]
            printed = rs.printed
            if printed is None or 0 <= printed <= rs.weight + EPS:
                continue  # the common case first
            ind = rs.indicator
            if printed < 0:
                yield self.report(ctx, "negative", source=cell(ind, "score"), subject=ctx.subject(ind), expected=0.0,
                                  actual=ind.score, indicator=ind.name)  # fmt: skip
            elif ind.weight is not None and printed > ind.weight + EPS:
                yield self.report(ctx, "over", source=cell(ind, "score"), subject=ctx.subject(ind),
                                  expected=ind.weight, actual=ind.score, indicator=ind.name, weight=fmt(ind.weight))  # fmt: skip
