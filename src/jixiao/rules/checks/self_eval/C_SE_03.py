"""C-SE-03: the fund sub-lines add up to 年度资金总额 in each amount column."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from jixiao.model import Finding, SelfEvaluation, Severity
from jixiao.rules.base import CheckContext, SelfEvalCheck, cell
from jixiao.rules.scoring import fmt

_COLUMNS = (("initial_budget", "年初预算数"), ("annual_budget", "全年预算数"), ("executed", "全年执行数"))


class FundSublines(SelfEvalCheck):
    """资金来源分项（当年财政拨款 + 上年结转 + 其他资金）之和与年度资金总额不符。

    What it checks:
        For 年初预算数, 全年预算数 and 全年执行数, the sub-lines (其中：当年财政拨款, 上年结转资金, 其他资金) sum to
        the 年度资金总额 line.  Columns where no sub-line prints a number are skipped; an empty total counts as 0.

    Why it matters:
        The structure of 10号 Attachment 1: the total is the sum of its sources.  A published Anhui table leaves
        the total row at 0 with the sub-lines filled, which makes the execution rate meaningless.

    Failing example:
        | | 年度资金总额 | 100 | 100 | 90 | 10 | 90% | 9 |
        | | 其中：当年财政拨款 | 80 | 80 | 70 | — | | |
        | | 上年结转资金 | 10 | 10 | 10 | — | | |

    Passing example:
        | | 年度资金总额 | 100 | 100 | 90 | 10 | 90% | 9 |
        | | 其中：当年财政拨款 | 90 | 90 | 80 | — | | |
        | | 上年结转资金 | 10 | 10 | 10 | — | | |

    Options:
        None (amounts compared to ±0.01 of the printed unit).
    """

    code = "C-SE-03"
    name = "self_eval.fund_sublines"
    severity = Severity.ERROR
    groups = ("all", "self_eval", "arithmetic", "execution")
    messages: ClassVar[Mapping[str, str]] = {
        "default": "资金来源分项的{column}合计 {actual}，与年度资金总额 {expected} 不符",
        "zero": "年度资金总额一行的{columns}均为 0 或空，而资金来源分项合计为 {sums}：总额行未填，执行率无从计算",
    }

    def run(self, doc: SelfEvaluation, ctx: CheckContext) -> Iterator[Finding]:
        total = doc.fund()
        if total is None:
            return
        subs = [f for f in doc.funds if f is not total]
        wrong: list[tuple[str, str, float, float]] = []
        for attr, label in _COLUMNS:
            values = [getattr(f, attr) for f in subs]
            if all(v is None for v in values):
                continue
            got = round(sum(v or 0.0 for v in values), 6)
            want = getattr(total, attr) or 0.0
            if abs(got - want) > 0.01 + 1e-9 * abs(want):
                wrong.append((attr, label, got, want))
        if len(wrong) > 1 and all(want == 0 for *_, want in wrong):
            # one fact: the total row was left empty (an Anhui table prints 0 0 0), not three sums that disagree
            yield self.report(ctx, "zero", source=cell(total, wrong[0][0]), subject=ctx.subject(total.line),
                              expected=0.0, actual=wrong[0][2], tolerance=0.01,
                              columns="、".join(w[1] for w in wrong), sums=" / ".join(fmt(w[2]) for w in wrong))  # fmt: skip
            return
        for attr, label, got, want in wrong:
            yield self.report(ctx, source=cell(total, attr), subject=ctx.subject(total.line),
                              expected=want, actual=got, tolerance=0.01, column=label)  # fmt: skip
