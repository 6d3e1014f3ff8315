"""绩效自评表 (project expenditure self-evaluation) from a grid.

Rows are recognised by what their cells are, not where they sit: the label cells (项目名称, 年度资金总额, 总分 …)
anchor the values after them; an indicator row is found by its two numeric cells (分值, 得分) and read from the
header's column map when it lines up, or from its cells' content when extraction has slid it left or right.
Category labels are kept as a running state (a row inherits the merged cells above it); where a label is
inconsistent with the more specific label next to the indicator (``满意度指标 | 服务对象满意度指标 |
可持续影响指标``), the outer labels were moved onto the wrong row and are applied to the next row instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.forms import categories as cat
from jixiao.forms import spans, vocabulary
from jixiao.forms.common import (
    Context,
    clean,
    column_key,
    is_filler,
    key,
    key_positions,
    labelled,
    money_unit,
    name_after_file_number,
    number,
    once_per_row,
    prints_label,
    row_keys,
    value_after,
)
from jixiao.model import FundLine, Goal, Indicator, SelfEvaluation, Severity, SourceRef
from jixiao.readers.base import Cell, Row
from jixiao.text import is_null_mark, parse_number, squash, squash_join

FUND_LINE = re.compile(
    r"^(年度资金总额|其中[:：]?\S{0,12}?(?:拨款|资金)|上年结转资金|上年结转|其他资金)[:：]?$"
)
# The label cell that opens the fund table's header row (项目资金(万元) in the 10号 form, 年度预算数(万元) in the
# Sichuan one), and the header's column names.
_FUND_HEADER_LABELS = vocabulary.SE_FUND_HEADER_LABELS
_FUND_FIELDS = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")
_TOTAL = frozenset({"总分", "合计", "总计"})
_GOAL_LABELS = frozenset(vocabulary.SE_GOAL_LABELS)
_GOAL_EXPECTED = frozenset(vocabulary.SE_GOAL_EXPECTED)
_GOAL_ACTUAL = frozenset(vocabulary.SE_GOAL_ACTUAL)
_UNIT_LABELS = (*vocabulary.SE_DEPARTMENT_LABELS, *vocabulary.SE_UNIT_LABELS)
_UNIT_STOPS = (*vocabulary.SE_PROJECT_LABELS, *vocabulary.SE_OTHER_HEADER_LABELS)
_UNIT_LABEL_SET = frozenset(_UNIT_LABELS)


def _index(row: Row, *labels: str) -> int | None:
    """Where the row prints the first of ``labels`` (in the labels' order) that it prints at all."""
    at = key_positions(row)
    for label in labels:
        i = at.get(label)
        if i is not None:
            return i
    return None


_VALUE_START = re.compile(r"^\s*(?:[≥≤<>=≧≦﹦═‹›＞＜＝±]|大于|小于|不低于|不高于|不超过|\d)")


def _value_like(text: str) -> bool:
    """A printed target or actual value (``≥90%``, ``100``, ``>=36万``) rather than an indicator name."""
    return bool(_VALUE_START.match(text))


def _plain_number(text: str) -> bool:
    return parse_number(text) is not None


@dataclass
class _Columns:
    """Column positions (0-based) of the indicator header, when the table printed one."""

    name: int
    target: int | None = None
    actual: int | None = None
    weight: int | None = None
    score: int | None = None
    deviation: int | None = None
    target_op: int | None = None
    target_unit: int | None = None
    level1: int | None = None  # the 一级指标 column, where the header prints one

    @property
    def split_target(self) -> bool:
        return self.target_op is not None or self.target_unit is not None


def _indicator_header(keys: list[str]) -> _Columns | None:
    if "三级指标" not in keys:
        return None
    found: dict[str, int] = {}
    for i, k in enumerate(keys):
        fld = vocabulary.SE_INDICATOR_COLUMNS.get(column_key(k))
        if fld is not None and fld not in found:
            found[fld] = i
    if "name" not in found or ("target" not in found and "weight" not in found):
        return None
    level1 = keys.index("一级指标") if "一级指标" in keys else None
    return _Columns(
        name=found["name"],
        level1=level1 if level1 is not None and level1 < found["name"] else None,
        target=found.get("target"),
        actual=found.get("actual"),
        weight=found.get("weight"),
        score=found.get("score"),
        deviation=found.get("deviation"),
        target_op=found.get("target_op"),
        target_unit=found.get("target_unit"),
    )


@dataclass
class _RowParts:
    labels: list[Cell]
    name: Cell
    target: Cell | None
    actual: Cell | None
    weight: Cell | None
    score: Cell | None
    deviation: Cell | None


def _positional(row: Row, cols: _Columns) -> _RowParts | None:
    cells = row.cells
    if cols.weight is None or cols.score is None or len(cells) <= max(cols.weight, cols.score):
        return None
    w, s, n = cells[cols.weight], cells[cols.score], cells[cols.name]
    if not (_plain_number(w.text) and _plain_number(s.text)) or n.empty or cat.canonical(n.text):
        return None
    last = max(c for c in (cols.deviation, cols.score, cols.weight) if c is not None)
    if any(not c.empty for c in cells[last + 1 :]):
        return None
    labels = [c for c in cells[: cols.name] if not c.empty and key(c.text) != "绩效指标"]

    def at(i: int | None) -> Cell | None:
        if i is None or i >= len(cells) or cells[i].empty:
            return None
        return cells[i]

    target = at(cols.target)
    if cols.split_target:
        target = _glue([at(cols.target_op), target, at(cols.target_unit)])
    return _RowParts(labels, n, target, at(cols.actual), w, s, at(cols.deviation))


def _glue(parts: list[Cell | None]) -> Cell | None:
    """Operator, value and unit printed in separate columns, as one target (``≧ | 735 | 人次`` → ``≧735人次``)."""
    present = [c for c in parts if c is not None]
    if not present:
        return None
    return present[0].retext("".join(c.text.strip() for c in present))


def _by_content(row: Row, cols: _Columns | None) -> _RowParts | None:
    cells = [c for c in row.cells if not c.empty and key(c.text) != "绩效指标"]
    pick = None
    for i in range(len(cells) - 2, -1, -1):
        if len(cells) - (i + 2) > 1:
            break
        if _plain_number(cells[i].text) and _plain_number(cells[i + 1].text):
            pick = i
            break
    if pick is None or pick == 0:
        return None
    weight, score = cells[pick], cells[pick + 1]
    deviation = cells[pick + 2] if pick + 2 < len(cells) else None
    prefix = cells[:pick]
    labels: list[Cell] = []
    while (
        len(prefix) > 1
        and cat.canonical(prefix[0].text)
        and (len(prefix) > 3 or not _value_like(prefix[1].text))
    ):
        labels.append(prefix.pop(0))
    if len(prefix) > 3 and not (
        cols is not None and cols.split_target
    ):  # unrecognised labels before the values
        labels.extend(prefix[:-3])
        prefix = prefix[-3:]
    name = prefix[0]
    target = actual = None
    if cols is not None and cols.split_target and len(prefix) >= 3:
        return _RowParts(labels, name, _glue(list(prefix[1:-1])), prefix[-1], weight, score, deviation)
    if len(prefix) == 3:
        target, actual = prefix[1], prefix[2]
    elif len(prefix) == 2:
        lone = prefix[1]
        if cols is not None and cols.target is not None and cols.actual is not None:
            offset = row.cells.index(name) - cols.name
            pos = row.cells.index(lone) - offset
            if abs(pos - cols.actual) < abs(pos - cols.target):
                actual = lone
            else:
                target = lone
        else:
            target = lone
    return _RowParts(labels, name, target, actual, weight, score, deviation)


def _score_only(row: Row, cols: _Columns) -> _RowParts | None:
    """A row of a table that prints 得分 but no 分值 (weights only on the 一级 labels, ``产出指标(40分)``).

    Its cells are placed by the header's column order, not its positions: a header may open with a block label
    the rows do not repeat (``年度绩效目标1 (80分) | 一级指标 | …``), and merged cells leave a row without its
    outer labels (above) or its 得分 (spanning the row above).  A row ending in a number ends at 得分; any other
    row starts at the column its first cell names (一级 or 二级 category, else 三级)."""
    assert cols.score is not None
    cells = [c for c in row.cells if not c.empty and not is_filler(c.text) and key(c.text) != "绩效指标"]
    if not cells:
        return None
    first = cols.level1 if cols.level1 is not None else cols.name
    last = max(c for c in (cols.score, cols.deviation) if c is not None)

    def place(start: int) -> dict[int, Cell] | None:
        if start < first or start > cols.name or start + len(cells) - 1 > last:
            return None
        at = {start + n: c for n, c in enumerate(cells)}
        name = at.get(cols.name)
        if name is None or cat.canonical(name.text) or len(at) == 1:
            return None
        return at

    at = place(cols.score - len(cells) + 1) if _plain_number(cells[-1].text) else None
    if at is None:
        lead = cat.canonical(cells[0].text)
        if lead is None:
            at = place(cols.name)
        else:
            at = place(first if cat.is_level1(lead) else min(first + 1, cols.name))
    if at is None:
        return None
    labels = [c for i, c in sorted(at.items()) if i < cols.name]

    def get(i: int | None) -> Cell | None:
        return None if i is None else at.get(i)

    target = get(cols.target)
    if cols.split_target:
        target = _glue([get(cols.target_op), target, get(cols.target_unit)])
    return _RowParts(
        labels, at[cols.name], target, get(cols.actual), None, get(cols.score), get(cols.deviation)
    )


class Levels:
    """The running 一级/二级 category state of an indicator table."""

    def __init__(self) -> None:
        self.level1: str | None = None
        self.level2: str | None = None
        self.pending: list[str] = []

    def _apply(self, label: str) -> None:
        if cat.is_level1(label):
            self.level1, self.level2 = label, None
        elif label == "成本指标" and self.level1 is None:
            self.level1, self.level2 = "成本指标", None
        else:
            self.level2 = label
            par = cat.parent(label)
            if par is not None and par != self.level1 and par != "成本指标":
                self.level1 = par

    def row(self, labels: list[str]) -> tuple[str | None, str | None]:
        labels = [*self.pending, *labels]
        self.pending = []
        known = [lb for lb in labels if lb in cat.LEVEL1 or lb in cat.LEVEL2_PARENT]
        # The innermost 二级 label decides; outer labels of another family were printed a row too early.
        inner = next(
            (lb for lb in reversed(known) if lb in cat.LEVEL2_PARENT and not cat.is_level1(lb)), None
        )
        if inner is not None and inner != "成本指标":
            fam = cat.parent(inner)
            outer = known[: known.index(inner)]
            if any(cat.parent(lb) not in (fam, None) for lb in outer if lb != "成本指标"):
                saved = (self.level1, self.level2)
                self.pending = outer
                self.level1, self.level2 = saved
                labels = [inner]
        for lb in labels:
            self._apply(lb)
        return self.level1, self.level2


def _label_category(cell: Cell, position: int, count: int) -> str:
    canon = cat.canonical(cell.text)
    if canon is not None:
        return canon
    return squash(cell.text)


def parse_self_evaluation(
    rows: list[Row], ctx: Context, year: int | None, *, headless: bool | None = None
) -> SelfEvaluation:
    """A self-evaluation from its rows; ``headless`` is :func:`is_headless_table` of the rows where the caller
    knows it already."""
    doc = SelfEvaluation(year=year, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line))
    cols: _Columns | None = None
    fund_cols: dict[str, int] | None = None
    goal_cols: tuple[int | None, int | None] = (None, None)
    in_goal = False
    in_indicators = False
    levels = Levels()
    headers = 0
    printed: list[list[str]] = []  # the categories printed on each indicator row, for a centred reading
    labels_alone = False  # a row of category labels only: labels printed apart from their rows
    unit_seen = False
    if headless is None:
        headless = is_headless_table(rows)

    for row in rows:
        keys = row_keys(row)
        first = next((k for k in keys if k), "")

        i = _index(row, *vocabulary.SE_PROJECT_LABELS)
        if i is not None and doc.project is None:
            c = value_after(row, i)
            doc.project = clean(c.text) if c else None
            if c is not None:
                rest = value_after(row, row.cells.index(c))
                doc.project = clean(name_after_file_number(c.text, rest.text if rest else None))
            if c is not None:
                doc.cells["project"] = c.ref
            if c is None:
                ctx.report("PARSE-MISSING", "项目名称为空", row.ref)
            continue
        units = labelled(row, *_UNIT_LABELS, stop=_UNIT_STOPS) if prints_label(row, _UNIT_LABEL_SET) else None
        if units:
            for labels, fld in (
                (vocabulary.SE_DEPARTMENT_LABELS, "department"),
                (vocabulary.SE_UNIT_LABELS, "implementing_unit"),
            ):
                for label in labels:
                    if label in units and getattr(doc, fld) is None:
                        c = units[label]
                        setattr(doc, fld, clean(c.text) if c else None)
                        if c is not None:
                            doc.cells[fld] = c.ref
            continue
        if any(k.startswith(_FUND_HEADER_LABELS) for k in keys):
            unit = money_unit(row.joined("").split("年初")[0])
            if unit:
                doc.money_unit = unit  # type: ignore[assignment]
                unit_seen = True
            fund_cols = {}
            for idx, k in enumerate(keys):
                column = vocabulary.SE_FUND_COLUMNS.get(column_key(k))
                if column is not None and column not in fund_cols:
                    fund_cols[column] = idx
            continue
        if not unit_seen and first in ("(万元)", "(元)", "（万元）", "（元）"):
            unit = money_unit(first)
            if unit:
                doc.money_unit = unit  # type: ignore[assignment]
                unit_seen = True
        fund_idx = next((idx for idx, k in enumerate(keys) if FUND_LINE.match(k)), None)
        if fund_idx is not None and not in_indicators:
            if any(not c.empty for c in row.cells[fund_idx + 1 :]):  # a line printing nothing is left out
                doc.funds.append(_fund_line(row, fund_idx, ctx, fund_cols))
            continue
        if first in _GOAL_LABELS or (
            not _GOAL_EXPECTED.isdisjoint(keys) and not _GOAL_ACTUAL.isdisjoint(keys)
        ):
            in_goal = True
            goal_cols = (
                next((idx for idx, k in enumerate(keys) if k in _GOAL_EXPECTED), None),
                next((idx for idx, k in enumerate(keys) if k in _GOAL_ACTUAL), None),
            )
            continue
        header = _indicator_header(keys)
        if header is not None:
            cols = header
            headers += 1
            in_goal = False
            in_indicators = True
            continue
        if in_goal and not in_indicators:
            _goal_row(doc, row, goal_cols)
            continue
        if headless:
            continue  # its indicator rows and total are read by their typed pattern below
        if first in _TOTAL or (keys and any(k in _TOTAL for k in keys[:3]) and first in _TOTAL | {""}):
            nums = [c for c in row.cells if _plain_number(c.text)]
            if len(nums) >= 2:
                doc.total_weight = parse_number(nums[0].text)
                doc.total_score = parse_number(nums[1].text)
                doc.cells.update(total_weight=nums[0].ref, total_score=nums[1].ref)
            elif len(nums) == 1:
                doc.total_score = parse_number(nums[0].text)
                ctx.report("PARSE-MISSING", "总分行只有一个数字，按得分读取", row.ref)
            else:
                ctx.report("PARSE-MISSING", "总分行没有数字", row.ref)
            doc.total_source = row.ref
            continue
        # one example: r040 — the grade row's label; with 评分等级 and 等级 the class
        g = _index(row, "评分等级", "自评等级", "等级")
        if g is not None:
            c = value_after(row, g)
            doc.grade = clean(c.text) if c else None
            if c is not None:
                doc.cells["grade"] = c.ref
            continue
        if in_indicators:
            if cols is not None and cols.weight is None and cols.score is not None:
                parts = _score_only(row, cols)
            else:
                parts = (_positional(row, cols) if cols else None) or _by_content(row, cols)
            if parts is None:
                labels_only = [c for c in row.cells if not c.empty and key(c.text) != "绩效指标"]
                if labels_only and all(cat.canonical(c.text) for c in labels_only):
                    levels.row([cat.canonical(c.text) or "" for c in labels_only])
                    labels_alone = True
                    continue
                if labels_only:
                    ctx.report(
                        "PARSE-ROW",
                        f"无法识别为指标行：“{squash(row.joined(' | '))[:60]}”",
                        row.ref,
                    )
                continue
            lab = [_label_category(c, n, len(parts.labels)) for n, c in enumerate(parts.labels)]
            l1, l2 = levels.row(lab)
            l1, l2 = cat.export_levels(l1, l2)
            printed.append([lb for lb in lab if cat.parent(lb)])
            ind = Indicator(
                level1=l1,
                level2=l2,
                name=squash(parts.name.text),
                target=clean(parts.target.text) if parts.target else None,
                actual=clean(parts.actual.text) if parts.actual else None,
                weight=number(ctx, parts.weight, "分值"),
                score=number(ctx, parts.score, "得分"),
                deviation=clean(parts.deviation.text) if parts.deviation else None,
                source=row.ref,
                cells={
                    k: c.ref
                    for k, c in (
                        ("name", parts.name),
                        ("target", parts.target),
                        ("actual", parts.actual),
                        ("weight", parts.weight),
                        ("score", parts.score),
                        ("deviation", parts.deviation),
                    )
                    if c is not None
                },
            )
            doc.indicators.append(ind)
            continue

    if headers == 1 and not labels_alone and len(printed) == len(doc.indicators):
        spans.recentre(doc.indicators, printed)
    if headless:
        read_headless(doc, rows, ctx)
    if doc.project is None and headless:
        ctx.report("PARSE-MISSING", "表格从中间开始（表头和项目名称不在此处），未找到项目名称", doc.source)
    elif doc.project is None:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    if not doc.indicators:
        ctx.report("PARSE-MISSING", "未找到任何绩效指标行", doc.source, Severity.ERROR)
    if doc.total_weight is None and doc.total_score is None and doc.indicators:
        ctx.report("PARSE-MISSING", "未找到总分行（表格可能被截断）", doc.source)
    return doc


