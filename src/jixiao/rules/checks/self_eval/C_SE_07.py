"""C-SE-07: a qualitative or deadline row's score lies in the band of its tier (R8)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import EPS
from jixiao.rules.scoring import Method, fmt, tolerance_floor, tolerance_for
from jixiao.rules.trust import SCORES
from jixiao.values import Tier

_QUALITATIVE, _DEADLINE, _MISSED = Method.QUALITATIVE, Method.DEADLINE, Tier.MISSED


class QualitativeTier(SelfEvalCheck):
    """定性指标得分不在其档次的分数区间内（否定性完成情况却满分为错误）。

    What it checks:
        A qualitative row (and a deadline row, scored as qualitative by R7) is put in one of three tiers, stated
        (达成 / 部分达成 / 未达成) or inferred from the wording; its score must lie in the tier's band: tier 1
        [0.8w, w], tier 2 [0.6w, 0.8w), tier 3 [0, 0.6w).  A stated tier out of band, or full marks while the
        actual negates the target (未完成, 未开展 …), is an error; an inferred tier out of band is a warning.

    Why it matters:
        R8 (10号 ch. 3; vendor ``selfqualscorecheck``).  Seed: ``是`` against ``是`` scored 3 of 5, a tier-2 score
        for an actual that reads as tier 1, with a deviation showing the real tier is 2.

    Failing example:
        | | 效益指标 | 可持续影响指标 | 是否支持政务信息系统整合 | 是 | 是 | 5 | 3 | 尚未全部对接至一网通办 |

    Passing example:
        | | 效益指标 | 可持续影响指标 | 是否支持政务信息系统整合 | 是 | 部分达成 | 5 | 3 | 尚未全部对接至一网通办 |

    Options:
        score_tolerance: applied at the lower edge of a band.
    """

    code = "C-SE-07"
    needs = frozenset({SCORES})
    name = "self_eval.qualitative_tier"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "scoring")
    messages: ClassVar[Mapping[str, str]] = {
        "band": "「{indicator}」得分 {actual} 不在{how}档次的区间 {band} 内（{formula}）",
        "negated": "「{indicator}」实际完成值「{actual_text}」表明未完成，却得满分 {actual}",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        assert ctx.scores is not None
        # A score inside a closed band is accepted under any tolerance the profile allows.
        inside_ok = tolerance_floor(ctx.profile) + EPS >= 0
        for rs in ctx.scores.remarkable:  # a plain row has nothing to report
            method, printed = rs.method, rs.printed
            if (method is not _QUALITATIVE and method is not _DEADLINE) or rs.tier is None or printed is None:
                continue
            low, high = rs.low, rs.high
            if inside_ok and rs.tier.tier is not _MISSED and not rs.high_open and low is not None and high is not None \
                    and low <= printed <= high:  # fmt: skip
                continue  # neither out of band nor a negated tier (the common case: achieved, full marks)
            ind, tol = rs.indicator, tolerance_for(printed, ctx.profile)
            negated = (
                rs.tier.tier is Tier.MISSED and not rs.tier.stated and printed >= rs.weight - tol - EPS > 0
            )
            if not negated and rs.accepts(printed, tol):
                continue
            common: dict[str, Any] = {"source": cell(ind, "score"), "subject": ctx.subject(ind), "actual": printed,
                      "tolerance": tol, "indicator": ind.name}  # fmt: skip
            if negated:
                yield self.report(ctx, "negated", expected=rs.high, actual_text=ind.actual, **common)
            else:
                band = f"[{fmt(rs.low)}, {fmt(rs.high)}{')' if rs.high_open else ']'}"
                sev = Severity.ERROR if rs.tier.stated else Severity.WARNING
                yield self.report(ctx, "band", severity=sev, expected=band, band=band, formula=rs.formula,
                                  how="写明的" if rs.tier.stated else "推断的", **common)  # fmt: skip
