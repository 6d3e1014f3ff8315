"""C-SE-05: a quantitative row's printed score equals the rule's score (R5–R7)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import fmt, tolerance_floor, tolerance_for
from jixiao.rules.trust import SCORES


class QuantitativeScore(SelfEvalCheck):
    """定量指标得分与按规则计算的得分不符（未达标却满分为错误）。

    What it checks:
        For a row whose 年度指标值 is quantitative and whose 实际完成值 is a measured number, the printed 得分 is
        recomputed: positive (≥, >, = with a positive target) w × a/t when short (R5); reverse (≤, <) by formula A
        w × t/a or B w × max(0, 2 − a/t), accepting anything between the two (R6); target 0 all-or-nothing;
        ranges w × a/lo below and w × hi/a above (R7).  Full marks although the actual misses the target is an
        error; any other difference is a warning.

    Why it matters:
        10号 ch. 3: a quantitative indicator scores in proportion to completion and full marks need the target
        reached.  Seed: ``≥110(人)`` with 10 people, weight 5, printed 1 where the rule gives 0.45.

    Failing example:
        | | 产出指标 | 数量指标 | 领导干部外向型培训人次 | ≥110(人) | 10人 | 5 | 1 | 未恢复出境培训 |

    Passing example:
        | | 产出指标 | 数量指标 | 领导干部外向型培训人次 | ≥110(人) | 10人 | 5 | 0.45 | 未恢复出境培训 |

    Options:
        reverse_formula: A (default) or B for reverse rows.
        score_tolerance / score_tolerance_one_decimal / integer_rounding: accepted rounding of the printed score.
    """

    code = "C-SE-05"
    needs = frozenset({SCORES})
    name = "self_eval.quantitative_score"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "scoring", "arithmetic")
    messages: ClassVar[Mapping[str, str]] = {
        "full": "「{indicator}」实际 {actual_text} 未达到目标 {target_text}，却得满分 {actual}；按规则应为 {expected}（{formula}）",
        "differs": "「{indicator}」得分印为 {actual}，按规则应为 {rule}（{formula}）",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        # A score printed exactly as the rule gives it is accepted under any tolerance the profile allows.
        exact_ok = tolerance_floor(ctx.profile) + EPS >= 0
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            printed = rs.printed
            if printed is None or rs.expected is None or (exact_ok and printed == rs.expected):
                continue
            if not rs.method.quantitative:
                continue
            tol = tolerance_for(printed, ctx.profile)
            if rs.accepts(printed, tol):
                continue
            ind = rs.indicator
            common: dict[str, Any] = {"source": cell(ind, "score"), "subject": ctx.subject(ind), "expected": rs.expected,
                      "actual": printed, "tolerance": tol, "indicator": ind.name, "formula": rs.formula}  # fmt: skip
            if rs.met is False and printed >= rs.weight - tol - EPS and rs.expected < rs.weight - tol:
                yield self.report(
                    ctx, "full", actual_text=rs.actual.text, target_text=rs.target.text, **common
                )
            else:
                rule = fmt(rs.expected) if rs.low is None else f"{fmt(rs.low)}–{fmt(rs.high)}"
                yield self.report(ctx, "differs", severity=Severity.WARNING, rule=rule, **common)
