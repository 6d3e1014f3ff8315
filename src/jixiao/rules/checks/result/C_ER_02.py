"""C-ER-02: the 评价分值 lies in [0, 100]."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, Severity
from jixiao.rules.base import CheckContext, ResultCheck


class ScoreRange(ResultCheck):
    """评价分值不在 0–100 之间。

    What it checks:
        0 ≤ 评价分值 ≤ 100.

    Why it matters:
        R11: evaluations are scored out of 100 (10号 Att. 2 framework); anything else is a typo or a different
        scale that the bands do not apply to.

    Failing example:
        评价分值 193.17.

    Passing example:
        评价分值 93.17.

    Options:
        None.
    """

    code = "C-ER-02"
    name = "result.score_range"
    severity = Severity.ERROR
    groups = ("all", "result", "arithmetic")
    messages: ClassVar[Mapping[str, str]] = {"default": "评价分值 {actual} 不在 0–100 之间"}

    def run(self, doc: EvaluationResult, ctx: CheckContext) -> Iterator[Finding]:
        if doc.score is not None and not 0 <= doc.score <= 100:
            yield self.report(
                ctx, source=doc.source, subject=ctx.subject(), expected="[0, 100]", actual=doc.score
            )
