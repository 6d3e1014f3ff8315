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
from jixiao.rules.scoring import ScoreMemo

__all__ = ["COMPLETE", "SCORES", "assess", "clear_cache", "facts", "row_trusted", "trusted_view"]

SCORES = "scores"
COMPLETE = "complete"

# parser variants (forms/variants.py codes) under which 分值 / 得分 are not the 10号 weight and points
_OTHER_MEANING = frozenset({"weighted-scores"})
# a value where a name belongs: 95%, 75元, ≥90, 8676
_VALUE = re.compile(r"^[≥≤<>=＞＜≧≦═]*\s*[\d.,]+\s*(?:%|％|[^\d\s]{0,2})$")
# column headers that never occur inside a cell's value (shorter words such as 分值 or 得分 do, in 评分标准)
_HEADERS = (*(h for h in INDICATOR_HEADER if len(h) >= 4), "偏差原因")
_HEADER = re.compile("|".join(re.escape(h) for h in _HEADERS))  # any of them, in one scan


def row_trusted(ind: Indicator, memo: ScoreMemo | None = None) -> bool:
    """The row's cells are of their fields' types (see the module docstring).

    With a run's ``memo`` each name and each value text is judged once per run (a run's texts repeat across
    rows and tables), else a process-wide cache of (name, target, actual) serves.
    """
    if memo is None:
        return _trusted(ind.name, ind.target, ind.actual)
    names, clean = memo.names, memo.clean
    name, target, actual = ind.name, ind.target, ind.actual
    ok = names.get(name)
    if ok is None:
        if len(names) >= memo.limit:
            names.clear()
        ok = names[name] = _name_trusted(name)
    if not ok:
        return False
    ok = clean.get(target)
    if ok is None:
        if len(clean) >= memo.limit:
            clean.clear()
        ok = clean[target] = _no_header(target)
    if not ok:
        return False
    ok = clean.get(actual)
    if ok is None:
        if len(clean) >= memo.limit:
            clean.clear()
        ok = clean[actual] = _no_header(actual)
    return ok


def _no_header(text: str | None) -> bool:
    """No column header glued into the cell."""
    return _HEADER.search("".join((text or "").split())) is None


def _name_trusted(name_text: str | None) -> bool:
    """The name is a name: not a value, not a category label, no column header glued in."""
    name = "".join((name_text or "").split())
    if not name or _VALUE.match(name):
        return False
    category = canonical(name) if name.endswith("指标") else None
    if category in LEVEL1 or category in LEVEL2_PARENT:
        return False  # a category label read as an indicator
    return _HEADER.search(name) is None


@lru_cache(maxsize=65536)
def _trusted(name_text: str | None, target: str | None, actual: str | None) -> bool:
    return _name_trusted(name_text) and _no_header(target) and _no_header(actual)


def clear_cache() -> None:
    """Forget the process-wide cache of :func:`row_trusted` without a memo (for benchmarks that start cold)."""
    _trusted.cache_clear()


def _complete(doc: SelfEvaluation) -> bool:
    if not doc.indicators or (doc.total_weight is None and doc.total_score is None):
        return False
    return doc.indicators[0].level1 is not None


def _cut(rows: list[Indicator]) -> bool:
    """The last row lacks a value every other row prints."""
    last, others = rows[-1], rows[:-1]
    return bool(others) and any(
        getattr(last, f) is None and all(getattr(i, f) is not None for i in others)
        for f in ("actual", "score")
    )


_ALL = frozenset({SCORES, COMPLETE})
_SCORES_ONLY = frozenset({SCORES})
_COMPLETE_ONLY = frozenset({COMPLETE})
_NONE: frozenset[str] = frozenset()


def facts(doc: AnyDocument) -> frozenset[str]:
    """The facts ``doc`` establishes (only self-evaluations can lack one)."""
    return assess(doc)[0]


def trusted_view(doc: AnyDocument) -> AnyDocument:
    """``doc`` with the rows it does not establish left out (the document itself when every row is trusted)."""
    return assess(doc)[1]


def assess(doc: AnyDocument, memo: ScoreMemo | None = None) -> tuple[frozenset[str], AnyDocument]:
    """The facts ``doc`` establishes and its trusted view (see :func:`facts`, :func:`trusted_view`), each row
    judged once; ``memo``, a run's, remembers the judged texts for the run's other rows."""
    if not isinstance(doc, SelfEvaluation | TargetDeclaration):
        return _ALL, doc
    indicators = doc.indicators
    flags = [row_trusted(i, memo) for i in indicators]
    every = all(flags)
    if isinstance(doc, SelfEvaluation):
        scores = not any(f.code == "PARSE-VARIANT" and f.name in _OTHER_MEANING for f in doc.findings)
        complete = _complete(doc)
        have = (
            (_ALL if complete and every else _SCORES_ONLY)
            if scores
            else (_COMPLETE_ONLY if complete and every else _NONE)
        )
    else:
        complete = True
        have = _ALL
    if not indicators or (every and complete):
        return have, doc
    rows = [i for i, ok in zip(indicators, flags, strict=True) if ok] if not every else list(indicators)
    if isinstance(doc, SelfEvaluation) and rows and not complete and _cut(rows):
        rows.pop()  # the page end cut the last row
    if len(rows) == len(indicators):
        return have, doc
    return have, doc.model_copy(update={"indicators": rows})
