"""C-ER-05: an evaluation framework gives 产出 + 效益 at least 60% of its points."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import EvaluationResult, Finding, Indicator, SelfEvaluation, Severity
from jixiao.rules.base import Check, CheckContext, cell
from jixiao.rules.scoring import fmt

_RESULT = re.compile(r"^(?:项目)?(?:产出|效益|效果)")  # the result-oriented 一级 (or 二级) groups of R13
_OTHER = re.compile(r"^(?:项目)?(?:决策|过程|管理|投入)")


class FrameworkWeights(Check[EvaluationResult | SelfEvaluation]):
    """评价指标体系中产出与效益指标分值合计低于 60%。

    What it checks:
        Wherever a document prints the 评价指标体系 of 10号 Att. 2 with weights (决策 / 过程 / 产出 / 效益), the
        产出 and 效益 groups hold at least 60% of its points: an evaluation result that carries its ``framework``
        rows (or the scored sections it prints, when they are that framework's groups), or a self-evaluation printed
        as such a rubric with its own 一级 weights (``level_weights``).  In a
        rubric whose 一级 is 绩效 (项目绩效 55 = 项目产出 15 + 项目效益 40) the 二级 groups are counted.

    Why it matters:
        R13 (10号 Att. 2): evaluation is result-oriented, "产出 + 效益 ≥ 60%" as a principle; hence a warning.

    Failing example:
        framework 决策 25, 过程 25, 产出 30, 效益 20.

    Passing example:
        framework 决策 15, 过程 20, 产出 35, 效益 30.

    Options:
        None.  Runs only on documents that print a framework with weights.
    """

    code = "C-ER-05"
    name = "result.framework_weights"
    severity = Severity.WARNING
    groups = ("all", "result", "weights")
    applies_to = (EvaluationResult, SelfEvaluation)
    messages: ClassVar[Mapping[str, str]] = {
        "default": "评价指标体系中产出与效益分值合计 {got}，占 {actual}%，低于 {expected}%（应以结果为导向）",
    }

    def run(self, doc: EvaluationResult | SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        if isinstance(doc, SelfEvaluation):
            shares = _rubric(doc)
            source = cell(doc.level_weights[0], "weight") if doc.level_weights else doc.source
        else:
            rows = [r for r in doc.framework or _framework(doc) if r.weight is not None]
            shares = (sum(r.weight or 0.0 for r in rows if _RESULT.match(r.level1 or "")),
                      sum(r.weight or 0.0 for r in rows)) if rows else None  # fmt: skip
            source = doc.source
        if shares is None or shares[1] <= 0:
            return
        got, total = shares
        share = got / total * 100.0
        if share < 60 - 1e-9:
            yield self.report(ctx, source=source, subject=ctx.subject(), expected=60.0, actual=round(share, 2),
                              got=fmt(round(got, 2)))  # fmt: skip


def _framework(doc: EvaluationResult) -> list[Indicator]:
    """The scored sections a result prints (``(一)项目决策情况(分值20分,得分15分)``) when they are the 10号 Att. 2
    framework: every section a 决策 / 过程 / 产出 / 效益 group (an ex-ante assessment or a lender's criteria are not)."""
    items = doc.rubric_items
    if not items or not all(_RESULT.match(r.name) or _OTHER.match(r.name) for r in items):
        return []
    return [
        Indicator(level1=r.name, name=r.name, weight=r.weight, score=r.score, source=r.source) for r in items
    ]


def _rubric(doc: SelfEvaluation) -> tuple[float, float] | None:
    """(产出 + 效益 points, all points) of a rubric's printed group weights, or None when it prints no 一级."""
    top = doc.printed_level1_weights
    if not top:
        return None
    got = 0.0
    for group in top:
        if _RESULT.match(group.level1):
            got += group.weight
        elif not _OTHER.match(group.level1):  # 绩效 and the like: count its 产出 / 效益 二级 groups
            got += sum(lw.weight for lw in doc.level_weights
                       if lw.level1 == group.level1 and lw.level2 is not None and _RESULT.match(lw.level2))  # fmt: skip
    return got, sum(g.weight for g in top)