def _fund_line(row: Row, idx: int, ctx: Context, header: dict[str, int] | None) -> FundLine:
    """A fund line's values, placed by the header's columns (shifted with the label when the row slid), or in
    the standard order after the label when the table printed no header."""
    label = row.cells[idx]
    values: dict[str, Cell | None] = dict.fromkeys(_FUND_FIELDS)
    if header and len(header) >= 3:
        shift = idx + 1 - min(header.values())
        placed = {
            fld: row.cells[col + shift] for fld, col in header.items() if 0 <= col + shift < len(row.cells)
        }
    else:
        placed = dict(zip(_FUND_FIELDS, row.cells[idx + 1 :], strict=False))
    for fld, cell in placed.items():
        values[fld] = None if cell.empty or is_null_mark(cell.text) else cell
    line = FundLine(
        line=squash(label.text).rstrip(),
        source=row.ref,
        cells={k: v.ref for k, v in values.items() if v is not None},
    )
    for fld in _FUND_FIELDS:
        setattr(line, fld, number(ctx, values[fld], fld, percent=fld == "execution_rate"))
    return line


def _goal_row(doc: SelfEvaluation, row: Row, goal_cols: tuple[int | None, int | None]) -> None:
    cells = [c for c in row.cells if not c.empty and key(c.text) not in _GOAL_LABELS]
    if not cells:
        return
    goal = doc.goal or Goal(source=row.ref)
    if len(cells) >= 2:
        goal.expected = _join(goal.expected, cells[0].text)
        goal.actual = _join(goal.actual, " ".join(c.text for c in cells[1:]))
        goal.cells = {"expected": cells[0].ref, "actual": cells[1].ref}
    else:
        exp_col, act_col = goal_cols
        pos = row.cells.index(cells[0])
        if act_col is not None and exp_col is not None and abs(pos - act_col) < abs(pos - exp_col):
            goal.actual = _join(goal.actual, cells[0].text)
            goal.cells["actual"] = cells[0].ref
        else:
            goal.expected = _join(goal.expected, cells[0].text)
            goal.cells["expected"] = cells[0].ref
    doc.goal = goal


