"""Table variants that are not the 财预〔2020〕10号 self-evaluation form, recognised and said so.

Provinces print their own forms: Hubei scores the budget out of 20 and the targets out of 80; Hebei counties
weigh each indicator again (权重占比, 折算得分), so 分值 means something else; some departments publish a
scoring rubric (决策 / 过程 / 产出 / 效益) instead of the table.  The parser still reads what it can; these
findings tell the user, and the checks, that the official arithmetic does not apply as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Row
from jixiao.text import nospace, simplify


@dataclass(frozen=True)
class Variant:
    code: str
    pattern: re.Pattern[str]
    message: str


VARIANTS = (
    Variant(
        "hubei-20-80",
        re.compile(r"预算执行情况.{0,12}[(（]20分[)）]|年度绩效目标\d?[(（]80分[)）]"),
        "湖北省格式：预算执行 20 分、绩效目标 80 分（非 10 号文的 10/90），分值按该格式理解",
    ),
    Variant(
        "weighted-scores",
        # one example: r018 — the weighted-scores variant's header words; either one shows it
        re.compile(r"权重占比|折算得分"),
        "指标得分再按权重占比折算（单项得分 × 权重 = 折算得分）：“分值”与 10 号文含义不同，按折算得分核对",
    ),
    Variant(
        "split-target",
        re.compile(r"指标性质.{0,6}指标值.{0,6}度量单位"),
        "年度指标值分列为 指标性质 / 指标值 / 度量单位（四川、云南等地格式），已合并为一个目标值",
    ),
    Variant(
        "rubric",
        re.compile(r"项目决策(?=.*项目(?:过程|管理))(?=.*项目(?:产出|绩效))(?=.*项目效益)"),
        "评价指标体系（决策 / 过程 / 产出 / 效益）式的打分表，非 10 号文自评表：逐项分值按该体系理解",
    ),
)


@lru_cache(maxsize=16384)
def _folded(text: str) -> str:
    return simplify(nospace(text))


def detect(rows: list[Row], path: str) -> list[Finding]:
    """Info findings naming the variants the document's text shows."""
    # each cell folded on its own (as every label is: no t2s phrase spans two cells), and memoised as a cell
    text = "".join(_folded(c.text) for r in rows for c in r.cells)
    out = []
    for v in VARIANTS:
        m = v.pattern.search(text)
        if m:
            out.append(
                Finding(
                    code="PARSE-VARIANT",
                    name=v.code,
                    severity=Severity.INFO,
                    message=v.message,
                    source=rows[0].ref if rows else SourceRef(path=path),
                    actual=m.group(0)[:40],
                )
            )
    return out
