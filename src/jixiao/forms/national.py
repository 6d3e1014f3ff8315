"""The national 绩效目标表 (项目支出绩效目标表 / 绩效目标申报表 / 批复表) in any extraction style.

The form is read from its labels, not from its layout: every cell of the file becomes a token (pipe rows, one cell
per line ending `` |``, one cell per paragraph, rows glued into one line), header labels take the token after them,
and the indicator block is read against the columns its own header prints (一级 · 二级 · 三级 · 指标值, with 计量单位 /
指标性质 / 绩效标准 as extra columns where the template has them).  Where rows are known (a pipe row, the cells
between two row rules) a row is read as a row; where they are not (one cell per paragraph) the column count of the
header delimits them.  A value the tokens do not give is left out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.forms import categories as cat
from jixiao.forms.common import Context, folded_key
from jixiao.forms.kind import title_kind_of
from jixiao.forms.vocabulary import (
    CATEGORY_NOTES,
    NATIONAL_ANNUAL,
    NATIONAL_ANNUAL_GOAL,
    NATIONAL_APPLICANT,
    NATIONAL_DEPARTMENT,
    NATIONAL_END,
    NATIONAL_LEVEL_COLUMNS,
    NATIONAL_NAME_COLUMNS,
    NATIONAL_OTHER_LABELS,
    NATIONAL_OVERALL_GOAL,
    NATIONAL_PERIOD,
    NATIONAL_PROJECT,
    NATIONAL_TOTAL,
    NATIONAL_UNIT,
    NATIONAL_VALUE_COLUMNS,
)
from jixiao.model import Indicator, Severity, SourceRef, Subproject, TargetDeclaration
from jixiao.readers.base import Cell, Row
from jixiao.text import parse_number, squash


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A token's comparison key: the label key with full-width forms folded (``（万元）`` → ``(万元)``); memoised,
    as every token is folded by several of the readers below."""
    k = folded_key(text).rstrip(":")
    if k.endswith(")"):  # 实施单位(盖章), 中期目标(2024年—2026年): the label, its note dropped
        k = _PERIOD_NOTE.sub("", _SIGNER.sub("", k))
    return k


_PERIOD_NOTE = re.compile(r"(?<=.)\(\s*(?:19|20)\d{2}\s*年?\s*[-－—–~至到]\s*(?:19|20)\d{2}\s*年?\s*\)$")


_FIELDS: dict[str, tuple[str, ...]] = {
    "project": NATIONAL_PROJECT,
    "department": NATIONAL_DEPARTMENT,
    "unit": NATIONAL_UNIT,
    "applicant": NATIONAL_APPLICANT,
    "total_budget": NATIONAL_TOTAL,
    "annual_budget": NATIONAL_ANNUAL,
    "period": NATIONAL_PERIOD,
    "overall_goal": NATIONAL_OVERALL_GOAL,
    "annual_goal": NATIONAL_ANNUAL_GOAL,
}


@lru_cache(maxsize=1)
def _label_field() -> dict[str, str | None]:
    out: dict[str, str | None] = {fold(lb): None for lb in NATIONAL_OTHER_LABELS}
    for fld, labels in _FIELDS.items():
        out.update({fold(lb): fld for lb in labels})
    return out


@lru_cache(maxsize=2)
def _glued_labels(spaced: bool = False) -> re.Pattern[str]:
    """The labels that glued text is split at, longest first (``项目主管部门X项目执行单位Y``).  In text whose cells
    are separated by spaces a label starts a word: ``项目完成时间`` is a name, not 项目 glued to 完成时间."""
    words = sorted(_known_words(), key=len)
    words = [w for w in words if len(w) >= 3]
    alts = "(" + "|".join(re.escape(w) for w in reversed(words)) + ")"
    return re.compile(r"(?:^|(?<=\s))" + alts if spaced else alts)


_MONEY_HEADER = re.compile(r"(?:单位[:：]\s*|[（(]\s*)(万元|元)\s*[)）]?")
_CODE_BEFORE = re.compile(r"^[\[［【(（]\s*\d{2,}\s*[\]］】)）]\s*")
_CODE_AFTER = re.compile(r"\s+\d{3,}$")
_LEADING_NOTE = re.compile(r"^[(（][^()（）]{1,10}[)）]")
_SIGNER = re.compile(r"[(（]\s*(?:盖章|签章|公章|签字)\s*[)）]$")
_SATISFACTION_HEAD = re.compile(r"^[\u4e00-\u9fff]{0,14}?满意度指标")
_YEAR_STAMP = re.compile(r"^[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]$")
_NOTE = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
_OP = re.compile(r"^(?:[=＝≥≤≧≦><]|>=|<=|＞|＜|大于|小于|等于|不低于|不高于|不少于|不超过|定性|定量)+$")
_NUMBER_HEAD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(万元|万|元)?")
_TRAILING_VALUE = re.compile(
    r"((?:[=＝≥≤≧≦><＞＜]|>=|<=)*\s*\d+(?:\.\d+)?\s*(?:%|％|[\u4e00-\u9fff/a-zA-Z]{1,4})?)$"
)
# How an indicator's name ends (a measure: …率, …人数, …满意度, …时间), and a target's text does not
_NAME_ENDINGS = (
    "率",
    "数",
    "度",
    "量",
    "面积",
    "长度",
    "时间",
    "情况",
    "指标",
    "成本",
    "标准",
    "效益",
    "人次",
)
# A qualitative target glued to its name: a trend, adverb and verb (稳步提高, 明显改善, 逐步降低)
_TRAILING_TREND = re.compile(
    r"((?:稳步|逐步|明显|显著|有效|持续|进一步|不断|大幅)(?:提高|提升|改善|增强|增加|增长|下降|降低|减少))$"
)
_SUBPROJECT = re.compile(r"([^,，、;；()（）\d]+?)\s*(\d+(?:\.\d+)?)\s*万?元?")


