"""Scoring rubrics: 一级 / 二级 / 三级 indicators each with its own 分值, the leaves also with 得分.

Some departments publish their self-evaluation as the evaluation framework of 10号 Att. 2 (决策 / 过程 / 产出 /
效益) instead of the 10号 table: under a header ``一级指标 分值 二级指标 分值 三级指标 分值 得分`` every group prints
its own weight, and only the leaves carry a score::

    项目决策 20 | 项目目标 4 | 目标内容 4 4
                | 决策过程 8 | 决策依据 3 3
                |            | 决策程序 5 5

Read as a stream of cells (the layout rarely survives extraction), a label followed by one number opens a group and
a label followed by two numbers is a leaf (分值, 得分).  Whether a group is a 一级 or a 二级 follows from the
arithmetic: a group opened right after a 一级 is its 二级, and a group opened once the 一级's 二级 weights have
filled its own weight starts the next 一级; two groups in a row are a 一级 and its 二级 whatever the
arithmetic (a 一级 whose weights do not add up is left for check C-SE-10 to report).  A group repeated as merged cells are (the same label and weight) is the
same group.  What fits none of this is reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.forms.common import Context, key
from jixiao.model import Indicator, LevelWeight, Severity
from jixiao.readers.base import Cell, Row
from jixiao.text import parse_number, squash

__all__ = ["Rubric", "parse_rubric"]

_HEADER = ("一级指标", "分值", "二级指标", "分值")
# one example: none — one closing line of a rubric; the alternation holds the class
_END = re.compile(r"^(?:[一二三四五六七八九十]+、|合计|总计|总分|自评得分|评价结论|自评结论|存在的?问题)")
_TOTAL = re.compile(r"^(?:合计|总计|总分)")
_LONGEST_LABEL = 20  # longer texts are explanations (评分标准, 指标解释), not indicator names


@dataclass
class Rubric:
    """The rows and printed group weights of a rubric, and its 合计 line when printed."""

    indicators: list[Indicator] = field(default_factory=list)
    level_weights: list[LevelWeight] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    total_cell: Cell | None = None


@dataclass
class _Group:
    weight: LevelWeight
    filled: float = 0.0  # Σ weights printed under it so far

    @property
    def full(self) -> bool:
        return self.filled >= self.weight.weight - 0.01


def _open(level1: str, level2: str | None, weight: float, label: Cell, number: Cell) -> _Group:
    return _Group(LevelWeight(level1=level1, level2=level2, weight=weight, source=label.ref,
                              cells={"weight": number.ref}))  # fmt: skip


def _header_end(cells: list[Cell]) -> int | None:
    """The index just past a rubric header (一级指标 分值 二级指标 分值 [三级指标 分值] 得分), or None."""
    keys = [key(c.text) for c in cells]
    for i in range(len(keys) - len(_HEADER) + 1):
        if keys[i] != _HEADER[0] or tuple(keys[i : i + len(_HEADER)]) != _HEADER:
            continue
        j = i + len(_HEADER)
        # one example: none — a rubric's explanation column, with 评分标准 the class
        while j < len(keys) and keys[j] in ("三级指标", "分值", "得分", "评分标准", "指标解释"):
            j += 1
        return j
    return None


def parse_rubric(rows: list[Row], ctx: Context) -> Rubric | None:
    """The rubric printed in ``rows``, or None when they hold no rubric header."""
    cells = [c for r in rows for c in r.cells if not c.empty]
    start = _header_end(cells)
    if start is None:
        return None
    items: list[tuple[Cell, list[Cell]]] = []  # each label with the numbers that follow it
    for cell in cells[start:]:
        text = squash(cell.text)
        if parse_number(text) is not None:
            if items:
                items[-1][1].append(cell)
            continue
        if items and _END.match(key(items[-1][0].text)):
            break  # the 合计 line has taken its numbers
        if len(key(text)) > _LONGEST_LABEL:
            continue
        items.append((cell, []))
    out = Rubric()
    l1: _Group | None = None
    l2: _Group | None = None
    last_was_group = False
    for label_cell, numbers in items:
        label = squash(label_cell.text)
        values = [parse_number(squash(n.text)) for n in numbers]
        if _END.match(key(label)):
            if _TOTAL.match(key(label)) and len(values) == 2:
                out.total_weight, out.total_score, out.total_cell = values[0], values[1], label_cell
            break
        if len(values) == 1 and values[0] is not None:
            weight = values[0]
            same = [
                g
                for g in (l1, l2)
                if g and g.weight.weight == weight and key(g.weight.level2 or g.weight.level1) == key(label)
            ]
            if same:
                continue  # a merged cell printed again on the next row
            if l1 is None or (not last_was_group and l1.full):
                l1 = _open(label, None, weight, label_cell, numbers[0])
                l2 = None
                out.level_weights.append(l1.weight)
            elif last_was_group and l2 is not None:
                # Two groups in a row: the first opens a 一级 after all (its predecessor's weights do not add up,
                # which C-SE-10 reports), and this one is its 二级.
                l1.filled -= l2.weight.weight
                out.level_weights.remove(l2.weight)
                l1 = _Group(l2.weight.model_copy(update={"level1": l2.weight.level2, "level2": None}))
                out.level_weights.append(l1.weight)
                l2 = _open(l1.weight.level1, label, weight, label_cell, numbers[0])
                l1.filled += weight
                out.level_weights.append(l2.weight)
            else:
                l2 = _open(l1.weight.level1, label, weight, label_cell, numbers[0])
                l1.filled += weight
                out.level_weights.append(l2.weight)
            last_was_group = True
            continue
        if len(values) == 2 and values[0] is not None and values[1] is not None:
            weight, score = values[0], values[1]
            out.indicators.append(Indicator(
                level1=l1.weight.level1 if l1 else None, level2=l2.weight.level2 if l2 else None, name=label,
                weight=weight, score=score, source=label_cell.ref,
                cells={"name": label_cell.ref, "weight": numbers[0].ref, "score": numbers[1].ref},
            ))  # fmt: skip
            if l2 is not None:
                l2.filled += weight
            elif l1 is not None:
                l1.filled += weight
            last_was_group = False
            continue
        if values:
            ctx.report("PARSE-AMBIGUOUS", f"评分表中“{label}”后有 {len(values)} 个数字，无法对应分值和得分，未读取",
                       label_cell.ref, Severity.WARNING, actual=" ".join(squash(n.text) for n in numbers))  # fmt: skip
        # a label with no number: a truncated row or a note; nothing to read
    return out if out.indicators else None
