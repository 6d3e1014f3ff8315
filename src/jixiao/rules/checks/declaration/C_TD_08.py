"""C-TD-08: a satisfaction target lies in (0, 100%] and is not unusually low."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import EPS, is_satisfaction, percent
from jixiao.rules.scoring import fmt
from jixiao.values import parse_value


class SatisfactionTarget(DeclarationCheck):
    """满意度目标值不在 (0, 100%] 内（错误），或低于下限（默认 80%，警告）。

    What it checks:
        For a satisfaction indicator with a numeric target: a value ≤ 0 or above 100% is an error; a value below
        ``satisfaction_floor`` is a warning.  Ranges are judged by their lower bound.

    Why it matters:
        R16: impossible or meaningless satisfaction targets (``0``, > 100%) and unusually low ones (``≥70%``)
        without justification are discouraged; seed ``社会公众或服务对象满意值 0``.

    Failing example:
        | 效果目标 | 社会公众或服务对象满意值 | 0 |

    Passing example:
        | 效果目标 | 社会公众或服务对象满意度 | ≥90% |

    Options:
        satisfaction_floor: 80 (%).
    """

    code = "C-TD-08"
    name = "declaration.satisfaction_target"
    severity = Severity.ERROR
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "impossible": "满意度指标「{indicator}」的目标值「{actual_text}」不在 (0, 100%] 内",
        "low": "满意度指标「{indicator}」的目标值「{actual_text}」低于 {floor}%，偏低且未见依据",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        floor = ctx.profile.satisfaction_floor
        for ind in doc.indicators:
            if not is_satisfaction(ind):
                continue
            value = percent(parse_value(ind.target))
            if value is None:
                continue
            common: dict[str, Any] = {"source": cell(ind, "target"), "subject": ctx.subject(ind), "actual": value,
                      "actual_text": ind.target, "indicator": ind.name}  # fmt: skip
            if value <= 0 or value > 100 + EPS:
                yield self.report(ctx, "impossible", expected="(0, 100]", **common)
            elif value < floor - EPS:
                yield self.report(
                    ctx, "low", severity=Severity.WARNING, expected=floor, floor=fmt(floor), **common
                )
