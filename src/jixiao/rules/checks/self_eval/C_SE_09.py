"""C-SE-09: full marks for an actual far beyond the target, with or without an explanation (R5)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS, has_text
from jixiao.rules.scoring import Method, fmt, tolerance_for
from jixiao.rules.trust import SCORES

_POSITIVE, _REVERSE = Method.POSITIVE, Method.REVERSE


class OverAchievement(SelfEvalCheck):
    """实际完成值大幅超过目标值且得满分：目标可能定得过低。

    What it checks:
        A positive row whose actual is at least ``over_achievement_ratio`` × target (1.5), or a reverse row whose
        actual is at most ``reverse_over_achievement_ratio`` × target (0.5), scored full marks.  Without an
        explanation in 偏差原因 it is a warning; with one, an info note ("consider raising the target").

    Why it matters:
        R5 (10号): when the actual is much higher than the target the reason must be analysed, and a target set
        clearly too low should lose points "moderately"; no formula is given, so this is a flag, not a deduction.

    Failing example:
        | | 效益指标 | 社会效益指标 | 年访问次数 | ≥30000(次) | 270000(次) | 10 | 10 | |

    Passing example:
        | | 效益指标 | 社会效益指标 | 年访问次数 | ≥30000(次) | 32000(次) | 10 | 10 | |

    Options:
        over_achievement_ratio: 1.5.  reverse_over_achievement_ratio: 0.5.
    """

    code = "C-SE-09"
    needs = frozenset({SCORES})
    name = "self_eval.over_achievement"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "explanation", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "unexplained": "「{indicator}」实际 {actual_text} 为目标 {target_text} 的 {ratio} 倍且得满分，未说明原因；目标可能定得过低",
        "explained": "「{indicator}」实际 {actual_text} 为目标 {target_text} 的 {ratio} 倍（已说明原因）；可考虑来年提高目标值",
        "reverse_unexplained": "「{indicator}」实际 {actual_text} 远优于反向目标 {target_text}（为目标的 {ratio} 倍）且得满分，"
        "未说明原因；目标可能定得过宽",
        "reverse_explained": "「{indicator}」实际 {actual_text} 远优于反向目标 {target_text}（为目标的 {ratio} 倍，已说明原因）；"
        "可考虑来年收紧目标值",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        p = ctx.profile
        high, low = p.over_achievement_ratio - EPS, p.reverse_over_achievement_ratio + EPS
        for rs in ctx.scores.rows:
            ratio = rs.ratio
            if ratio is None or low < ratio < high:
                continue
            far = (rs.method is _POSITIVE and ratio >= high) or (rs.method is _REVERSE and ratio <= low)
            ind, printed = rs.indicator, rs.printed
            if not far or printed is None or printed < rs.weight - tolerance_for(printed, p) - EPS:
                continue
            explained = has_text(ind.deviation)
            yield self.report(
                ctx, ("reverse_" if rs.method is _REVERSE else "") + ("explained" if explained else "unexplained"),
                source=cell(ind, "actual"),
                subject=ctx.subject(ind), severity=Severity.INFO if explained else Severity.WARNING,
                expected=rs.target.magnitude, actual=rs.actual.magnitude, indicator=ind.name,
                actual_text=ind.actual, target_text=ind.target, ratio=fmt(round(ratio, 2)),
            )  # fmt: skip