_VALUE_ROLES_MIN = ("level1", "level2", "name", "value")  # the narrowest indicator row: 一级 二级 三级 指标值


@dataclass(slots=True, eq=False)
class Token:
    text: str  # as printed, trimmed
    cell: Cell  # where it was printed: its ref is made when a value cites it (most tokens are never cited)

    @property
    def ref(self) -> SourceRef:
        return self.cell.ref

    @property
    def k(self) -> str:
        return fold(self.text)


@dataclass
class Segment:
    """Tokens whose row boundaries are known (``rows`` True: one segment is one row) or not (a run of paragraphs)."""

    tokens: list[Token] = field(default_factory=list)
    rows: bool = False


_MONEY_NOTE = re.compile(r"\(\s*(?:万元|元)\s*\)$")


def _is_label_word(word: str) -> bool:
    return _MONEY_NOTE.sub("", fold(word)) in _known_words() or _category(word) is not None


def _label_words(k: str) -> list[str] | None:
    """Space-separated text that starts with a label, grouped at its label words (folded, so Traditional forms with
    pinyin glosses count): ``項(xiàng)目名稱 X Y`` → [項(xiàng)目名稱, X Y]; None when it starts with no label."""
    words = k.split(" ")
    if not _is_label_word(words[0]):
        return None
    out: list[str] = []
    buf: list[str] = []
    for w in words:
        note = _LEADING_NOTE.fullmatch(w)
        if note and out and not buf and (any(n in w for n in CATEGORY_NOTES) or _SIGNER.match(w)):
            out[-1] += w  # 数量指标 (必填), 实施单位 (盖章): the annotation stays with its label
            continue
        if _is_label_word(w):
            if buf:
                out.append(" ".join(buf))
                buf = []
            out.append(w)
        else:
            buf.append(w)
    if buf:
        out.append(" ".join(buf))
    return out if len(out) > 1 else None


def _split_glued(text: str) -> list[str]:
    """``项目名称X`` → [项目名称, X]: a cell that starts with a label, or glues several, is split at them."""
    return list(_split_glued_text(text))


@lru_cache(maxsize=16384)
def _split_glued_text(text: str) -> tuple[str, ...]:
    """:func:`_split_glued`, memoised: a file's labels and values repeat (中期 and 年度 print the same labels)."""
    return tuple(_split_glued_uncached(text))


def _split_glued_uncached(text: str) -> list[str]:
    k = unicodedata.normalize("NFKC", " ".join(text.split()))  # the spaces kept: they may separate cells
    if fold(k) in _known_words() or title_kind_of(k) is not None:
        return [
            text
        ]  # one label (实施单位（盖章）) or the form's title (项目绩效目标表), not labels glued to values
    if " " in k and (words := _label_words(k)) is not None:
        return [q for w in words for q in ([w] if _is_label_word(w) else _split_glued(w))]
    head = _SATISFACTION_HEAD.match(k)
    if head and head.end() < len(k):  # a printed satisfaction category glued to its row
        return [head.group(0), *_split_glued(k[head.end() :])]
    parts = [p for p in _glued_labels(" " in k).split(k) if p and p.strip()]
    if len(parts) <= 1 or fold(parts[0]) not in _known_words():
        return [text]
    out: list[str] = []
    for p in parts:
        p = p.strip().lstrip(":").strip()
        note = _LEADING_NOTE.match(p)
        if out and note and (any(n in note.group(0) for n in CATEGORY_NOTES) or _SIGNER.match(note.group(0))):
            out[-1] += note.group(0)  # 数量指标(必填), 实施单位(盖章): the annotation stays with its label
            p = p[note.end() :].strip()
        head = _SATISFACTION_HEAD.match(p) if out else None
        if head and head.end() < len(
            p
        ):  # 效益指标 社会公众或服务对象满意度指标 X: the printed 二级 after its 一级
            out.append(head.group(0))
            p = p[head.end() :].strip()
        if p:
            out.append(p)
    return out


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    header = (*NATIONAL_LEVEL_COLUMNS, *NATIONAL_NAME_COLUMNS, *NATIONAL_VALUE_COLUMNS)
    return frozenset({*_label_field(), *(fold(w) for w in (*cat.LEVEL1, *cat.LEVEL2_PARENT, *header))})


