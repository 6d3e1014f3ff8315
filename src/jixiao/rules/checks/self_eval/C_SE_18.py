"""C-SE-18: 实际完成情况 is not a copy of 预期目标."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.checks._common import norm


class GoalCopied(SelfEvalCheck):
    """年度总体目标的实际完成情况与预期目标文字完全相同（照抄）。

    What it checks:
        The goal's 实际完成情况 differs from its 预期目标 (compared without whitespace and punctuation).

    Why it matters:
        R1: the self-evaluation reports what was achieved, with true data ("数据真实、结果客观"); a copied target
        says nothing about completion.  Several seeds do this.

    Failing example:
        | 年度总体目标 | 预期目标 | | | 实际完成情况 | | | |
        | | 完成培训任务 | | | 完成培训任务 | | | |

    Passing example:
        | | 完成培训任务 | | | 举办培训班5期，培训365人 | | | |

    Options:
        None.
    """

    code = "C-SE-18"
    name = "self_eval.goal_copied"
    severity = Severity.WARNING
    groups = ("all", "self_eval", "quality")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "年度总体目标的实际完成情况与预期目标文字相同，未反映实际完成情况"
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        goal = doc.goal
        if goal is None or not goal.expected or not goal.actual:
            return
        if norm(goal.expected) == norm(goal.actual):
            yield self.report(ctx, source=cell(goal, "actual"), subject=ctx.subject())
