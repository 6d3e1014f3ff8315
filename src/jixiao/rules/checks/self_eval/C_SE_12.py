"""C-SE-12: the table has 产出, 效益 and 满意度 indicators (R2, R15)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.trust import COMPLETE


class CategoryCoverage(SelfEvalCheck):
    """缺少产出、效益或满意度指标。

    What it checks:
        At least one 产出 (or 成本) row, one 效益 row and one 满意度 row.  A missing 产出 or 效益 category is an
        error; a missing 满意度 category is a warning (its 10 points are often moved elsewhere).

    Why it matters:
        R2 and R15 (10号 Attachment 1): the self-evaluation covers outputs, benefits and satisfaction; 10号 gives
        no rule for redistributing a missing satisfaction weight, so that case is only a warning.

    Failing example:
        | | 产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 90 | 90 | |

    Passing example:
        one row each under 产出指标, 效益指标 and 满意度指标.

    A scoring rubric that prints its own 一级 weights (决策 / 过程 / 绩效, the 10号 Att. 2 framework) files its
    outputs and benefits under other labels and is not checked here.

    Options:
        None.
    """

    code = "C-SE-12"
    needs = frozenset({COMPLETE})
    name = "self_eval.category_coverage"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "coverage")
    messages: ClassVar[Mapping[str, str]] = {"default": "自评表缺少{category}指标"}

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if not doc.indicators or doc.printed_level1_weights:
            return
        assert ctx.scores is not None
        present = ctx.scores.sums.present
        for group in ("产出", "效益", "满意度"):
            if group not in present:
                sev = Severity.WARNING if group == "满意度" else Severity.ERROR
                yield self.report(ctx, source=doc.source, subject=ctx.subject(), severity=sev, category=group,
                                  expected=group)  # fmt: skip