def segments(rows: list[Row]) -> tuple[list[Segment], bool]:
    """The file's tokens in reading order, grouped into rows where the extraction kept them, and whether the text
    is glued (labels and values run together on one line)."""
    out: list[Segment] = []
    glued_lines = 0
    current: Segment | None = None  # a row being assembled from ``cell |`` lines

    def stream() -> Segment:
        if not out or out[-1].rows or out[-1] is current:
            out.append(Segment())
        return out[-1]

    for row in rows:
        if row.table is not None:
            if all(c.empty for c in row.cells):
                current = None  # a row rule (``||||||``)
                continue
            out.append(Segment([Token(c.text.strip(), c) for c in row.cells], rows=True))
            current = None
            continue
        for cell in row.cells:
            text = cell.text.strip()
            if text.startswith("#") and row.ref.line is not None and row.ref.line <= 2:
                continue
            if "|" in text or "｜" in text:
                parts = [p.strip() for p in re.split(r"[|｜]", text)]
                filled = [p for p in parts if p]
                if not filled:
                    if text.count("|") + text.count("｜") >= 2 or current is None:
                        current = None  # a row rule or a row's leading pipe
                        if text.count("|") + text.count("｜") < 2:
                            current = Segment(rows=True)
                            out.append(current)
                    else:
                        current.tokens.append(Token("", cell))
                    continue
                if len(filled) == 1 and parts[0] != "" and (len(parts) == 2 or current is not None):
                    if current is None:  # the row's leading pipe was not printed
                        current = Segment(rows=True)
                        out.append(current)
                    current.tokens.append(Token(filled[0], cell))  # one cell per line ending `` |``
                    if len(parts) > 2:
                        current = None  # ``85 | ||``: the row's closing pipes
                    continue
                while parts and not parts[-1]:
                    parts.pop()
                while parts and not parts[0]:
                    parts.pop(0)
                out.append(Segment([Token(p, cell) for p in parts], rows=True))
                current = None
                continue
            if current is not None and text:
                current.tokens.append(Token(text, cell))  # a cell whose line lost its pipe
                continue
            pieces = _split_glued(text) if text else [""]
            if len(pieces) > 1:
                glued_lines += 1
                out.append(Segment([Token(p, cell) for p in pieces], rows=True))
                continue
            stream().tokens.extend(Token(p, cell) for p in pieces)
    if current is not None and len(current.tokens) > 2 * len(_VALUE_ROLES_MIN):
        # ``cell |`` lines that no row rule ever closed: one cell per line, the rows unknown (the header's
        # column count delimits them, as for paragraphs)
        current.rows = False
    glued = glued_lines >= 3
    if glued:  # text glued row by row: every line is a row
        lines: list[Segment] = []
        for seg in out:
            lines.extend([seg] if seg.rows else [Segment([t], rows=True) for t in seg.tokens])
        out = lines
    return out, glued


def _category(text: str) -> str | None:
    """The category a cell prints, as the row's ``level`` label: canonical where the categories know it, the printed
    satisfaction label (``社会公众或服务对象满意度指标``) kept, annotations (``(必填)``) dropped."""
    k = fold(text)
    m = _NOTE.search(k)
    if m and any(n in m.group(1) for n in CATEGORY_NOTES):
        k = k[: m.start()]
    c = cat.canonical(k)
    if c is not None:
        return c
    # The longest satisfaction 二级 printed is 14 characters (社会公众或服务对象满意度指标, r201 and r225)
    if k.endswith("满意度指标") and len(k) <= 20:
        return k
    return None


class _Levels:
    """一级/二级 state of the indicator block.  A satisfaction 二级 printed under 效益指标 with no 满意度指标 一级 (the
    2015 template) keeps 效益指标; a cost label is 一级 成本指标 wherever it is printed (spec)."""

    def __init__(self) -> None:
        self.level1: str | None = None
        self.level2: str | None = None
        self.fresh_l1 = False  # a 一级 was the last label: the next label is its 二级

    def apply(self, label: str) -> None:
        if label == "满意度指标" and self.fresh_l1 and self.level1 == "满意度指标":
            self.level2, self.fresh_l1 = label, False
            return
        if cat.is_level1(label):
            # The same 一级 printed again (a merged cell extracted on a later row of its span) keeps the 二级
            self.level2 = self.level2 if label == self.level1 else None
            self.level1, self.fresh_l1 = label, True
            return
        if cat.parent(label) == "成本指标":
            self.level1, self.level2 = "成本指标", (None if label == "成本指标" else label)
            self.fresh_l1 = label == "成本指标"
            return
        self.fresh_l1 = False
        self.level2 = label
        par = cat.parent(label)
        if par is None:  # a printed satisfaction label: under 满意度指标 unless printed under 效益指标
            par = self.level1 if self.level1 in ("效益指标", "满意度指标") else "满意度指标"
        elif par == "满意度指标" and self.level1 == "效益指标":
            par = "效益指标"
        self.level1 = par


# the 10号 form's column letters after a header (指标值(A), 分值(B/A)): the column is the same
_LETTER_NOTE = re.compile(r"\(\s*[A-Za-z](?:\s*[/×*+-]\s*[A-Za-z])?\s*\)$")


def _value_columns(tokens: list[Token]) -> list[str] | None:
    """Roles of the columns after 三级指标 as the header prints them; None when the tokens are no header."""
    roles: list[str] = []
    for t in tokens:
        role = NATIONAL_VALUE_COLUMNS.get(t.k) or NATIONAL_VALUE_COLUMNS.get(_LETTER_NOTE.sub("", t.k))
        if role is None:
            break
        roles.append(role)
    return roles or None


def _is_end(k: str) -> bool:
    """A row that ends the indicator block: the signatures, the reviewers' opinions, notes, the page footer."""
    k = _SIGNER.sub("", k)
    return k.startswith(_end_keys()) or bool(re.match(r"^注[:：]", k)) or k.endswith("意见")


