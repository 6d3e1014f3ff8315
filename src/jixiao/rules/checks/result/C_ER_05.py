"""C-ER-05: an evaluation framework gives 产出 + 效益 at least 60 points."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, Severity
from jixiao.rules.base import CheckContext, ResultCheck


class FrameworkWeights(ResultCheck):
    """评价指标体系中产出与效益指标分值合计低于 60。

    What it checks:
        When the evaluation result carries its 评价指标体系 (``framework``: 决策 / 过程 / 产出 / 效益 rows with
        weights), the weights of the 产出 and 效益 rows add up to at least 60.

    Why it matters:
        R13 (10号 Att. 2): evaluation is result-oriented, "产出 + 效益 ≥ 60%" as a principle; hence a warning.

    Failing example:
        framework 决策 25, 过程 25, 产出 30, 效益 20.

    Passing example:
        framework 决策 15, 过程 20, 产出 35, 效益 30.

    Options:
        None.  Runs only on results that include a framework (e.g. loaded from v1 JSON).
    """

    code = "C-ER-05"
    name = "result.framework_weights"
    severity = Severity.WARNING
    groups = ("all", "result", "weights")
    messages: ClassVar[Mapping[str, str]] = {"default": "评价指标体系中产出与效益分值合计 {actual}，低于 {expected}（应以结果为导向）"}

    def run(self, doc: EvaluationResult, ctx: CheckContext) -> Iterator[Finding]:
        rows = doc.framework or []
        if not rows or all(r.weight is None for r in rows):
            return
        got = sum(r.weight or 0.0 for r in rows if (r.level1 or "").startswith(("产出", "效益")))
        if got < 60 - 1e-9:
            yield self.report(ctx, source=doc.source, subject=ctx.subject(), expected=60.0, actual=round(got, 2))

