"""Helpers every form parser shares: label lookup, year, money unit, findings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from jixiao.forms.vocabulary import GLUED_LABELS, INDICATOR_HEADER
from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Cell, Row
from jixiao.text import nospace, parse_number, simplify, squash

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]")
_SEPARATOR_ONLY = re.compile(r"^[\s|｜¦‖│┃]*$")
# What a label prints after itself for the signer: 实施单位（盖章）, 项目负责人(签字).
_ANNOTATION = re.compile(r"[(（]\s*(?:盖章|签章|公章|签字)\s*[)）]$")


# A pinyin gloss a doc site prints after a character it thinks rare (``數(shù)``, ``項(xiàng)``): lower-case latin
# letters, tone marks included, in parentheses right after a CJK character.
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü\u00e0-\u01dc]{1,7}[)）]")


def fold_glosses(text: str) -> str:
    """Text without its pinyin glosses (``數(shù)據(jù)`` → ``數據``)."""
    return GLOSS.sub("", text) if "(" in text or "（" in text else text


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A label's comparison key: no whitespace, no pinyin glosses, simplified characters, no trailing colon.
    The printed text stays on the cell (gold keeps names with their glosses verbatim)."""
    return fold_text(text)


def fold_text(text: str) -> str:
    """:func:`key`, not memoised: for a whole document's text, asked once (a memo would only keep it)."""
    return simplify(fold_glosses(nospace(text))).rstrip(":：")


@lru_cache(maxsize=65536)
def folded_key(text: str) -> str:
    """:func:`key` with compatibility forms folded too (NFKC: ``（万元）`` → ``(万元)``, ``⾃`` → ``自``)."""
    return unicodedata.normalize("NFKC", key(text))


# What a column header prints after its name: the 10号 form's letters ``(A)`` ``(B)`` ``(B/A)``, a unit ``(%)``
# ``(万元)``, the column's points ``(10分)``.
_COLUMN_NOTE = re.compile(r"\((?:[A-Za-z][A-Za-z0-9/×*+\-%.]*|%|\d+(?:\.\d+)?分|万元|元)\)$")
_PARENS = str.maketrans("（）", "()")


@lru_cache(maxsize=8192)
def column_key(text: str) -> str:
    """A column header's comparison key: :func:`key` with ASCII parentheses and without the annotations a form
    prints after the column's name (``全年预算数（A）`` → ``全年预算数``, ``执行率(%)`` → ``执行率``)."""
    k = key(text).translate(_PARENS)
    while True:
        stripped = _COLUMN_NOTE.sub("", k)
        if stripped == k or not stripped:
            return k
        k = stripped


@dataclass
class Context:
    """What a form parser knows about its file, and where it puts its findings."""

    path: str
    index: int  # 1-based document index within the file
    findings: list[Finding] = field(default_factory=list)
    default_year: int | None = None

    def report(
        self,
        code: str,
        message: str,
        source: SourceRef | None,
        severity: Severity = Severity.WARNING,
        *,
        expected: float | str | None = None,
        actual: float | str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                message=message,
                source=source or SourceRef(path=self.path),
                expected=expected,
                actual=actual,
            )
        )


T = TypeVar("T")
_UNREAD = object()  # a memo's marker for "not read yet" (None is a value a reading may give)


def once_per_row(row: Row, name: str, read: Callable[[Row], T]) -> T:
    """``read(row)``, kept in the row's memo under ``name``: what a parser derives from a row's cells (its title
    kind, its split) is asked for again by the segmenter and by each parser that sees the row."""
    memo = row.memo
    done: T = memo.get(name, _UNREAD)
    if done is _UNREAD:
        done = memo[name] = read(row)
    return done


def row_keys(row: Row) -> list[str]:
    """The :func:`key` of each of the row's cells, made once per row (the parsers ask for it row after row)."""
    keys: list[str] | None = row.memo.get("keys")
    if keys is None:
        keys = row.memo["keys"] = [key(c.text) for c in row.cells]
    return keys


def key_positions(row: Row) -> dict[str, int]:
    """Each key the row prints, at the first cell printing it (``keys.index`` for every key at once)."""
    at: dict[str, int] | None = row.memo.get("positions")
    if at is None:
        keys = row_keys(row)
        # filled from the last cell back, so each key ends at its first cell
        at = row.memo["positions"] = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    return at


@lru_cache(maxsize=65536)
def _label_keys(text: str) -> tuple[str, str]:
    """A cell's key, and the key without the signer's note after it (实施单位（盖章） → 实施单位)."""
    k = key(text)
    return k, _ANNOTATION.sub("", k)


def find_label(row: Row, *labels: str) -> int | None:
    """Index of the first cell whose key is one of ``labels`` (exact), or None."""
    wanted = set(labels)
    for i, c in enumerate(row.cells):
        k, bare = _label_keys(c.text)
        if k in wanted or bare in wanted:
            return i
    return None


def _label_positions(row: Row) -> dict[str, int]:
    """Each key (and key without its signer's note) the row prints, at the first cell printing it; made once per
    row (the parsers look for their labels in every row)."""
    at: dict[str, int] | None = row.memo.get("labels")
    if at is None:
        at = key_positions(row)
        notes = [
            (i, bare)
            for i, k in enumerate(row_keys(row))
            if k.endswith((")", "）"))
            and (bare := _ANNOTATION.sub("", k)) != k  # only a note ends in a bracket
        ]
        if notes:
            at = dict(at)
            for i, bare in notes:
                if at.get(bare, i) >= i:  # the first cell printing it, with or without its note
                    at[bare] = i
        row.memo["labels"] = at
    return at


