"""C-ER-03: a poor conclusion lists problems and suggestions; listed problems have a rectification."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, Severity
from jixiao.rules.base import CheckContext, ResultCheck
from jixiao.rules.checks._common import has_text


class Rectification(ResultCheck):
    """评价结论为中或差却未列存在问题或整改建议；或列了问题却无整改情况。

    What it checks:
        A conclusion of 中 or 差 comes with 存在问题 and 整改建议; any listed 存在问题 comes with 整改情况.

    Why it matters:
        10号 ch. 5: evaluation results are used and problems rectified; a result with problems and no
        rectification closes no loop.

    Failing example:
        评价结论 中; 存在问题 (empty).

    Passing example:
        评价结论 中; 存在问题 （1）预算编制不精确; 整改建议 （1）加强预算管理; 整改情况 （1）已调整.

    Options:
        None.
    """

    code = "C-ER-03"
    name = "result.rectification"
    severity = Severity.WARNING
    groups = ("all", "result", "completeness")
    messages: ClassVar[Mapping[str, str]] = {
        "poor": "评价结论为「{actual}」，但未列出{missing}",
        "unrectified": "列出 {count} 项存在问题，但没有整改情况",
    }

    def run(self, doc: EvaluationResult, ctx: CheckContext) -> Iterator[Finding]:
        problems = [p for p in doc.problems if has_text(p)]
        if doc.conclusion in ("中", "差"):
            missing = [label for label, items in (("存在问题", problems), ("整改建议", doc.suggestions))
                       if not any(has_text(x) for x in items)]  # fmt: skip
            if missing:
                yield self.report(ctx, "poor", source=doc.source, subject=ctx.subject(), actual=doc.conclusion,
                                  missing="和".join(missing))  # fmt: skip
        if problems and not any(has_text(x) for x in doc.rectification):
            yield self.report(
                ctx, "unrectified", source=doc.source, subject=ctx.subject(), count=len(problems)
            )
