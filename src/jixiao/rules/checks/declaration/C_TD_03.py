"""C-TD-03: a target is quantified or stated on a graded scale, not vague wording."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jixiao.model import Finding, Severity, TargetDeclaration
from jixiao.rules.base import CheckContext, DeclarationCheck, cell
from jixiao.rules.checks._common import VAGUE, graded
from jixiao.values import ValueKind, parse_value


class VagueTarget(DeclarationCheck):
    """指标值既无数值也无分级标准，无法衡量（含"进一步、有效、加强"等模糊用语尤甚）。

    What it checks:
        A target with no number, no deadline and no graded scale (达到 / 基本达到 / 未达到, 好 / 较好 / 一般 / 差,
        三级 …).  The message names the vague word when the target uses one (进一步, 提升, 提高, 明显, 有效, 有序,
        加强, 良好, 较好, 显著 …).

    Why it matters:
        R16 (88号 细化量化, 101号 量化易评): express targets quantitatively wherever possible and otherwise as
        graded qualitative levels.  Seed: ``平台正常运行`` or ``通过招邀标控制成本`` cannot be judged met or missed.

    Failing example:
        | 产出目标 | 质量目标 | 平台正常运行 |

    Passing example:
        | 产出目标 | 平台可用率 | ≥99.5% |

    Options:
        None.
    """

    code = "C-TD-03"
    name = "declaration.vague_target"
    severity = Severity.WARNING
    groups = ("all", "declaration", "targets")
    messages: ClassVar[Mapping[str, str]] = {
        "vague": "指标「{indicator}」的指标值「{actual}」使用模糊用语「{word}」，既无数值也无分级标准，无法衡量",
        "unmeasurable": "指标「{indicator}」的指标值「{actual}」既无数值也无分级标准，无法衡量完成程度",
    }

    def run(self, doc: TargetDeclaration, ctx: CheckContext) -> Iterator[Finding]:
        for ind in doc.indicators:
            v = parse_value(ind.target)
            if v.kind is not ValueKind.QUALITATIVE or graded(v.text):
                continue
            common: dict[str, Any] = {"source": cell(ind, "target"), "subject": ctx.subject(ind), "actual": ind.target,
                      "indicator": ind.name}  # fmt: skip
            m = VAGUE.search(v.text)
            if m:
                yield self.report(ctx, "vague", word=m.group(0), **common)
            else:
                yield self.report(ctx, "unmeasurable", **common)