@lru_cache(maxsize=1)
def _form_label_keys() -> frozenset[str]:
    return frozenset(key(label) for label in (*GLUED_LABELS, *INDICATOR_HEADER))


def is_filler(text: str) -> bool:
    """Never a value: only table rules (``|``, ``｜``) and blanks extraction left, or the signer's note a label
    prints after itself (``（盖章）``)."""
    return bool(_SEPARATOR_ONLY.match(text) or _ANNOTATION.fullmatch(key(text)))


# A file number (文号): 昌州财行(2022)10号, 财预〔2021〕5号.
_FILE_NUMBER = re.compile(r".*[(（〔\[【]\s*(?:19|20)\d{2}\s*[)）〕\]】]\s*\d+\s*号")
# How a label the vocabulary lacks still ends: 项目负责人及电话, 项目编码, 预算单位 …
_LABEL_END = re.compile(r"(?:负责人|电话|编码|代码|单位|部门|类型|名称|日期)[:：]?$")


def name_after_file_number(value: str, following: str | None) -> str:
    """A name cell that is only a file number (``昌州财行(2022)10号``) names nothing by itself: a space-aligned
    row cut the name after it, so the next cell, unless it is a label, continues it."""
    if following is None or not _FILE_NUMBER.fullmatch(key(value)):
        return value
    if is_form_label(following) or is_filler(following) or _LABEL_END.search(key(following)):
        return value
    return value + following


_LABELLED_TEXT = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]\S")


def is_labelled_text(text: str) -> bool:
    """A ``label:value`` line (评价方式:部门(单位)绩效自评): never the value of another label."""
    return bool(_LABELLED_TEXT.match(key(text) + " "))


def is_form_label(text: str) -> bool:
    """A label the forms print (项目名称, 全年预算数, 一级指标 …): never the value of another label."""
    return key(text) in _form_label_keys()


def value_after(row: Row, i: int, stop: Iterable[str] = ()) -> Cell | None:
    """The first non-empty cell after cell ``i``; None when a stop label or any other form label comes first
    (a label is never a value: the value is missing).  Filler cells (``|``, ``（盖章）``) are skipped."""
    stops = set(stop)
    for c in row.cells[i + 1 :]:
        if c.empty or is_filler(c.text):
            continue
        if key(c.text) in stops or is_form_label(c.text):
            return None
        return c
    return None


_YEAR_IN_PARENS = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年度?\s*[)）]")


def prints_label(row: Row, labels: frozenset[str]) -> bool:
    """Whether the row prints one of ``labels`` (with or without its signer's note), as :func:`labelled` finds
    them: a cheaper question where most rows print none."""
    return not labels.isdisjoint(_label_positions(row))


def labelled(row: Row, *labels: str, stop: Iterable[str] = ()) -> dict[str, Cell | None]:
    """The value after each label the row prints (``主管部门 X 实施单位 Y``); a label's value stops at the next
    label.  Labels the row does not print are absent; an empty dict means none of them is there."""
    at = _label_positions(row)
    out: dict[str, Cell | None] = {}
    stops: tuple[str, ...] | None = None
    for label in labels:
        i = at.get(label)
        if i is not None:
            stops = stops or (*labels, *stop)
            out[label] = value_after(row, i, stops)
    return out


def find_year(rows: Sequence[Row], near: int = 6, far: int = 30) -> int | None:
    """The fiscal year printed near a title: ``(2022 年度)``, ``(2018年)``, ``2018年度…``.

    A year in parentheses (the form's own ``(2016年度)``) counts within the first ``far`` rows; any
    ``2018年`` within the first ``near``."""
    plain: int | None = (
        None  # the first ``2018年`` of the first ``near`` rows, taken when no ``(2018年度)`` is
    )
    for n, row in enumerate(rows[: max(far, near)]):
        if not any("年" in c.text for c in row.cells):
            continue  # most rows print no year: not joined
        text = row.joined("")
        if n < far:
            m = _YEAR_IN_PARENS.search(text)
            if m:
                return int(m.group(1))
        if n < near and plain is None:
            m = _YEAR.search(text)
            if m:
                plain = int(m.group(1))
    return plain


def money_unit(text: str) -> str | None:
    """The money unit a label prints (``项目资金（万元）``, ``預算執行情況(萬元)``), or None."""
    if not text.isascii():
        text = simplify(text)
    m = _UNIT.search(text)
    if m:
        return m.group(1)
    t = nospace(text)
    if t.endswith("万元"):
        return "万元"
    if t.endswith("元"):
        return "元"
    return None


def clean(text: str | None) -> str | None:
    s = squash(text)
    return s or None


def number(ctx: Context, cell: Cell | None, what: str, *, percent: bool = False) -> float | None:
    """A number from a cell; a cell that holds text instead is reported, not guessed."""
    if cell is None:
        return None
    value = parse_number(cell.text, percent=percent)
    if value is None and not _is_blank(cell.text):
        ctx.report(
            "PARSE-NUMBER", f"{what}不是数字：“{squash(cell.text)}”", cell.ref, actual=squash(cell.text)
        )
    return value


def _is_blank(text: str) -> bool:
    from jixiao.text import is_null_mark

    return is_null_mark(text)