def _join(old: str | None, new: str) -> str | None:
    """Goal text continued by one more row's cell; ``old`` is always a previous ``_join`` (already squashed)."""
    return squash_join(old, new) or None if old else clean(new)


# --- Headless indicator tables ------------------------------------------------------------------------------------
# A page that starts mid-table (or the tail of one table before the head of the next) prints indicator rows with
# no header above them.  Rows of the split-target layout are still recognisable by their typed pattern:
# [一级] [二级] 三级 · 指标性质 · 指标值 · [度量单位] · then up to three of 完成值 · 分值 · 得分 (the Sichuan/Yunnan
# order).  Which trailing cell is which is decided for the whole table from rows where the type of a value leaves
# one reading only; where none does, the values are left out with a finding.

_OPERATORS = frozenset(
    {"=", "＝", "﹦", "═", "≥", "≤", "≧", "≦", ">", "<", "＞", "＜", ">=", "<=", "定性", "定量"}
)
_QUALITATIVE = frozenset({"定性"})
# A character of an operator: a cell whose key is an operator prints it (keys only drop spaces, glosses and colons,
# and no character t2s folds becomes one of these).
_OPERATOR_CHAR = re.compile("[" + re.escape("".join(sorted(set("".join(_OPERATORS))))) + "]").search