@lru_cache(maxsize=1)
def _end_keys() -> tuple[str, ...]:
    return tuple(fold(e) for e in NATIONAL_END)


def _target(values: dict[str, str]) -> str | None:
    """指标值 with 指标性质 and 计量单位 glued on where they are separate columns (``≥`` ``85`` ``%`` → ``≥85%``)."""
    value = values.get("value", "")
    if not value:
        return None
    op = values.get("op", "")
    unit = values.get("unit", "")
    if op and not _OP.match(fold(op)):
        op = ""  # 定性/定量 and other text in the 指标性质 column are not part of the value
    if fold(op) in ("定性", "定量"):
        op = ""
    return squash(op + value + (unit if unit and not value.endswith(unit) else "")) or None


def _indicator(
    doc: TargetDeclaration, levels: _Levels, name: Token, values: list[tuple[str, Token]], glued: bool
) -> None:
    text = squash(name.text)
    if not text:
        return
    got = {role: squash(t.text) for role, t in values if t.text.strip()}
    target = _target(got)
    if target is None and not got:
        # Name and value in one cell: space-aligned text keeps the gap, glued text only the value's form.
        words = name.text.split()
        if len(words) >= 2 and (
            re.match(r"^(?:[=＝≥≤≧≦><＞＜]|\d)", words[-1])
            or (glued and not words[-1].endswith(_NAME_ENDINGS))
        ):
            # text rows whose cells a space separates: the last word is the 指标值, a text one too (优良, 否),
            # unless it ends as an indicator's name ends (受益 人数: a name the extraction broke)
            text, target = squash(" ".join(words[:-1])), squash(words[-1])
        elif glued and (
            ((m := _TRAILING_VALUE.search(text)) is not None and m.start() > 0)
            or ((m := _TRAILING_TREND.search(text)) is not None and m.start() >= 4)
        ):
            text, target = text[: m.start()].strip(), squash(m.group(1))
    l1, l2 = cat.export_levels(levels.level1, levels.level2)
    if levels.level1 == "成本指标":
        l1, l2 = "成本指标", levels.level2
    cells = {"name": name.ref}
    weight = parse_number(got["weight"]) if "weight" in got else None
    doc.indicators.append(
        Indicator(level1=l1, level2=l2, name=text, target=target, weight=weight, source=name.ref, cells=cells)
    )


_VALUE_LIKE = re.compile(r"^(?:>=|<=|[≥≤≧≦=＝><＞＜])?\s*\d+(?:\.\d+)?\s*(?:%|[\u4e00-\u9fff]{0,2})$")


def _scrambled(doc: TargetDeclaration) -> bool:
    """An indicator named by a value (``100%``) or a lone character: the extraction scrambled the reading order."""
    return any(_VALUE_LIKE.match(i.name) or len(i.name) < 2 for i in doc.indicators)


def _read_indicators(
    doc: TargetDeclaration, segs: list[tuple[Segment, int]], roles: list[str], glued: bool
) -> None:
    """The indicator block: ``segs`` are the segments after the header, each with its first token to read."""
    levels = _Levels()
    width = len(roles)
    for seg, start in segs:
        toks = seg.tokens[start:]
        i = 0
        if seg.rows or glued:
            # One row: its category labels, then the name, then the value columns in the header's order.
            while i < len(toks) and not toks[i].k:
                i += 1
            if i < len(toks) and _is_end(toks[i].k):
                return
            after_l2 = False
            while i < len(toks) and not after_l2 and (c := _category(toks[i].text)) is not None:
                levels.apply(c)
                after_l2 = not levels.fresh_l1
                i += 1
                if i < len(toks) and toks[i].k == "指标":
                    i += 1
            if levels.fresh_l1:
                while i < len(toks) and not toks[i].k:
                    i += (
                        1  # a 一级 whose 二级 cell is empty (成本指标 with no sub-category): the name follows
                    )
            rest = list(toks[i:])
            while rest and not rest[-1].text:
                rest.pop()
            if not rest:
                continue
            name, vals = rest[0], rest[1:]
            if len(vals) > width:
                vals = vals[:width]
            _indicator(doc, levels, name, list(zip(roles, vals, strict=False)), glued)
            continue
        # A run of paragraphs: the header's column count delimits the rows.
        after_l2 = False
        while i < len(toks):
            t = toks[i]
            if _is_end(t.k):
                return
            c = _category(t.text) if not after_l2 else None
            if c is not None:
                levels.apply(c)
                after_l2 = not levels.fresh_l1
                i += 1
                if i < len(toks) and toks[i].k == "指标":
                    i += 1
                continue
            if not t.text and not after_l2:
                i += 1
                continue
            row = [t]
            j = i + 1
            while j < len(toks) and len(row) < width + 1:
                nxt = toks[j]
                if nxt.text and (_category(nxt.text) is not None or _is_end(nxt.k)):
                    break
                row.append(nxt)
                j += 1
            i = j
            after_l2 = False
            _indicator(doc, levels, row[0], list(zip(roles, row[1:], strict=False)), glued)


_MONTH = re.compile(r"^((?:19|20)\d{2})\s*(?:年|[./\-－])\s*(\d{1,2})\s*月?$")


