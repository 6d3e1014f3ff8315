"""Category cells printed at the middle of their merged span, as PDF text extraction gives them.

A merged 一级/二级指标 cell spans several indicator rows; a table extracted as text prints its label once, on the
row at the vertical middle of the span, and leaves the rows above and below it empty.  Read top-aligned (each
label owning the rows after it), the rows above a label go to the category before it: a wrong value.

This module reads such a column back.  Each printed label marks the middle of its own span; the spans are
contiguous and cover the indicator rows, so every partition of the rows into spans centred on their labels is a
candidate reading.  A span of even length has two middle rows, and the extractor's choice is the same across a
document, so candidates are taken with one rounding throughout (the upper middle, or the lower), from either.  A
family label (产出指标 …) constrains the spans of its sub-categories (数量指标 …) the same way.  A row gets the
category that every candidate gives it; where candidates disagree it gets none — a value left out, never a
wrong one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.forms import categories as cat
from jixiao.model import Indicator

Levels = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class _Mark:
    row: int
    family: str
    sub: str | None  # None: a family printed without sub-categories, its own span


def _family_of(label: str) -> str | None:
    return label if label in cat.LEVEL1 else None


def _sub_of(label: str) -> str | None:
    return label if label in cat.LEVEL2_PARENT and label not in cat.LEVEL1 else None


def _ends(a: int, m: int, upper: bool) -> tuple[int, int]:
    """The two span ends ``b`` for which row ``m`` is the middle of ``[a, b)``: with ``upper``, the upper of the
    two middle rows of an even span (``(a + b - 1) // 2``), else the lower one."""
    return (2 * m + 1 - a, 2 * m + 2 - a) if upper else (2 * m - a, 2 * m + 1 - a)


def _middle(a: int, b: int, upper: bool) -> int:
    return (a + b - 1) // 2 if upper else (a + b) // 2


def _boundaries(
    marks: Sequence[_Mark], n: int, family_rows: dict[str, int], upper: bool
) -> list[set[int]] | None:
    """For each mark, the starts its span can have in a reading where every span is centred on its mark (and
    every family on its family label) with one rounding; the last set holds ``n``.  None: no such reading."""
    k = len(marks)
    # states[j]: (start of mark j's span, start of its family's span) reachable from the top
    states: list[set[tuple[int, int]]] = [{(0, 0)}]
    edges: list[set[tuple[tuple[int, int], tuple[int, int]]]] = []
    for j, mk in enumerate(marks):
        last = j == k - 1
        closes = last or marks[j + 1].family != mk.family
        limit = n if last else marks[j + 1].row
        nxt: set[tuple[int, int]] = set()
        out: set[tuple[tuple[int, int], tuple[int, int]]] = set()
        for a, fam_start in states[j]:
            for b in _ends(a, mk.row, upper):
                if b <= mk.row or b > limit or (last and b != n):
                    continue
                if (
                    closes
                    and mk.family in family_rows
                    and _middle(fam_start, b, upper) != family_rows[mk.family]
                ):
                    continue
                state = (b, b if closes else fam_start)
                nxt.add(state)
                out.add(((a, fam_start), state))
        if not nxt:
            return None
        states.append(nxt)
        edges.append(out)
    # back from the end: keep the states on a path that reaches row n
    alive = states[k]
    starts: list[set[int]] = [{n}]
    for j in range(k - 1, -1, -1):
        alive = {src for src, dst in edges[j] if dst in alive}
        starts.append({a for a, _ in alive})
    starts.reverse()
    return starts


def centred_levels(printed: Sequence[Sequence[str]]) -> list[Levels] | None:
    """The (一级, 二级) category of each indicator row from the canonical labels ``printed`` on it, reading each
    label as printed at the middle of its span; None when no reading centres every label (the table is printed
    some other way, or its labels contradict each other)."""
    n = len(printed)
    subs_of: dict[str, int] = {}
    family_at: dict[str, list[int]] = {}
    rows: list[tuple[int, str | None, str | None]] = []
    for i, labels in enumerate(printed):
        families = [f for f in (_family_of(lb) for lb in labels) if f]
        subs = [s for s in (_sub_of(lb) for lb in labels) if s]
        if len(families) > 1 or len(subs) > 1:
            return None
        family = families[0] if families else None
        sub = subs[0] if subs else None
        if sub is not None:
            parent = cat.parent(sub)
            if family is not None and parent != family and family != "成本指标":
                return None  # a sub-category under another family on the same row: not this layout
            subs_of[parent or ""] = subs_of.get(parent or "", 0) + 1
        if family is not None:
            family_at.setdefault(family, []).append(i)
        if family is not None or sub is not None:
            rows.append((i, family, sub))
    marks: list[_Mark] = []
    for i, fam, sub_cat in rows:
        if sub_cat is not None:
            marks.append(_Mark(i, cat.parent(sub_cat) or fam or "", sub_cat))
        elif fam is not None and not subs_of.get(fam):
            marks.append(_Mark(i, fam, None))
    if not marks:
        return None
    # a family label fixes its family's span where the family is printed once, as one run of marks
    runs: dict[str, int] = {}
    for j, mk in enumerate(marks):
        if j == 0 or marks[j - 1].family != mk.family:
            runs[mk.family] = runs.get(mk.family, 0) + 1
    family_rows = {
        f: at[0]
        for f, at in family_at.items()
        if len(at) == 1 and runs.get(f) == 1 and any(mk.family == f and mk.sub for mk in marks)
    }
    readings = [b for b in (_boundaries(marks, n, family_rows, upper) for upper in (True, False)) if b]
    if not readings:
        return None
    k = len(marks)
    lo = [min(min(r[j]) for r in readings) for j in range(k + 1)]  # earliest start of span j in any reading
    hi = [max(max(r[j]) for r in readings) for j in range(k + 1)]  # latest start
    out: list[Levels] = []
    for i in range(n):
        owners = [marks[j] for j in range(k) if lo[j] <= i < hi[j + 1]]
        owned = {mk.family for mk in owners}
        out.append((owned.pop() if len(owned) == 1 else None, owners[0].sub if len(owners) == 1 else None))
    return out


def not_top_aligned(printed: Sequence[Sequence[str]]) -> bool:
    """Labels that cannot be top-aligned: the first indicator row prints no category (or no family) that later
    rows print — a top-aligned table prints its first category on its first row."""
    if not printed:
        return False

    def families(labels: Sequence[str]) -> bool:
        return any(_family_of(lb) for lb in labels)

    later = printed[1:]
    return (not printed[0] and any(later)) or (not families(printed[0]) and any(families(r) for r in later))


def recentre(indicators: Sequence[Indicator], printed: Sequence[Sequence[str]]) -> None:
    """Categories printed at the middle of their merged spans read back as spans: each indicator gets the
    category every centred reading gives it, or none where they disagree.  A table whose first indicator row
    prints its first category is top-aligned and keeps the running reading."""
    if len(printed) != len(indicators) or not not_top_aligned(printed):
        return
    levels = centred_levels(printed)
    if levels is None:
        return
    for ind, (family, sub) in zip(indicators, levels, strict=True):
        ind.level1, ind.level2 = cat.export_levels(family, sub)
