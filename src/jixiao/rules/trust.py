"""What the checks may trust: only the values the parser read with confidence.

A check that fires on a misread value reports the parser's mistake as the document's: an arithmetic error about
rows a cut table lacks, a 0% rate from a zero total row, a "score below weight" where 分值 means 权重占比.  So before
the checks run, a self-evaluation is reduced to what was read with confidence, and each check states the facts
it needs (``Check.needs``); a check whose facts the document does not establish does not run, and the parser's
own finding (PARSE-MISSING, PARSE-VARIANT …) is the one the user sees.

Facts:

* ``scores`` — 分值 and 得分 mean what 10号 Att. 1 means (weight and points of a row).  Not so when the parser
  reported a variant whose columns mean something else (``weighted-scores``: 单项得分 × 权重占比 = 折算得分).
* ``complete`` — the indicator table was read whole: its 总分 row was read and its first row carries its 一级
  label.  A table cut at the page end (no 总分) or starting mid-table (no 一级 on the first row) lacks rows, so
  sums over it (C-SE-10, 12, 13) say nothing about the document.

Rows: a row is trusted when its cells are of their fields' types — the name is not a value (``95%``, ``75元``)
nor a category label (``满意度指标``), and no cell holds a column header glued in (``指标值完成值8755分值得分``).
In a table that is not complete, the last row is dropped too when it lacks the actual or the score the other
rows print: the page end cut it.  Declarations are reduced the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.forms.categories import LEVEL1, LEVEL2_PARENT, canonical
from jixiao.forms.vocabulary import INDICATOR_HEADER
from jixiao.model import AnyDocument, Indicator, SelfEvaluation, TargetDeclaration

__all__ = ["COMPLETE", "SCORES", "facts", "row_trusted", "trusted_view"]

SCORES = "scores"
COMPLETE = "complete"

# parser variants (forms/variants.py codes) under which 分值 / 得分 are not the 10号 weight and points
_OTHER_MEANING = frozenset({"weighted-scores"})
# a value where a name belongs: 95%, 75元, ≥90, 8676
_VALUE = re.compile(r"^[≥≤<>=＞＜≧≦═]*\s*[\d.,]+\s*(?:%|％|[^\d\s]{0,2})$")
# column headers that never occur inside a cell's value (shorter words such as 分值 or 得分 do, in 评分标准)
_HEADERS = (*(h for h in INDICATOR_HEADER if len(h) >= 4), "偏差原因")
_HEADER = re.compile("|".join(re.escape(h) for h in _HEADERS))  # any of them, in one scan


def row_trusted(ind: Indicator) -> bool:
    """The row's cells are of their fields' types (see the module docstring)."""
    return _trusted(ind.name, ind.target, ind.actual)


@lru_cache(maxsize=65536)
def _trusted(name_text: str | None, target: str | None, actual: str | None) -> bool:
    name = "".join((name_text or "").split())
    if not name or _VALUE.match(name):
        return False
    category = canonical(name) if name.endswith("指标") else None
    if category in LEVEL1 or category in LEVEL2_PARENT:
        return False  # a category label read as an indicator
    for text in (name_text, target, actual):
        t = "".join((text or "").split())
        if _HEADER.search(t):
            return False
    return True


def _complete(doc: SelfEvaluation) -> bool:
    if not doc.indicators or (doc.total_weight is None and doc.total_score is None):
        return False
    return doc.indicators[0].level1 is not None


def facts(doc: AnyDocument) -> frozenset[str]:
    """The facts ``doc`` establishes (only self-evaluations can lack one)."""
    if not isinstance(doc, SelfEvaluation):
        return frozenset({SCORES, COMPLETE})
    out = set()
    if not any(f.code == "PARSE-VARIANT" and f.name in _OTHER_MEANING for f in doc.findings):
        out.add(SCORES)
    if _complete(doc) and all(row_trusted(i) for i in doc.indicators):
        out.add(COMPLETE)
    return frozenset(out)


def _cut(rows: list[Indicator]) -> bool:
    """The last row lacks a value every other row prints."""
    last, others = rows[-1], rows[:-1]
    return bool(others) and any(
        getattr(last, f) is None and all(getattr(i, f) is not None for i in others)
        for f in ("actual", "score")
    )


def trusted_view(doc: AnyDocument) -> AnyDocument:
    """``doc`` with the rows it does not establish left out (the document itself when every row is trusted)."""
    if not isinstance(doc, SelfEvaluation | TargetDeclaration) or not doc.indicators:
        return doc
    rows = [i for i in doc.indicators if row_trusted(i)]
    if isinstance(doc, SelfEvaluation) and rows and not _complete(doc) and _cut(rows):
        rows.pop()  # the page end cut the last row
    if len(rows) == len(doc.indicators):
        return doc
    return doc.model_copy(update={"indicators": rows})