def _month(text: str) -> dt.date | None:
    """``2023年7月``, ``2023.07``: a month-only date, as its first day."""
    m = _MONTH.match(unicodedata.normalize("NFKC", text).strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


@dataclass
class _Groups:
    """The 中期 template's indicator header: one 一级 column, then two groups (二级 · 三级 · 指标值) side by side, 中期
    then 年度 (the national 中期 template's order; a group whose value header says 年度 wins)."""

    width: int  # cells of the header row
    first: int  # where group 1 starts (its first category column)
    second: int  # where group 2 starts
    roles: list[str]  # group 2's value columns
    annual_first: bool  # the first group is the annual one


def _second_group(header: Segment, after: int) -> _Groups | None:
    """The second column group a header row prints after its first group's value columns, or None."""
    if not header.rows:
        return None
    toks = header.tokens
    j = after
    while j < len(toks) and not toks[j].k:
        j += 1
    if j >= len(toks) or toks[j].k not in NATIONAL_LEVEL_COLUMNS:
        return None
    start = j
    while j < len(toks) and toks[j].k in NATIONAL_LEVEL_COLUMNS:
        j += 1
    if j >= len(toks) or toks[j].k not in NATIONAL_NAME_COLUMNS:
        return None
    roles = _value_columns(toks[j + 1 :])
    first = next((i for i, t in enumerate(toks[:after]) if t.k == toks[start].k), None)
    if roles is None or first is None:
        return None
    values1 = " ".join(t.k for t in toks[first:after])
    values2 = " ".join(t.k for t in toks[j + 1 :])
    return _Groups(len(toks), first, start, roles, "年度" in values1 and "年度" not in values2)


def _header_repeats(tokens: list[Token]) -> bool:
    """The tokens after a header's value columns start a second group (二级指标 · 三级指标 …)."""
    filled = [t.k for t in tokens if t.k][:3]
    return (
        bool(filled)
        and filled[0] in NATIONAL_LEVEL_COLUMNS
        and any(k in NATIONAL_NAME_COLUMNS for k in filled)
    )


def _annual_group(
    ctx: Context, doc: TargetDeclaration, rest: list[Segment], g: _Groups
) -> list[tuple[Segment, int]]:
    """The indicator block reduced to the annual group: each row's shared 一级 cells and that group's cells.  Only
    rows whose cells line up with the header can be cut so; the others are left out, with a finding."""
    out: list[tuple[Segment, int]] = []
    lost = False
    for seg in rest:
        if not seg.tokens:
            continue
        if not seg.rows or len(seg.tokens) > g.width:
            lost = lost or any(t.k for t in seg.tokens)
            continue
        toks = seg.tokens + [Token("", seg.tokens[-1].cell)] * (g.width - len(seg.tokens))
        if toks[0].k and _is_end(toks[0].k):
            out.append((seg, 0))
            break
        keep = toks[g.first : g.second] if g.annual_first else toks[g.second :]
        out.append((Segment(toks[: g.first] + keep, rows=True), 0))
    if lost:
        ctx.report(
            "PARSE-ROW",
            "绩效指标表并列中期与年度两组指标，部分行的单元格无法按表头分组，这些行未读取",
            doc.source,
        )
    return out


def _first_span(indicators: list[Indicator]) -> None:
    """Rows right under the header that precede every category label: the merged category cells of the first span
    were extracted lower down (PDF text puts a merged cell at the middle of its rows), so the rows take the first
    categories read.  Only rows directly under the printed header; a block cut above has no header to start it."""
    lead = list(itertools.takewhile(lambda i: i.level1 is None and i.level2 is None, indicators))
    if len(lead) < len(indicators):
        first = indicators[len(lead)]
        for ind in lead:
            ind.level1, ind.level2 = first.level1, first.level2


def _period(doc: TargetDeclaration, text: str) -> None:
    """``2022年3月1日-2023年11月30日``, ``2022年3月至2023年11月``, ``2023.07-2024.01``: both ends with a day, or both
    with a month only (v1 prints those ``YYYY-MM``); an end before the start is no period and is left out."""
    t = unicodedata.normalize("NFKC", text).strip()
    parts = re.split(r"\s*[至到~〜]\s*", t, maxsplit=1)
    if len(parts) != 2:
        parts = re.split(r"\s*[-－—]\s*(?=(?:19|20)\d{2}|\d{1,2}\s*月)", t, maxsplit=1)
    if len(parts) != 2:
        return
    from jixiao.forms.declaration import parse_date

    first, second = parts
    year = re.match(r"^((?:19|20)\d{2})\s*年", first)
    if year and re.match(r"^\d{1,2}\s*月", second):
        second = f"{year.group(1)}年{second}"  # 2025年1月-12月: the end in the start's year
    start, end = parse_date(first), parse_date(second)
    months = False
    if start is None and end is None:
        start, end, months = _month(first), _month(second), True
    if start is not None and end is not None and start <= end:
        doc.start, doc.end, doc.period_in_months = start, end, months


def _amount(ctx: Context, doc: TargetDeclaration, fld: str, tok: Token) -> None:
    """An amount cell: ``6070.00``, ``250万``, ``854万(高标准农田建设400万元,…)`` whose breakdown adds up to it."""
    text = unicodedata.normalize("NFKC", tok.text).strip()
    value = parse_number(text)
    if value is None:
        m = _NUMBER_HEAD.match(text)
        if m is None or (m.end() < len(text) and text[m.end()] not in "(（"):
            ctx.report(
                "PARSE-NUMBER", f"金额不是数字：“{squash(tok.text)}”", tok.ref, actual=squash(tok.text)
            )
            return
        value = float(m.group(1))
        if m.group(2) and m.group(2).startswith("万") and doc.money_unit is None:
            doc.money_unit = "万元"
        inner = re.search(r"[(（](.*)[)）]", text[m.end() :])
        if inner and fld == "total_budget":
            subs = [(squash(a), float(b)) for a, b in _SUBPROJECT.findall(inner.group(1))]
            if len(subs) >= 2 and abs(sum(b for _, b in subs) - value) < 1e-6 and not doc.subprojects:
                doc.subprojects = [Subproject(name=a, amount=b, source=tok.ref) for a, b in subs]
    setattr(doc, fld, value)
    doc.cells[fld] = tok.ref


_LOCAL_LEVEL = re.compile(r"^(?:省|市|区|县|乡镇?)级")
_LABEL_LIKE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}(?:名称|单位|部门|负责人|电话|编码|代码|类型|属性|日期|时间)$"
)
_FUND_LINE = re.compile(r"^(?:其中|\d+[.、．]|[一二三四五六七八九十]+[、.．])")