def may_print_operator(text: str) -> bool:
    """False when no piece of ``text`` can be keyed to an operator (``≥``, ``定性`` …)."""
    return _OPERATOR_CHAR(text) is not None


_TRAIL_ROLES: dict[int, tuple[str, ...]] = {3: ("actual", "weight", "score")}


@dataclass
class _SplitRow:
    row: Row
    labels: list[Cell]
    name: Cell
    target: Cell
    qualitative: bool
    trail: list[Cell]
    deviation: Cell | None


def _split_row(row: Row) -> _SplitRow | None:
    """A headless row of the split-target layout, or None; read once per row."""
    return once_per_row(row, "split", _read_split_row)


def _read_split_row(row: Row) -> _SplitRow | None:
    cells = [c for c in row.cells if not c.empty]
    if len(cells) < 3:
        return None  # a name, an operator and a value at the least
    if not any(may_print_operator(c.text) for c in cells[1:-1]):
        return None  # no cell between the name and the value prints an operator: none is keyed to find out
    op_at = next((i for i, c in enumerate(cells) if key(c.text) in _OPERATORS), None)
    if op_at is None or op_at == 0 or op_at + 1 >= len(cells):
        return None
    labels, name = cells[: op_at - 1], cells[op_at - 1]
    if not all(cat.canonical(c.text) for c in labels) or cat.canonical(name.text) or _value_like(name.text):
        return None
    qualitative = key(cells[op_at].text) in _QUALITATIVE
    value = cells[op_at + 1]
    if not qualitative and not _plain_number(value.text):
        return None
    rest = cells[op_at + 2 :]
    target_parts = [cells[op_at], value]
    if not qualitative and rest and not _plain_number(rest[0].text) and not re.search(r"\d", rest[0].text):
        target_parts.append(rest.pop(0))  # 度量单位
    deviation = None
    if rest and len(rest) > 1 and not _plain_number(rest[-1].text) and len(squash(rest[-1].text)) > 4:
        deviation = rest.pop()
    if len(rest) > 3:
        return None
    target = _glue(list(target_parts))
    assert target is not None
    return _SplitRow(row, labels, name, target, qualitative, rest, deviation)


