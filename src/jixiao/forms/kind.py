"""Which form a table is: a vote over the evidence it prints, not one title pattern.

A title names its kind (自评表, 自评结果, 区域绩效目标自评表 · 绩效目标表, 批复表, 审批表 · 评价结果信息表, 评价指标表 …); a
table without a title still prints the labels of its kind (实际完成值 and 执行率 for a self-evaluation, 指标值 and
年度目标 for a declaration, 评价结论 and 评价分值 for a result).  The words are data (``forms/vocabulary.py``); a kind
wins the vote only with more distinct evidence than every other kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from jixiao.forms.common import folded_key
from jixiao.forms.vocabulary import KIND_CONTENT_EVIDENCE, KIND_TITLE_EVIDENCE
from jixiao.model import Kind
from jixiao.readers.base import Row
from jixiao.text import prints_folded

# A self-evaluation title often names the declaration it reports on (区域绩效目标自评表), and a result the self-evaluation
# it reviews; the more specific kind decides when words of several kinds are in one title.
_TITLE_ORDER = (Kind.SELF_EVALUATION, Kind.TARGET_DECLARATION, Kind.EVALUATION_RESULT)
_MIN_EVIDENCE = 2  # distinct content words; one word alone (指标值, 得分) is in every form


@lru_cache(maxsize=1)
def _title_words() -> dict[Kind, tuple[str, ...]]:
    return {Kind(k): tuple(folded_key(w) for w in words) for k, words in KIND_TITLE_EVIDENCE.items()}


@lru_cache(maxsize=1)
def _title_patterns() -> list[tuple[Kind | None, re.Pattern[str]]]:
    """Per kind in :data:`_TITLE_ORDER`, one pattern: any of its title words where it ends the title (followed by
    the title tail only), the words longest first.  One search per kind instead of a find per word.

    First, under None, the last characters of all title words: text printing none of them holds no title word,
    and most rows are not titles."""
    words = _title_words()
    tail = _TITLE_TAIL.pattern
    return [
        (None, re.compile("[" + re.escape("".join({w[-1] for ws in words.values() for w in ws})) + "]")),
        *[
            (
                kind,
                re.compile(
                    "(?:"
                    + "|".join(re.escape(w) for w in sorted(words[kind], key=len, reverse=True))
                    + f")(?:{tail})\\Z"
                ),
            )
            for kind in _TITLE_ORDER
        ],
    ]


@lru_cache(maxsize=1)
def _content_words() -> dict[Kind, tuple[str, ...]]:
    return {Kind(k): tuple(folded_key(w) for w in words) for k, words in KIND_CONTENT_EVIDENCE.items()}


# What may follow a title word on the title line: bracketed notes (（2022年度）, (附表)), punctuation and a table
# rule. Anything
# else means the word is inside a sentence or a row (项目绩效自评完成 3月底前, 评价结果应用情况), not a title.
# A notice's title may close with the notice's own word (关于…绩效目标设定的公示).
_TITLE_TAIL = re.compile(
    r"(?:的?(?:公示|公告|通知|情况))?(?:[(（\[【〔][^)）\]】〕]{0,16}[)）\]】〕]|[\s:：,，.。;；、_|\-—])*"
)


def may_be_title(printed: str) -> bool:
    """False when the printed text cannot fold into a title: it prints no last character of a title word, and its
    folding (:func:`jixiao.text.prints_folded`) adds no character.  Most rows are no title; this spares them the
    folding."""
    return not prints_folded(printed) or _title_patterns()[0][1].search(printed) is not None


def title_kind_of(text: str) -> Kind | None:
    """The kind a title announces (``财政项目支出绩效自评表``, ``项目绩效目标批复表``), or None.

    The title word ends the title (only bracketed notes and punctuation may follow it)."""
    t = folded_key(text)
    (_, last_chars), *kinds = _title_patterns()
    if last_chars.search(t) is None:
        return None
    for kind, pattern in kinds:
        if pattern.search(t):
            return kind
    return None


def evidence(texts: Iterable[str]) -> dict[Kind, int]:
    """Per kind, how many of its distinct content words the texts print."""
    joined = "".join(folded_key(t) for t in texts)
    return {kind: sum(1 for w in words if w in joined) for kind, words in _content_words().items()}


def vote(rows: list[Row]) -> Kind | None:
    """The kind the rows' labels vote for; None when no kind has enough evidence or two tie."""
    counts = evidence(c.text for r in rows for c in r.cells if not c.empty)
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    best, n = ranked[0]
    if n < _MIN_EVIDENCE or (len(ranked) > 1 and ranked[1][1] == n):
        return None
    return best
