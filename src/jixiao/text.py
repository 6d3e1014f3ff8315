"""Text normalisation shared by every stage: CJK whitespace, HTML, traditional characters, printed numbers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

_CJK = (
    r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    r"\u2014\u2018\u2019\u201c\u201d\u2026"
)
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_CHECKBOX = re.compile(r"<input\b([^>]*)/?>", re.IGNORECASE)


def html_to_text(s: str) -> str:
    """Remove HTML tags: check boxes become ☑/☐, paragraphs and breaks become spaces, entities unescaped."""
    if "<" not in s and "&" not in s:
        return s

    def box(m: re.Match[str]) -> str:
        attrs = m.group(1).lower()
        if "checkbox" not in attrs and "radio" not in attrs:
            return ""
        return "☑" if re.search(r"\bchecked\b", attrs) else "☐"

    s = _CHECKBOX.sub(box, s)
    s = re.sub(r"</p\s*>|<br\s*/?>", " ", s, flags=re.IGNORECASE)
    s = _TAG.sub("", s)
    return html.unescape(s)


_HAS_WS = re.compile(r"\s").search


def squash(s: str | None) -> str:
    """Fold whitespace: runs between two CJK characters vanish, other runs become one space; trimmed."""
    if not s:
        return ""
    if _HAS_WS(s) is None:
        return s  # nothing to fold (most cells): one scan instead of two substitutions and a strip
    return _squash(s)


@lru_cache(maxsize=16384)
def _squash(s: str) -> str:
    s = _CJK_GAP.sub("", s)
    return _WS.sub(" ", s).strip()


_CJK_CHAR = re.compile(rf"[{_CJK}]").fullmatch


def squash_join(done: str, more: str) -> str:
    """``squash(f"{done} {more}")`` where ``done`` is already squashed, without folding ``done`` again (text that
    grows line by line stays linear): the run between them vanishes between two CJK characters, else one space."""
    add = squash(more)
    if not done or not add:
        return done or add
    if _CJK_CHAR(done[-1]) and _CJK_CHAR(add[0]):
        return done + add
    return f"{done} {add}"


def nospace(s: str | None) -> str:
    return "".join((s or "").split())


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


# The BMP characters NFKC maps to CJK ideographs: Kangxi and CJK radicals, Hangzhou numerals, Kanbun, enclosed
# and square ideographs, compatibility ideographs (tests/test_t2s_table.py checks that no other character does;
# beyond the BMP every character counts as one folding may change).
_COMPAT_IDEOGRAPHS = "\u2e80-\u2fdf\u3038-\u303a\u3100-\u33ff\uf900-\ufaff"


@lru_cache(maxsize=1)
def _may_change() -> Callable[[str], re.Match[str] | None]:
    """A search for the first character folding may change: t2s may (``jixiao.t2s_table``), or NFKC maps it to an
    ideograph.  One class of the BMP ones (the engine tests a class of BMP characters with one lookup) and any
    character beyond the BMP, rare in the forms: for those, OpenCC and NFKC decide."""
    from jixiao.t2s_table import CHANGING

    bmp = "".join(c for c in CHANGING if ord(c) < 0x10000)
    return re.compile(f"[{re.escape(bmp)}{_COMPAT_IDEOGRAPHS}]|[\U00010000-\U0010ffff]").search


def simplify(s: str) -> str:
    """Traditional characters folded to simplified (可持續影響 → 可持续影响).  Text printing none of the characters
    folding may change (most text: it is printed in simplified characters) is returned as it is, without a call
    into OpenCC."""
    if s.isascii() or _may_change()(s) is None:
        return s
    if len(s) > _MEMO_LONGEST:
        return str(_t2s().convert(s))  # type: ignore[attr-defined]  # a paragraph or a document: asked once
    return _convert(s)


_MEMO_LONGEST = 200  # characters: a label, a cell or a line; the memo keeps no paragraph or document


def prints_folded(s: str) -> bool:
    """True when folding (t2s, NFKC) keeps every CJK character of ``s`` as printed: then a character the folded
    text holds is one ``s`` prints, and a test on the printed text answers for the folded one."""
    return s.isascii() or _may_change()(s) is None


@lru_cache(maxsize=16384)
def _convert(s: str) -> str:
    """OpenCC's t2s, memoised: the parsers fold the same traditional labels again and again."""
    return str(_t2s().convert(s))  # type: ignore[attr-defined]


_FULLWIDTH = str.maketrans(
    {
        "０": "0", "１": "1", "２": "2", "３": "3", "４": "4", "５": "5", "６": "6", "７": "7", "８": "8", "９": "9",
        "．": ".", "，": ",", "％": "%", "－": "-", "＋": "+",
    }
)  # fmt: skip
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
NULL_MARKS = frozenset({"", "-", "—", "－", "–", "——", "/", "／", "无", "\\"})


def parse_number(s: str | None, *, percent: bool = False) -> float | None:
    """A printed amount or score: ``1,563.92`` → 1563.92; ``—``/``-``/empty → None; ``90.90%`` → 90.9 when
    ``percent``.  Returns None for anything that is not a plain number (the caller reports it)."""
    if s is None:
        return None
    return _parse_number(s, percent)


@lru_cache(maxsize=65536)
def _parse_number(s: str, percent: bool) -> float | None:
    """:func:`parse_number`, memoised: the parsers ask about the same cell text many times (is it a number?)."""
    t = nospace(s).translate(_FULLWIDTH)
    if percent and t.endswith("%"):
        t = t[:-1]
    if t in NULL_MARKS or not _NUMBER.match(t):
        return None
    return float(t.replace(",", ""))


def is_number(s: str | None, *, percent: bool = False) -> bool:
    return parse_number(s, percent=percent) is not None


def is_null_mark(s: str | None) -> bool:
    return nospace(s or "").translate(_FULLWIDTH) in NULL_MARKS


def format_number(v: float | None, *, thousands: bool = False) -> str:
    """A number as the forms print it: integers without a decimal point, others as stored (``98.98``), optional
    thousands separators (``9,280,000``); empty for None. The inverse of :func:`parse_number` on such text."""
    if v is None:
        return ""
    if float(v).is_integer():
        return f"{int(v):,}" if thousands else str(int(v))
    text = repr(float(v))
    if thousands and "e" not in text:
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}.{frac}"
    return text
