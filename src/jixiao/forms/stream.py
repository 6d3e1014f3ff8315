"""绩效自评表 read as a stream of cells, for layouts whose rows did not survive extraction.

Real documents come as one cell per line (``值 |``), one cell per paragraph, pipe rows broken in the middle, or a
whole table flattened onto one line.  The row structure is gone, but the order of the cells is not, and the
labels still say what follows them.  This parser walks the cells in order: labels (项目名称, 年度资金总额, 总分 …)
take the values after them; the header says which value columns an indicator row has and in which order; an
indicator is a name followed by its values.

Two kinds of stream: where empty cells survived (a ``|`` line, a blank paragraph holding a space), the values
after a name are positional; where they did not, the 分值/得分 pair (the last two numbers of the run of numbers
after the name) anchors the row, and the cells between name and pair are the target and actual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from jixiao.forms import categories as cat
from jixiao.forms import spans, vocabulary
from jixiao.forms.common import (
    Context,
    clean,
    column_key,
    is_filler,
    is_form_label,
    is_labelled_text,
    key,
    money_unit,
    name_after_file_number,
    number,
)
from jixiao.forms.glue import RATE_SLACK, SCORE_SLACK, expand_run, is_glued_run, split_labels
from jixiao.forms.self_eval import FUND_LINE, Levels
from jixiao.model import FundLine, Goal, Indicator, SelfEvaluation, Severity, SourceRef
from jixiao.readers.base import Cell, Row
from jixiao.text import is_null_mark, nospace, parse_number, squash

# The project row as a self-evaluation prints it (a transfer payment's form names it 转移支付(项目)名称), as the
# row parser reads it.
_PROJECT_KEYS = frozenset(key(label) for label in vocabulary.SE_PROJECT_LABELS)

_FUND_WORDS = vocabulary.SE_FUND_COLUMNS
_VALUE_WORDS = {w: f for w, f in vocabulary.SE_INDICATOR_COLUMNS.items() if f != "name"}
_HEADER_WORDS = frozenset(
    {*_FUND_WORDS, *_VALUE_WORDS, *vocabulary.SE_FUND_AMOUNT_LABELS, "一级指标", "二级指标", "三级指标"}
)
_SCORE_ONLY = re.compile(r"^[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_TOTAL = frozenset({"总分", "合计"})
_GOAL_HEADS = frozenset(
    {
        *vocabulary.SE_GOAL_LABELS,
        *vocabulary.SE_GOAL_EXPECTED,
        *vocabulary.SE_GOAL_ACTUAL,
        "年度目标",
    }
)
# A money unit printed in a cell of its own, under or after the label of the amounts it is the unit of.
_BARE_UNIT = re.compile(r"^[(（](?:万元|元)[)）]$")
# one example: r003 — the 10号 form's closing row, after the indicators
_STOP = frozenset({"总分", "合计", "其他需要说明事项"})


def _token_text(text: str) -> str:
    t = text.strip()
    while t.endswith("|"):
        t = t[:-1].rstrip()
    while t.startswith("|"):
        t = t[1:].lstrip()
    return t


# A note in parentheses: a unit after its number (``=100 (%)``, ``0 (次)``), or a column header's letters and unit
# (``全年预算数（A）``, ``执行率(%)``, ``分值(10分)``).  It belongs to the cell before it.
_NOTE = re.compile(r"^[(（][^()（）]{1,5}[)）]$")


def _with_notes(pieces: Iterable[str]) -> list[str]:
    """Pieces of one line with each note put back on the cell it annotates: a header word, or a value whose last
    character is a digit (a ``(50分)`` after a category label stands alone: the label lost its number)."""
    out: list[str] = []
    for piece in pieces:
        if out and _NOTE.match(piece) and not _NOTE.match(out[-1]):
            prev = out[-1]
            if column_key(prev + piece) in _HEADER_WORDS or column_key(prev) in _HEADER_WORDS:
                out[-1] = prev + piece
                continue
            if prev[-1:].isdigit() and not any(ch.isdigit() for ch in piece):
                out[-1] = f"{prev} {piece}"
                continue
        out.append(piece)
    return out


def _spaced_label(text: str) -> bool:
    """A label printed letter-spaced across its merged cell (``年度 总体 目标``, ``绩效 指标``): one cell."""
    k = key(text)
    return is_form_label(k) or k in _GOAL_HEADS or column_key(k) in _HEADER_WORDS


def cells(rows: list[Row]) -> list[Cell]:
    """Every cell in reading order; a pipe-only or whitespace-only line is one empty cell."""
    out: list[Cell] = []
    for row in rows:
        if row.table is None and len(row.cells) == 1:
            c = row.cells[0]
            parts, spaced = _line_cells(c.text)
            if spaced:
                out.extend(c.moved(part, n) for n, part in enumerate(parts, start=1))
            else:
                out.extend(c.retext(part) for part in parts)
            continue
        out.extend(c.retext(_token_text(c.text)) for c in row.cells)
    return out


@lru_cache(maxsize=16384)
def _line_cells(printed: str) -> tuple[tuple[str, ...], bool]:
    """The cells of a plain line, and whether spaces separated them (else they are glued at the labels, or the
    line is one cell); made once per text (labels, values and blank lines repeat)."""
    text = _token_text(printed)
    if len(text.split()) > 1 and not _spaced_label(text):
        return tuple(_with_notes([p for piece in text.split() for p in split_labels(piece)])), True
    return tuple(_with_notes(split_labels(text))), False


def _prefixes(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w[:n] for w in words for n in range(1, len(w) + 1))


# The first pieces a broken label can start with: a prefix of a header word or of a category (with the
# ``类指标`` its printed form may end in).  A first piece that is none of them (or has no bracket, where a
# header's note or a category's points begin) cannot start a joined label: most pieces are values and names,
# and the joined pair is a string never seen before, costly to fold.
_JOIN_PREFIXES = _prefixes(
    [*_HEADER_WORDS, *cat.LEVEL1, *cat.LEVEL2_PARENT, *(c[:-2] + "类指标" for c in cat.LEVEL2_PARENT)]
)


def _may_start_label(k: str) -> bool:
    return k in _JOIN_PREFIXES or "(" in k or "（" in k


def _join_fragments(tokens: list[Cell]) -> list[Cell]:
    """Labels broken over two cells (``年度``/``指标值``, ``经济效益``/``指标``, ``可持续影``/``响指标``) joined."""
    out: list[Cell] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        k = _opening(t.text)
        if k is not None:
            j = i + 1
            while j < n and not tokens[j].text:
                j += 1
            if j < n and j - i <= 2:
                nxt = key(tokens[j].text)
                if _joins(k, nxt):
                    out.append(t.retext(k + nxt))
                    i = j + 1
                    continue
        out.append(t)
        i += 1
    return out


@lru_cache(maxsize=16384)
def _opening(text: str) -> str | None:
    """The key of a cell that may open a label broken over two cells; None for a whole label or a blank."""
    k = key(text)
    if k and column_key(k) not in _HEADER_WORDS and (cat.canonical(text) is None or not k.endswith("指标")):
        return k
    return None


@lru_cache(maxsize=16384)
def _joins(k: str, nxt: str) -> bool:
    """Whether the keys of two cells are the pieces of one label."""
    both = k + nxt
    if FUND_LINE.match(both) is not None and FUND_LINE.match(k) is None:  # 其中:当年财政 / 拨款
        return True
    return _may_start_label(k) and (
        column_key(both) in _HEADER_WORDS
        or (cat.canonical(both) is not None and len(k) >= 2 and cat.canonical(k) is None)
        or (nxt == "指标" and cat.canonical(both) is not None)
    )


def _plain(text: str) -> bool:
    return parse_number(text) is not None


def parse_stream(rows: list[Row], ctx: Context, year: int | None) -> SelfEvaluation:
    tokens = _join_fragments(cells(rows))
    doc = SelfEvaluation(year=year, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line))
    n = len(tokens)
    empties = sum(1 for t in tokens if not t.text)
    # An export of one cell per line that keeps the blank cells is 42-75% empty (r006, r008, r111, r113); the other
    # streams print none, or a few (r103: 14%).
    keep_empties = empties > n * 0.15
    fund_cols: list[str] = []
    value_cols: list[str] = []
    levels = Levels()
    headers = 0
    categories: list[list[str]] = []  # the categories printed before each indicator, for a centred reading
    stacked: list[Cell] = []
    amount_cols: list[str | None] = []
    indicator_start: int | None = None
    i = 0

    def next_filled(j: int) -> int | None:
        while j < n and is_filler(tokens[j].text):
            j += 1
        return j if j < n and not is_form_label(tokens[j].text) else None  # a label is never a value

    while i < n:
        tok = tokens[i]
        k = key(tok.text)
        if not k:
            i += 1
            continue
        if k in _PROJECT_KEYS and doc.project is None:
            j = next_filled(i + 1)
            if j is not None:
                after = next_filled(j + 1)
                following = tokens[after].text if after is not None else None
                name = name_after_file_number(tokens[j].text, following)
                doc.project = clean(name)
                doc.cells["project"] = tokens[j].ref
                i = (after if after is not None and name != tokens[j].text else j) + 1
                continue
        if k.startswith(vocabulary.SE_DEPARTMENT_LABELS) and doc.department is None:
            j = next_filled(i + 1)
            if (
                j is not None
                and not key(tokens[j].text).startswith(vocabulary.SE_UNIT_LABELS)
                and not is_labelled_text(tokens[j].text)
            ):
                doc.department = clean(tokens[j].text)
                doc.cells["department"] = tokens[j].ref
                i = j + 1
                continue
        if k.startswith(vocabulary.SE_UNIT_LABELS) and doc.implementing_unit is None:
            rest = re.split(r"[:：]", tok.text, maxsplit=1)
            if len(rest) == 2 and rest[1].strip():
                doc.implementing_unit = clean(rest[1])
            else:
                j = next_filled(i + 1)
                if j is not None:
                    doc.implementing_unit = clean(tokens[j].text.lstrip(":："))
                    doc.cells["implementing_unit"] = tokens[j].ref
                    i = j + 1
                    continue
        if k.startswith(vocabulary.SE_FUND_HEADER_LABELS) and not fund_cols:
            unit = money_unit(k) or money_unit("".join(t.text for t in tokens[i : i + 2]))
            if unit:
                doc.money_unit = unit  # type: ignore[assignment]
            j = i + 1
            while j < n and (
                not tokens[j].text or column_key(tokens[j].text) in _FUND_WORDS or money_unit(tokens[j].text)
            ):
                word = column_key(tokens[j].text)
                if word in _FUND_WORDS:
                    fund_cols.append(_FUND_WORDS[word])
                elif money_unit(tokens[j].text) and doc.money_unit is None:
                    doc.money_unit = money_unit(tokens[j].text)  # type: ignore[assignment]
                j += 1
            i = j
            continue
        if doc.money_unit is None and _BARE_UNIT.match(k):
            doc.money_unit = money_unit(k)  # type: ignore[assignment]  # ``(万元)`` under an amount's label
            i += 1
            continue
        if column_key(k) in vocabulary.SE_FUND_AMOUNT_LABELS and not value_cols and not amount_cols:
            i = _amount_block(doc, tokens, i, amount_cols, ctx)
            continue
        if amount_cols and not value_cols and not _fund_value(tok.text) and not is_form_label(tok.text):
            j = _repeated_line(doc, tokens, i, amount_cols, ctx)
            if j is not None:
                i = j
                continue
        if k in vocabulary.SE_PERIOD_LABELS and doc.year is None:
            j = _next_text(tokens, i + 1)
            printed = " ".join(t.text for t in tokens if j is not None and t.line == tokens[j].line)
            years = set(re.findall(r"((?:19|20)\d{2})\s*年", printed))
            if len(years) == 1:  # a period within one year is the year the self-evaluation reports on
                doc.year = int(years.pop())
        if FUND_LINE.match(k) and not value_cols:
            j = _next_text(tokens, i + 1)
            if (
                not keep_empties
                and j is not None
                and (
                    FUND_LINE.match(key(tokens[j].text))
                    or column_key(tokens[j].text) in _FUND_WORDS
                    or (stacked and not _fund_value(tokens[j].text))
                )
            ):
                stacked.append(tok)  # labels printed before their values (a scrambled export): wait for them
                i += 1
                continue
            i = _fund(doc, tokens, i, fund_cols, keep_empties, ctx)
            continue
        if stacked and not value_cols:
            if column_key(k) in _FUND_WORDS:
                if _FUND_WORDS[column_key(k)] not in fund_cols:
                    fund_cols.append(_FUND_WORDS[column_key(k)])
                i += 1
                continue
            if _fund_value(tok.text):
                i = _stacked_funds(doc, tokens, i, stacked, fund_cols, ctx)
                stacked = []
                continue
            if not is_form_label(tok.text):
                stacked = []
        if k in _GOAL_HEADS and not value_cols and doc.goal is None:
            i = _goal(doc, tokens, i, ctx)
            continue
        if k == "三级指标":
            indicator_start = i
            headers += 1
            j = i + 1
            value_cols = []
            while j < n and (not tokens[j].text or column_key(tokens[j].text) in _HEADER_WORDS):
                word = column_key(tokens[j].text)
                if word in _VALUE_WORDS and _VALUE_WORDS[word] not in value_cols:
                    value_cols.append(_VALUE_WORDS[word])
                j += 1
            if not value_cols:
                value_cols = ["target", "actual", "weight", "score", "deviation"]
            i = j
            continue
        if not value_cols:
            i += 1
            continue
        if k in _TOTAL:
            nums: list[Cell] = []
            for t in tokens[i + 1 : i + 16]:
                if t.text and not _plain(t.text):
                    break
                if t.text:
                    nums.append(t)
            if len(nums) >= 2:
                doc.total_weight, doc.total_score = parse_number(nums[0].text), parse_number(nums[1].text)
                doc.cells.update(total_weight=nums[0].ref, total_score=nums[1].ref)
            doc.total_source = tok.ref
            j = i + 1
            while j < n and (
                not tokens[j].text
                or _plain(tokens[j].text)
                # one example: r040 — the grade row's label; with 评分等级 and 等级 the class
                or key(tokens[j].text) in ("评分等级", "自评等级", "等级")
            ):
                j += 1
            if j < n and key(tokens[j].text) in ("优", "良", "中", "差"):
                doc.grade = key(tokens[j].text)
                doc.cells["grade"] = tokens[j].ref
            break
        if k in _STOP:
            i += 1
            continue
        if _SCORE_ONLY.match(k):
            i += 1
            continue
        canon = cat.canonical(tok.text)
        if canon is not None or k.endswith("指标等"):
            labels = [canon or squash(tok.text)]
            i += 1
            # consecutive labels belong to the same row
            while (
                i < n
                and tokens[i].text
                and (cat.canonical(tokens[i].text) or key(tokens[i].text).endswith("指标等"))
            ):
                labels.append(cat.canonical(tokens[i].text) or squash(tokens[i].text))
                i += 1
            levels.pending = [*levels.pending, *labels]
            continue
        i = _indicator(doc, tokens, i, value_cols, keep_empties, levels, categories, ctx)
    if headers == 1:
        spans.recentre(doc.indicators, categories)
    if indicator_start is not None and not keep_empties:
        line = tokens[indicator_start].line
        block = [t for t in tokens[indicator_start + 1 :] if t.line == line]
        if line is not None and sum(1 for t in block if t.text) >= 12:  # the whole block printed as one line
            _read_scrambled(doc, block, ctx)
    if doc.total_score is None and doc.indicators:
        ctx.report("PARSE-MISSING", "未找到总分行（表格可能被截断）", doc.source)
    return doc


def _label_value_pairs(
    tokens: list[Cell], i: int, same: str | None, limit: int
) -> tuple[list[Cell], list[Cell | None], int]:
    """Labels each followed by its value (or by nothing), from ``i``: the labels of the amount block, or one label
    repeated (``same``); at most ``limit`` pairs.  Returns the labels, their values and where the run ends."""
    labels: list[Cell] = []
    values: list[Cell | None] = []
    j = i
    while len(labels) < limit:
        at = _next_text(tokens, j)
        if at is None:
            break
        text = tokens[at].text
        if same is not None and text != same:
            break
        if same is None and column_key(text) not in vocabulary.SE_FUND_AMOUNT_LABELS:
            break
        labels.append(tokens[at])
        v = _next_text(tokens, at + 1)
        if v is not None and _plain(tokens[v].text):
            values.append(tokens[v])
            j = v + 1
        else:
            values.append(None)
            j = at + 1
    return labels, values, j


def _amount_line(
    doc: SelfEvaluation, label: Cell, cols: list[str | None], values: list[Cell | None], ctx: Context
) -> None:
    line = FundLine(line=squash(label.text), source=label.ref)
    for fld, cell in zip(cols, values, strict=True):
        if fld is not None and cell is not None:
            setattr(line, fld, number(ctx, cell, fld))
            line.cells[fld] = cell.ref
    doc.funds.append(line)


def _amount_block(
    doc: SelfEvaluation, tokens: list[Cell], i: int, cols: list[str | None], ctx: Context
) -> int:
    """计划安排资金 (万元) 1208.75 实际到位资金 (万元) 1208.75 实际支出 (万元) 991.51 …: the columns of a fund table
    and its total line (named by the first label, as the form prints it)."""
    labels, values, end = _label_value_pairs(tokens, i, None, len(vocabulary.SE_FUND_AMOUNT_LABELS))
    if len(labels) < 2 or not any(values):
        return i + 1
    cols.extend(vocabulary.SE_FUND_AMOUNT_LABELS[column_key(lb.text)] for lb in labels)
    unit = money_unit(labels[0].text)
    if unit and doc.money_unit is None:
        doc.money_unit = unit  # type: ignore[assignment]
    _amount_line(doc, labels[0], cols, values, ctx)
    return end


def _repeated_line(
    doc: SelfEvaluation, tokens: list[Cell], i: int, cols: list[str | None], ctx: Context
) -> int | None:
    """A funding source whose label is printed once per column (``省财政 1125 省财政 1125 省财政 907.76 省财政
    217.24``): one fund line; a source that prints no value in any column is left out."""
    labels, values, end = _label_value_pairs(tokens, i, tokens[i].text, len(cols))
    if len(labels) != len(cols):
        return None
    if any(values):
        _amount_line(doc, labels[0], cols, values, ctx)
    return end


def _fund_value(text: str) -> bool:
    return bool(text) and (_plain(text) or is_null_mark(text) or _plain(text.rstrip("%")))


def _stacked_funds(
    doc: SelfEvaluation, tokens: list[Cell], i: int, labels: list[Cell], cols: list[str], ctx: Context
) -> int:
    """Fund lines whose labels were printed one after another, then their values in one run: the run is cut
    into one equal share per label, in order, and each share placed by the arithmetic.  A run that does not
    cut evenly (or holds more values than the columns) is reported and left out."""
    j = i
    run: list[Cell] = []
    while j < len(tokens) and (not tokens[j].text or _fund_value(tokens[j].text)):
        if tokens[j].text:
            run.append(tokens[j])
        j += 1
    if not cols:
        cols.extend(["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"])
    share, rest = divmod(len(run), len(labels))
    if rest or not share or share > len(cols):
        ctx.report(
            "PARSE-ORDER",
            f"资金行的标签与数值分开排列，{len(run)} 个数值无法平均分给 {len(labels)} 行（未作推测）",
            run[0].ref if run else labels[0].ref,
        )
        return j
    for n, label in enumerate(labels):
        values = run[n * share : (n + 1) * share]
        pairs = (
            list(zip(cols, values, strict=False)) if share == len(cols) else _fit_fund_values(cols, values)
        )
        line = FundLine(line=squash(label.text), source=label.ref)
        for fld, cell in pairs:
            if is_null_mark(cell.text):
                continue
            setattr(line, fld, number(ctx, cell, fld, percent=fld == "execution_rate"))
            line.cells[fld] = cell.ref
        doc.funds.append(line)
    ctx.report(
        "PARSE-ORDER",
        f"资金行的标签与数值分开排列，{len(run)} 个数值按顺序分给 {len(labels)} 行",
        labels[0].ref,
        Severity.INFO,
    )
    return j


def _goal(doc: SelfEvaluation, tokens: list[Cell], i: int, ctx: Context) -> int:
    """预期目标 / 实际完成情况 and the texts after them, up to the indicator header."""
    j = i + 1
    while j < len(tokens) and (not tokens[j].text or key(tokens[j].text) in _GOAL_HEADS):
        j += 1
    start = j
    while j < len(tokens) and key(tokens[j].text) not in ("绩效指标", "一级指标", "年度绩效指标完成情况"):
        if key(tokens[j].text).startswith(("绩效指标", "年度绩效指标")):
            break
        j += 1
    texts = [t for t in tokens[start:j] if t.text]
    if not texts:
        return j
    lines: dict[int | None, list[Cell]] = {}
    for t in texts:
        lines.setdefault(t.line, []).append(t)
    groups = list(lines.values())
    if len(groups) == 1 and len(groups[0]) == 2:
        groups = [[groups[0][0]], [groups[0][1]]]
    goal = Goal(source=texts[0].ref)
    if len(groups) == 2:
        goal.expected = clean(" ".join(t.text for t in groups[0]))
        goal.actual = clean(" ".join(t.text for t in groups[1]))
        goal.cells = {"expected": groups[0][0].ref, "actual": groups[1][0].ref}
    else:
        goal.expected = clean(" ".join(t.text for t in texts))
        goal.cells = {"expected": texts[0].ref}
        ctx.report(
            "PARSE-AMBIGUOUS",
            "年度总体目标的预期目标与实际完成情况无法分开，已全部作为预期目标",
            texts[0].ref,
            Severity.INFO,
        )
    doc.goal = goal
    return j


def _fund(
    doc: SelfEvaluation, tokens: list[Cell], i: int, cols: list[str], keep_empties: bool, ctx: Context
) -> int:
    label = tokens[i]
    if not cols:
        cols.extend(["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"])
    values: list[Cell] = []
    j = i + 1
    while j < len(tokens) and len(values) < len(cols):
        t = _without_money_unit(tokens[j], doc.money_unit or _printed_unit(tokens[j].text))
        if t is not tokens[j] and doc.money_unit is None:
            doc.money_unit = _printed_unit(tokens[j].text)  # type: ignore[assignment]  # printed in the cell
        if t.text and not (_plain(t.text) or is_null_mark(t.text) or _plain(t.text.rstrip("%"))):
            if is_glued_run(t.text):
                glued = _glued_fund(doc, label, values, t, cols, ctx)
                if glued is not None:
                    return j + 1 if glued else j
            break
        if t.text or keep_empties:
            values.append(t)
        j += 1
    if not any(v.text for v in values):
        return j  # a fund line that prints nothing at all (not even ``-``) is left out, as the form shows it
    line = FundLine(line=squash(label.text), source=label.ref)
    if len(values) == len(cols) or keep_empties:
        pairs = list(zip(cols, values, strict=False))
    else:
        pairs = _fit_fund_values(cols, values)
        if not doc.funds:  # the first line shows which columns this table left out; the others follow it
            used = {fld for fld, _ in pairs}
            last = max((cols.index(f) for f in used), default=-1)
            cols[:] = [c for n, c in enumerate(cols) if c in used or n > last]
    for fld, cell in pairs:
        if not cell.text or is_null_mark(cell.text):
            continue
        setattr(line, fld, number(ctx, cell, fld, percent=fld == "execution_rate"))
        line.cells[fld] = cell.ref
    doc.funds.append(line)
    return j


def _printed_unit(text: str) -> str | None:
    return "万元" if text.endswith("万元") else "元" if text.endswith("元") else None


def _without_money_unit(cell: Cell, unit: str | None) -> Cell:
    """An amount cell that repeats the table's money unit (``620.82万元`` under ``项目资金(万元)``) as its number;
    an amount in another unit than the table's is left as printed (it is not this column's number)."""
    if unit is None or not cell.text.endswith(unit):
        return cell
    head = cell.text[: -len(unit)].strip()
    if unit == "元" and head.endswith("万"):
        return cell
    return cell.retext(head) if _plain(head) else cell


def _glued_fund(
    doc: SelfEvaluation, label: Cell, values: list[Cell], run: Cell, cols: list[str], ctx: Context
) -> bool | None:
    """A fund line whose numbers were printed without separators: split where the arithmetic holds."""
    plain = [v for v in values if v.text]
    hints: dict[str, float] = {}
    if doc.funds:
        first = doc.funds[0]
        hints = {f: v for f in cols if isinstance(v := getattr(first, f, None), float)}
    fit = expand_run(run.text, len(plain), cols, hints)
    if fit is None:
        ctx.report(
            "PARSE-GLUED",
            f"数字连在一起，无法唯一拆分：“{run.text}”（未作推测）",
            run.ref,
            actual=run.text,
        )
        doc.funds.append(
            FundLine(line=squash(label.text), source=label.ref)
        )  # the line is there; its numbers are not
        return True
    fields, numbers = fit
    line = FundLine(line=squash(label.text), source=label.ref)
    for fld, cell in zip(cols, plain, strict=False):
        setattr(line, fld, number(ctx, cell, fld, percent=fld == "execution_rate"))
        line.cells[fld] = cell.ref
    for fld, text in zip(fields, numbers, strict=True):
        setattr(line, fld, parse_number(text, percent=fld == "execution_rate"))
        line.cells[fld] = run.ref
    doc.funds.append(line)
    ctx.report(
        "PARSE-GLUED",
        f"连在一起的数字“{run.text}”按算术关系拆为 {' / '.join(numbers)}",
        run.ref,
        Severity.INFO,
        actual=run.text,
    )
    return True


def _fit_fund_values(cols: list[str], values: list[Cell]) -> list[tuple[str, Cell]]:
    """Fewer values than columns: the arithmetic decides which columns the line left out.

    Every order-preserving placement of the values is tried; one where 执行率 = 执行数 / 预算数 and 得分 = 分值 ×
    执行率 hold, percentages sit in the rate column and 分值 stays a plausible weight wins.  (``880 880 880 10 10``
    under six columns is 年初/全年/执行/分值/得分 with no rate, because 10 × 880/880 = 10.)"""
    from itertools import combinations

    best: tuple[float, list[tuple[str, Cell]]] | None = None
    for keep in combinations(range(len(cols)), len(values)):
        pairs = [(cols[k], v) for k, v in zip(keep, values, strict=True)]
        score = _placement_score(pairs, "annual_budget" in cols)
        if best is None or score > best[0]:
            best = (score, pairs)
    return best[1] if best else []


def _placement_score(pairs: list[tuple[str, Cell]], has_annual: bool) -> float:
    got: dict[str, float] = {}
    score = 0.0
    for fld, cell in pairs:
        t = cell.text.strip()
        if is_null_mark(t):
            score += 0.5 if fld in ("weight", "execution_rate", "score") else -0.5
            continue
        if t.endswith("%") and fld != "execution_rate":
            score -= 5
        value = parse_number(t, percent=fld == "execution_rate")
        if value is not None:
            got[fld] = value
    annual = got.get("annual_budget") if has_annual else got.get("initial_budget")
    rate = got.get("execution_rate")
    if annual and "executed" in got:
        computed = 100.0 * got["executed"] / annual
        if rate is not None:
            score += 2 if abs(computed - rate) < RATE_SLACK else -2
        rate = computed if rate is None else rate
    weight, points = got.get("weight"), got.get("score")
    if weight is not None:
        if weight > 100:
            score -= 3
        if points is not None and points > weight + 1e-9:
            score -= 3
        if points is not None and rate is not None:
            score += 2 if abs(weight * min(rate, 100.0) / 100.0 - points) < SCORE_SLACK else -1
    return score


def _indicator(
    doc: SelfEvaluation,
    tokens: list[Cell],
    i: int,
    cols: list[str],
    keep_empties: bool,
    levels: Levels,
    categories: list[list[str]],
    ctx: Context,
) -> int:
    name = tokens[i]
    n = len(tokens)
    fields: dict[str, Cell] = {}
    end = i + 1
    if keep_empties:
        j = i + 1
        for col in cols:
            if j >= n:
                break
            t = tokens[j]
            if t.text and (cat.canonical(t.text) or key(t.text) in _TOTAL):
                break
            if t.text:
                fields[col] = t
            j += 1
        end = j
        ok = ("weight" not in fields or _plain(fields["weight"].text)) and (
            "score" not in fields or _plain(fields["score"].text)
        )
        if not ok:
            fields, end = _anchored(tokens, i, cols)
    else:
        fields, end = _anchored(tokens, i, cols)
    if "weight" not in fields and "score" not in fields and "target" not in fields and "actual" not in fields:
        return max(end, i + 1)  # a template placeholder (``指标2``, ``……``), not an indicator
    categories.append([lb for lb in levels.pending if cat.parent(lb)])
    l1, l2 = cat.export_levels(*levels.row([]))
    target = _target_text(fields)
    ind = Indicator(
        level1=l1,
        level2=l2,
        name=squash(name.text),
        target=target,
        actual=clean(fields["actual"].text) if "actual" in fields else None,
        weight=number(ctx, fields.get("weight"), "分值"),
        score=number(ctx, fields.get("score"), "得分"),
        deviation=clean(fields["deviation"].text) if "deviation" in fields else None,
        source=name.ref,
        cells={"name": name.ref, **{k: c.ref for k, c in fields.items()}},
    )
    doc.indicators.append(ind)
    return max(end, i + 1)


def _target_text(fields: dict[str, Cell]) -> str | None:
    parts = [fields[k].text for k in ("target_op", "target", "target_unit") if k in fields]
    return clean("".join(p.strip() for p in parts)) if parts else None


def _pair_at(tokens: list[Cell], i: int) -> tuple[int, int] | None:
    """The 分值/得分 pair after the name at ``i``: the last two numbers of the first run of numbers."""
    n = len(tokens)
    run: list[int] = []
    j = i + 1
    limit = min(n, i + 10)
    found: tuple[int, int] | None = None
    while j < limit:
        t = tokens[j]
        if not t.text:
            j += 1
            continue
        if cat.canonical(t.text) or key(t.text) in _TOTAL:
            break
        if _plain(t.text):
            run.append(j)
            nxt = j + 1
            while nxt < n and not tokens[nxt].text:
                nxt += 1
            if len(run) >= 2 and (nxt >= n or not _plain(tokens[nxt].text)):
                found = (run[-2], run[-1])
                break
        else:
            if run and len(run) >= 2:
                found = (run[-2], run[-1])
                break
            run = []
        j += 1
    return found


def _gap(tokens: list[Cell], i: int) -> int | None:
    """How many filled cells stand between the name at ``i`` and its 分值/得分 pair (None: no pair)."""
    found = _pair_at(tokens, i)
    return None if found is None else sum(1 for t in tokens[i + 1 : found[0]] if t.text)


def _next_text(tokens: list[Cell], j: int) -> int | None:
    while j < len(tokens) and not tokens[j].text:
        j += 1
    return j if j < len(tokens) else None


def _trailing_deviation(tokens: list[Cell], end: int, cols: list[str]) -> int | None:
    """The cell after a row's 得分 when it is that row's deviation text, not the next row's name.

    With one cell per line both read alike; the column pattern decides: the next row's name is followed by
    as many cells before its 分值/得分 as the header has target/actual columns.  A cell followed by one more than
    that (the real name comes after it), or by a category label or the 总分 row, closes the row before."""
    j = _next_text(tokens, end)
    if j is None:
        return None
    text = tokens[j].text
    if not re.search(r"[^\W_]", text):
        return None  # a placeholder (``……``, ``/``) is no explanation
    if (
        _plain(text)
        or cat.canonical(text)
        or key(text) in _TOTAL
        or key(text) in _STOP
        or is_form_label(text)
    ):
        return None
    expected = sum(
        1 for c in cols[: cols.index("weight")] if c in ("target", "actual", "target_op", "target_unit")
    )
    after = _next_text(tokens, j + 1)
    if after is None:
        return j
    nxt = tokens[after].text
    if cat.canonical(nxt) or key(nxt) in _TOTAL or key(nxt) in _STOP:
        return j
    gap_here, gap_next = _gap(tokens, j), _gap(tokens, after)
    if gap_here is not None and gap_next is not None and gap_here == expected + 1 and gap_next == expected:
        return j
    return None


def _anchored(tokens: list[Cell], i: int, cols: list[str]) -> tuple[dict[str, Cell], int]:
    """Values after a name with no empty cells kept: the last two numbers of the first run of numbers are
    分值/得分 (in the standard column order); what stands between the name and them is target and actual."""
    n = len(tokens)
    name = tokens[i]
    found = _pair_at(tokens, i)
    if found is None:
        return {}, i + 1
    between = [t for t in tokens[i + 1 : found[0]] if t.text]
    fields: dict[str, Cell] = {"weight": tokens[found[0]], "score": tokens[found[1]]}
    split_target = "target_op" in cols or "target_unit" in cols
    if len(between) >= 2:
        fields["actual"] = between[-1]
        target = between[:-1]
        if split_target or len(target) > 1:
            fields["target"] = target[0].retext("".join(t.text for t in target))
        else:
            fields["target"] = target[0]
    elif len(between) == 1:
        fields["target"] = between[0]
    end = found[1] + 1
    score_line = tokens[found[1]].line
    if name.line == score_line and score_line is not None:
        # one row per line: what follows the score on its line is the deviation explanation
        rest: list[Cell] = []
        while end < n and tokens[end].line == score_line:
            if tokens[end].text:
                rest.append(tokens[end])
            end += 1
        if rest and not any(_plain(t.text) or cat.canonical(t.text) for t in rest):
            fields["deviation"] = rest[0].retext(" ".join(t.text for t in rest))
        elif rest:
            end = found[1] + 1
    elif (
        "deviation" in cols
        and "weight" in cols
        and cols.index("deviation") > cols.index("score" if "score" in cols else "weight")
    ):
        dev = _trailing_deviation(tokens, end, cols)
        if dev is not None:
            fields["deviation"] = tokens[dev]
            end = dev + 1
    return fields, end


# --- a scrambled export: labels and values of the indicator block in separate runs -----------------------------

# The template's numbered name prefix (``指标1:``), which marks where a name starts when nothing else does.
_TEMPLATE_NAME = re.compile(r"^指标\s*\d+\s*[:：]")
# A printed value: a number with an optional operator and a short unit (``8755``, ``100%``, ``75元``, ``>=90%``).
_VALUE = re.compile(r"^(?:[≥≤<>=≧≦]{1,2})?\d[\d.,]*\s*(?:%|[^\d\s()（）:：]{1,3})?$")
_NAME_TAIL = re.compile(r"^[\u4e00-\u9fff，、,]+$")


def _is_label_text(text: str) -> bool:
    k = key(text)
    return bool(is_form_label(text) or column_key(k) in _HEADER_WORDS or _SCORE_ONLY.match(k) or k in _TOTAL)


def _rejoin(tokens: list[Cell]) -> list[Cell]:
    """Labels a space-split line broke into pieces (``绩 效 指 标``, ``效益指 标(30 分)``) joined again."""
    out: list[Cell] = []
    i = 0
    while i < len(tokens):
        for width in (4, 3, 2):
            part = tokens[i : i + width]
            if len(part) < width:
                continue
            joined = "".join(t.text for t in part)
            if cat.canonical(joined) or _is_label_text(joined):
                out.append(part[0].retext(joined))
                i += width
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _read_scrambled(doc: SelfEvaluation, tokens: list[Cell], ctx: Context) -> None:
    """The indicator block of a flattened export whose reading order was scrambled (values in one run, names
    and category labels in another): when the names carry the template's ``指标N:`` prefix, the values form
    target · actual · 分值 · 得分 groups in order, and there are as many groups as names, the groups are given
    to the names in order — and only if Σ 分值 (with the fund lines' 分值) equals the 总分 weight printed after
    them.  Otherwise nothing is read from the block (a value placed by guess would be a wrong value)."""
    region = _rejoin([t for t in tokens if t.text])
    names: list[list[Cell]] = []
    name_levels: list[list[str]] = []
    groups: list[list[Cell]] = []
    deviations: dict[int, list[Cell]] = {}
    values: list[Cell] = []
    pending: list[str] = []
    last = ""
    for t in region:
        text = t.text
        canon = cat.canonical(text)
        if canon is not None:
            pending.append(canon)
            last = "category"
        elif _TEMPLATE_NAME.match(key(text)):
            names.append([t])
            name_levels.append(pending)
            pending = []
            last = "name"
        elif _is_label_text(text):
            last = "label"
        elif _VALUE.match(nospace(text)):
            values.append(t)
            if len(values) == 4:
                groups.append(values)
                values = []
                last = "group"
            else:
                last = "value"
        elif last == "name" and _NAME_TAIL.match(text):
            names[-1].append(t)
        elif last in ("group", "deviation") and groups and not values:
            deviations.setdefault(len(groups) - 1, []).append(t)
            last = "deviation"
        else:
            last = "text"
    if len(names) < 2 or len(groups) != len(names):
        return
    if any(not (_plain(g[2].text) and _plain(g[3].text)) for g in groups):
        return
    weights = [parse_number(g[2].text) or 0.0 for g in groups]
    scores = [parse_number(g[3].text) or 0.0 for g in groups]
    if any(sc > w for sc, w in zip(scores, weights, strict=True)):
        return
    total_weight = total_score = None
    if len(values) == 2 and all(_plain(v.text) for v in values):
        total_weight, total_score = parse_number(values[0].text), parse_number(values[1].text)
    fund_weights = sum(f.weight or 0.0 for f in doc.funds)
    if total_weight is None or abs(sum(weights) + fund_weights - total_weight) > 1e-6:
        return
    levels = Levels()
    indicators: list[Indicator] = []
    for n, (name_cells, group) in enumerate(zip(names, groups, strict=True)):
        l1, l2 = cat.export_levels(*levels.row(name_levels[n]))
        dev = deviations.get(n)
        indicators.append(
            Indicator(
                level1=l1,
                level2=l2,
                name=squash("".join(c.text for c in name_cells)),
                target=clean(group[0].text),
                actual=clean(group[1].text),
                weight=parse_number(group[2].text),
                score=parse_number(group[3].text),
                deviation=clean(" ".join(c.text for c in dev)) if dev else None,
                source=name_cells[0].ref,
                cells={"name": name_cells[0].ref, "target": group[0].ref, "actual": group[1].ref,
                       "weight": group[2].ref, "score": group[3].ref},
            )
        )  # fmt: skip
    doc.indicators = indicators
    doc.total_weight, doc.total_score = total_weight, total_score
    doc.cells.update(total_weight=values[0].ref, total_score=values[1].ref)
    ctx.report(
        "PARSE-ORDER",
        f"指标区的名称与数值分开排列：{len(groups)} 组“指标值·完成值·分值·得分”按顺序配给 {len(names)} 个指标，"
        f"分值合计 {sum(weights) + fund_weights:g} 与总分行一致",
        names[0][0].ref,
        Severity.INFO,
    )