def headless_rows(rows: list[Row]) -> list[_SplitRow]:
    """The rows of ``rows`` that read as headless split-target indicator rows carrying a weight, actual or score."""
    return [s for s in (_split_row(r) for r in rows) if s is not None and s.trail]


def is_headless_table(rows: list[Row]) -> bool:
    """Rows holding an indicator table with no header: at least two typed indicator rows and no 三级指标 header."""
    if sum(1 for r in rows if len(r.cells) >= 3) < 2:
        return False  # a typed row prints a name, an operator and a value at the least: text lines hold none

    def header() -> bool:
        return any("三级指标" in row_keys(r) and _indicator_header(row_keys(r)) for r in rows)

    # The cheaper test first (both are asked, the answer is the same): text lines rarely hold typed rows, and
    # keying each of their pieces to look for a header costs more; table rows are keyed by their parser anyway.
    if sum(1 for r in rows if r.table is None) > len(rows) / 2:
        return len(headless_rows(rows)) >= 2 and not header()
    return not header() and len(headless_rows(rows)) >= 2


def _num(cell: Cell) -> float:
    n = parse_number(cell.text)
    return 0.0 if n is None else n


def _trail_roles(split: list[_SplitRow], total: float | None) -> tuple[str, ...] | None:
    """The roles of the trailing cells (完成值 · 分值 · 得分 in printed order), or None when no reading is unique."""
    width = max(len(s.trail) for s in split)
    full = [s for s in split if len(s.trail) == width]
    if width in _TRAIL_ROLES:
        return _TRAIL_ROLES[width]
    firsts = [s.trail[0] for s in full]
    # A qualitative target (定性 · 优良中低差) has no numeric 完成值: a number after it is a 分值 or 得分.
    number_after_grade = any(s.qualitative and _plain_number(s.trail[0].text) for s in full)
    text_first = any(not _plain_number(c.text) for c in firsts)
    if width == 2:
        if text_first or any(_num(s.trail[1]) > _num(s.trail[0]) for s in full):
            return ("actual", "weight")  # a 得分 never exceeds its 分值, and a 分值 is a number
        if total is not None and sum(_num(c) for c in firsts) == total:
            return ("weight", "score")
        return None
    if text_first and not number_after_grade:
        return ("actual",)
    if number_after_grade and not text_first:
        return ("weight",)
    if total is not None and sum(_num(c) for c in firsts) == total:
        return ("weight",)
    return None