def _labelish(k: str) -> bool:
    """A token that is a label (the form's, a fund sub-line's ``其中:中央补助``, or one the lists lack but that ends
    like one: ``部门名称``), never the value of the label before it."""
    base = _MONEY_NOTE.sub("", k)
    return (
        base in _label_field()
        or bool(_LABEL_LIKE.match(base))
        or (
            bool(_FUND_LINE.match(base))
            and parse_number(_FUND_LINE.sub("", base).lstrip(":")) is None
            and len(base) <= 14
        )
    )


def _strip_code(value: str) -> str:
    return _CODE_AFTER.sub("", _CODE_BEFORE.sub("", value)).strip()


def is_national(rows: list[Row]) -> bool:
    """The file prints the national indicator block: 一级指标 / 二级指标 and a 三级 column."""
    text = "".join(folded_key(c.text) for r in rows for c in r.cells)
    levels = sum(1 for c in NATIONAL_LEVEL_COLUMNS if c in text)
    return levels >= 1 and any(n in text for n in NATIONAL_NAME_COLUMNS) and "分解目标" not in text


def parse_national(rows: list[Row], ctx: Context, year: int | None) -> TargetDeclaration:
    doc = TargetDeclaration(
        year=year, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line)
    )
    segs, glued = segments(rows)
    flat: list[tuple[int, int, Token]] = [
        (si, ti, t) for si, s in enumerate(segs) for ti, t in enumerate(s.tokens)
    ]
    labels = _label_field()
    found: dict[str, Token] = {}
    printed: set[str] = set()  # the fields whose label the form prints, with a value or without
    goal_labels: list[str] = []
    header_at: tuple[int, int] | None = None
    header_n = 0  # the flat index after the header
    roles: list[str] = []
    for n, (_, _, tok) in enumerate(flat):
        k = tok.k
        if not k:
            continue
        stamp = _YEAR_STAMP.match(k)
        if stamp and doc.year is None:
            doc.year = int(stamp.group(1))  # the form's own (2022年度)
        m = _MONEY_HEADER.search(unicodedata.normalize("NFKC", tok.text))
        # A header cell that states the unit folds to 4-14 characters (r201's 填报单位:(盖章)单位:万元); r037's
        # 18-character 县动物卫生监督所资金总额(万元)50 is a fund row with its value.
        if m and doc.money_unit is None and len(k) <= 16:
            doc.money_unit = m.group(1)  # type: ignore[assignment]
        if (
            k in NATIONAL_NAME_COLUMNS
            and n >= 2
            and any(flat[p][2].k in NATIONAL_LEVEL_COLUMNS for p in range(max(0, n - 3), n))
        ):
            cols = _value_columns([t for _, _, t in flat[n + 1 : n + 8] if t.k])
            if cols:
                roles = cols
                last = n + len(cols)
                header_at = (flat[last][0], flat[last][1] + 1)
                header_n = last + 1
                break
        base = _MONEY_NOTE.sub("", k)
        local = _LOCAL_LEVEL.sub("", base)
        if base not in labels and labels.get(local) == "department":
            base = local  # 区级主管部门: the local 主管部门 of a transfer payment
        if base not in labels:
            continue
        fld = labels[base]
        if fld is not None:
            printed.add(fld)
        if fld in ("overall_goal", "annual_goal"):
            goal_labels.append(fld)
        if fld is None or fld in found:
            continue
        # The value is the next token that is no label (a label there means the value is missing).
        value: Token | None = None
        for _, _, nxt in flat[n + 1 : n + 2 + len(goal_labels)]:
            if not nxt.k:
                continue
            if _labelish(nxt.k):
                if fld in ("overall_goal", "annual_goal") and labels.get(nxt.k) in (
                    "overall_goal",
                    "annual_goal",
                ):
                    continue  # two goal columns printed side by side: their values follow in order
                break
            value = nxt
            break
        if value is not None and fld not in ("overall_goal", "annual_goal"):
            found[fld] = value
    _goals(doc, flat, labels)
    for fld, tok in found.items():
        text = squash(tok.text)
        if fld == "project":
            doc.project, doc.cells["project"] = text, tok.ref
        elif fld == "department":
            doc.department = _strip_code(text) or None
        elif fld in ("unit", "applicant"):
            if doc.unit is None or fld == "unit":
                doc.unit = text
        elif fld in ("total_budget", "annual_budget"):
            _amount(ctx, doc, fld, tok)
        elif fld == "period":
            _period(doc, tok.text)
    if "unit" in found:
        doc.unit = squash(found["unit"].text)
    if header_at is not None:
        si, ti = header_at
        block = [(segs[si], ti)] + [(s, 0) for s in segs[si + 1 :]]
        groups = _second_group(segs[si], ti)
        if groups is not None:
            block = _annual_group(ctx, doc, segs[si + 1 :], groups)
            roles = roles if groups.annual_first else groups.roles
        elif _header_repeats([t for _, _, t in flat[header_n:]]):
            block = []  # two groups, and no rows to cut them by
            ctx.report("PARSE-ROW", "绩效指标表并列中期与年度两组指标，提取的文本未保留行，无法分组，指标未读取",
                       doc.source)  # fmt: skip
        _read_indicators(doc, block, roles, glued)
        _first_span(doc.indicators)
        if _scrambled(doc):
            doc.indicators = []
            ctx.report(
                "PARSE-ROW",
                "绩效指标的阅读顺序在提取时被打乱（指标名称处出现数值或单字），指标未读取",
                doc.source,
            )
    elif not _read_prose(doc, rows):
        ctx.report("PARSE-MISSING", "未找到绩效指标表头（一级指标/二级指标/三级指标/指标值）", doc.source)
    if doc.project is None:
        doc.project = _notice_project(rows)
    if doc.unit is None and not doc.cells.get("unit"):
        doc.unit = _signatory(rows)
    _prose_funds(doc, rows, total_printed="total_budget" in printed)
    if doc.start is None:
        _prose_period(doc, rows)
    if doc.project is None:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    return doc


