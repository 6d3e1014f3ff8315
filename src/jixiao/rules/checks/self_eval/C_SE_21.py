"""C-SE-21: satisfaction figures look measured (not all 100%, a survey mentioned)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck
from jixiao.rules.checks._common import SURVEY, is_satisfaction
from jixiao.values import parse_value


class SatisfactionEvidence(SelfEvalCheck):
    """满意度全部为 100%，或全表未提及问卷、调查、测评等满意度来源。

    What it checks:
        Among the satisfaction rows: every actual exactly 100% (info), or no mention anywhere in the table (goal,
        indicator names, deviations) of how satisfaction was measured: 问卷, 调查, 测评, 调研, 评议, 回访 (info).

    Why it matters:
        Review practice ([I]): satisfaction should come from a survey (公众评判法, R13); uniform 100% is rarely
        measured.

    Failing example:
        | | 满意度指标 | 服务对象满意度指标 | 基层党组织满意度 | ≥90(%) | 100.00(%) | 15 | 15 | |

    Passing example:
        | | 满意度指标 | 服务对象满意度指标 | 学员满意度测评 | ≥90(%) | 96% | 10 | 10 | |

    Options:
        None.
    """

    code = "C-SE-21"
    name = "self_eval.satisfaction_evidence"
    severity = Severity.INFO
    groups = ("all", "self_eval", "quality")
    messages: ClassVar[Mapping[str, str]] = {
        "all100": "全部 {count} 项满意度指标的实际完成值均为 100%，请核实满意度调查",
        "nosurvey": "表中未提及满意度的来源（问卷、调查、测评等）",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        rows = [i for i in doc.indicators if is_satisfaction(i)]
        if not rows:
            return
        if all((v := parse_value(i.actual)).is_measurement and v.magnitude == 100 for i in rows):
            yield self.report(ctx, "all100", source=rows[0].source, subject=ctx.subject(), actual=100.0,
                              count=len(rows))  # fmt: skip
        goal = doc.goal
        texts = chain(
            (goal.expected or "", goal.actual or "") if goal else (),  # the goal, usually the hit, first
            (i.name for i in doc.indicators),
            (i.deviation for i in doc.indicators if i.deviation),
        )
        # No survey word spans two texts, so searching each in turn, lazily, is searching them all.
        if not any(SURVEY.search(t) for t in texts):
            yield self.report(ctx, "nosurvey", source=rows[0].source, subject=ctx.subject())