def read_headless(doc: SelfEvaluation, rows: list[Row], ctx: Context) -> None:
    """Indicators and the total of a headless split-target table, by the typed column pattern."""
    split = headless_rows(rows)
    after = rows[rows.index(split[0].row) :]
    total_row = next((r for r in after if r.filled and key(r.filled[0].text) in _TOTAL), None)
    total_nums = [c for c in total_row.filled[1:] if _plain_number(c.text)] if total_row else []
    total = parse_number(total_nums[0].text) if len(total_nums) == 1 else None
    roles = _trail_roles(split, total)
    if roles is None:
        ctx.report(
            "PARSE-AMBIGUOUS",
            "表头缺失，表尾数值列无法唯一判定为完成值、分值或得分，未读取这些数值",
            split[0].row.ref,
        )
    levels = Levels()
    for s in split:
        l1, l2 = levels.row([cat.canonical(c.text) or "" for c in s.labels])
        l1, l2 = cat.export_levels(l1, l2)
        placed: dict[str, Cell] = {}
        if roles is not None and len(s.trail) == len(roles):
            placed = dict(zip(roles, s.trail, strict=True))
        elif s.trail:
            ctx.report("PARSE-AMBIGUOUS", "该行数值个数与表中其他行不同，未读取", s.row.ref)
        for fld in ("weight", "score"):
            if fld in placed and not _plain_number(placed[fld].text):
                del placed[fld]
        if s.deviation is not None:
            placed["deviation"] = s.deviation
        doc.indicators.append(
            Indicator(
                level1=l1,
                level2=l2,
                name=squash(s.name.text),
                target=clean(s.target.text),
                actual=clean(placed["actual"].text) if "actual" in placed else None,
                weight=number(ctx, placed.get("weight"), "分值"),
                score=number(ctx, placed.get("score"), "得分"),
                deviation=clean(placed["deviation"].text) if "deviation" in placed else None,
                source=s.row.ref,
                cells={"name": s.name.ref, "target": s.target.ref, **{k: c.ref for k, c in placed.items()}},
            )
        )
    if total_row is not None and roles is not None:
        if len(total_nums) == 2 and "score" in roles:
            doc.total_weight, doc.total_score = (parse_number(c.text) for c in total_nums)
            doc.cells.update(total_weight=total_nums[0].ref, total_score=total_nums[1].ref)
        elif len(total_nums) == 1 and "score" not in roles:
            doc.total_weight = total
            doc.cells["total_weight"] = total_nums[0].ref
        doc.total_source = total_row.ref