def _prose_period(doc: TargetDeclaration, rows: list[Row]) -> None:
    """A period a notice states in a sentence: ``(4)起止时间。2025年1月-12月`` (a period label, then the dates)."""
    labels = "|".join(map(re.escape, sorted(NATIONAL_PERIOD, key=len, reverse=True)))
    pattern = re.compile(r"(?:" + labels + r")\s*[。.:：为是]?\s*((?:19|20)\d{2}[^。；;,，]{2,30})")
    for r in rows:
        for c in r.cells:
            m = pattern.search(unicodedata.normalize("NFKC", c.text))
            if m:
                _period(doc, m.group(1).strip())
                if doc.start is not None:
                    return


# A notice's sentence on the money: 安排…资金50万元, 预算安排5万元 (a number with its unit after the verb)
_ALLOCATED = re.compile(r"(?:安排|下达|拨付)[^。；;,，]{0,30}?(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|元)")


def _prose_funds(doc: TargetDeclaration, rows: list[Row], total_printed: bool) -> None:
    """The funds a notice states in prose: the unit of a table total printed without one, when the sentence gives the
    same amount with its unit; the total itself only where no form prints a 资金总额 row and the prose states one
    amount (a form whose total is empty keeps it empty: the prose may speak of the money of several tables)."""
    if doc.money_unit is not None and doc.total_budget is not None:
        return
    stated = {
        (float(m.group(1)), m.group(2))
        for r in rows
        for c in r.cells
        for m in _ALLOCATED.finditer(unicodedata.normalize("NFKC", c.text))
    }
    if len(stated) != 1:
        return  # none, or several amounts: which one is the project's total is not for a guess
    ((amount, unit),) = stated
    if doc.total_budget is None:
        if not total_printed:
            doc.total_budget, doc.money_unit = amount, unit  # type: ignore[assignment]
    elif doc.money_unit is None and abs(float(doc.total_budget) - amount) < 1e-9:
        doc.money_unit = unit  # type: ignore[assignment]


# A site's editorial summary in place of the form's text (【概述：…】, 【姓名略】): not the document's value
_EDITORIAL = re.compile(r"【[^】]*】")


def _goals(doc: TargetDeclaration, flat: list[tuple[int, int, Token]], labels: dict[str, str | None]) -> None:
    """总体目标 / 年度目标: one label and its value, or the two printed side by side with their values after them in
    the same order.  Fewer values than labels cannot be assigned and are left out."""
    n = 0
    while n < len(flat):
        tok = flat[n][2]
        fld = labels.get(tok.k)
        if fld not in ("overall_goal", "annual_goal"):
            n += 1
            continue
        group = [fld]
        j = n + 1
        while j < len(flat) and (
            not flat[j][2].k or labels.get(flat[j][2].k) in ("overall_goal", "annual_goal")
        ):
            if flat[j][2].k:
                g = labels.get(flat[j][2].k)
                if g is not None:
                    group.append(g)
            j += 1
        values: list[str] = []
        while j < len(flat) and len(values) < len(group):
            t = flat[j][2]
            if t.k and (t.k in labels or _category(t.text) is not None or t.k in NATIONAL_LEVEL_COLUMNS):
                break
            if t.k:
                values.append(squash(t.text))
            j += 1
        if len(group) == 3 and group[0] == group[1] and group[1] != group[2]:
            group = group[1:]  # 总体目标 over its two columns 中期目标 · 年度目标: the heading holds no value
        if len(values) > len(group) and len(group) == 2:
            values = values[: len(group)]
        if group == ["overall_goal", "annual_goal"] and len(values) == 1 and fold(tok.text) == "总体目标":
            group = ["annual_goal"]  # 总体目标 as the row heading over its one column 年度目标 (r203, r225)
        values = [v for v in values if not _EDITORIAL.fullmatch(v)]
        if len(values) == len(group) and len(set(group)) == len(group):
            for g, v in zip(group, values, strict=True):
                if getattr(doc, g) is None:
                    setattr(doc, g, v)
        n = j


# --- Indicators written as prose: ``数量指标:A(≥**株)>=17600株;B>=85;时效指标:C>=100%。`` -----------------------------
_PROSE_CATEGORY = re.compile(r"([\u4e00-\u9fff]{2,14}?(?:指标|目标))\s*[:：,，]")
_PROSE_HEADING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*")
# The value at the end of an item: from its last comparison sign (a template placeholder ``(≥**%)`` before it is part
# of the name), or a number with a short unit.
_PROSE_VALUE = re.compile(
    r"((?:>=|<=|[≥≤≧≦=＝><])[^≥≤≧≦=＝><()（）]*|\d+(?:\.\d+)?\s*(?:%|[\u4e00-\u9fff]{1,3})?)$"
)
_NOTICE_TITLE = re.compile(r"关于(.{4,60}?)(?:的)?(?:绩效目标|项目支出绩效)")


def _prose_category(label: str) -> str | None:
    """A category label of running text: ``社会效益目标`` is the 社会效益指标 written as a goal."""
    c = _category(label)
    if c is None and label.endswith("目标"):
        c = _category(label[:-2] + "指标")
    return c


def _read_prose(doc: TargetDeclaration, rows: list[Row]) -> bool:
    """Indicators listed in sentences under their category labels.  An item is a name ending in its value;
    ``,`` separates items only after a value (``A,B(≥**株)>=17600株`` is one item); an item without a value is a
    name with no target.  Returns whether any indicator was read."""
    levels = _Levels()
    read = False
    for row in rows:
        for cell in row.cells:
            text = _PROSE_HEADING.sub("", unicodedata.normalize("NFKC", cell.text).strip())
            if not text or text.startswith(("【", "#")):
                continue
            pos = 0
            pieces: list[tuple[str | None, str]] = []
            for m in _PROSE_CATEGORY.finditer(text):
                c = _prose_category(m.group(1))
                if c is None:
                    continue
                if pieces or m.start() > pos:
                    pieces.append((None, text[pos : m.start()]))
                pieces.append((c, ""))
                pos = m.end()
            whole = _prose_category(text.rstrip("。:："))
            if not pieces and whole is not None:
                levels.apply(whole)  # a heading line: 二、 效益指标
                continue
            if not pieces:
                continue
            pieces.append((None, text[pos:]))
            for c, body in pieces:
                if c is not None:
                    levels.apply(c)
                    continue
                for item in _prose_items(body):
                    name, target = item
                    if levels.level1 is None and levels.level2 is None:
                        continue
                    _prose_indicator(doc, levels, name, target, cell)
                    read = True
    return read


def _prose_items(body: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for sentence in re.split(r"[;；。]", body):
        pending = ""
        for part in re.split(r"[,，]", sentence):
            part = part.strip()
            if not part:
                continue
            text = f"{pending},{part}" if pending else part
            m = _PROSE_VALUE.search(text)
            if m and m.start() > 0:
                out.append((text[: m.start()].strip(), m.group(1).strip()))
                pending = ""
            else:
                pending = text
        if pending:
            out.append((pending, None))
    return out


def _prose_indicator(
    doc: TargetDeclaration, levels: _Levels, name: str, target: str | None, cell: Cell
) -> None:
    l1, l2 = cat.export_levels(levels.level1, levels.level2)
    doc.indicators.append(
        Indicator(
            level1=l1,
            level2=l2,
            name=squash(name),
            target=squash(target) or None if target else None,
            source=cell.ref,
            cells={"name": cell.ref},
        )
    )


def _notice_project(rows: list[Row]) -> str | None:
    """The project a disclosure notice names in its title (``关于X项目绩效目标设定的公示``)."""
    for row in rows[:12]:
        m = _NOTICE_TITLE.search(unicodedata.normalize("NFKC", row.joined("")))
        if m:
            return squash(m.group(1).strip("|: ")) or None
    return None


_SIGNATURE_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ORGANISATION = re.compile(r"(?:人民政府|政府|局|委员会|委|办公室|中心|院|所|馆|站|厅|街道办事处|镇|乡)$")


def _signatory(rows: list[Row]) -> str | None:
    """A notice's signatory: the organisation on the line above the closing date (落款)."""
    lines = [squash(r.joined(" ")) for r in rows if r.joined("").strip()]
    for above, line in itertools.pairwise(lines):
        if (
            _SIGNATURE_DATE.match(line)
            and 4 <= len(above) <= 30  # a unit's name: r228's 同心县下马关镇人民政府 is 11 characters
            and _ORGANISATION.search(above)
            and not any(ch in above for ch in ":：|,，。")
        ):
            return above
    return None
