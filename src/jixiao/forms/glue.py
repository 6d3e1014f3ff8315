"""Text that extraction glued together: labels run into values, numbers run into each other.

``项目名称【体制】自管道路…主管部门及代码北京市…`` is split at the labels a form prints; ``310.2154.741050%5``
under the columns 年初预算数 / 全年执行数 / 分值 / 执行率 / 得分 is split only where the arithmetic holds
(154.74 / 310.2 = 49.88% ≈ 50%, 10 × 50% = 5).  When no split, or more than one, fits, nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from jixiao.forms.vocabulary import GLUED_LABELS

_LABELS = re.compile(
    "(" + "|".join(re.escape(lb) for lb in sorted(GLUED_LABELS, key=len, reverse=True)) + ")"
)
# How far printed arithmetic may be from the computed and still hold, shared by every reader that places numbers by
# it.  A rate printed in whole percent is off its computed value by up to 0.5 points; 0.1 more lets through a rate
# that was truncated or rounded from an already rounded amount.  A score printed to one decimal is off weight × rate
# by up to 0.05; 0.01 more for the rate's own rounding.
RATE_SLACK = 0.6  # percentage points
SCORE_SLACK = 0.06  # points
_RUN = re.compile(r"^[\d.,%]+$")
_AMOUNT = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,4})?$")
_SMALL = re.compile(r"^(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?$")


def split_labels(text: str) -> list[str]:
    """``项目名称X主管部门Y`` → [项目名称, X, 主管部门, Y]; text without a glued label comes back whole.

    Traditional script and pinyin glosses (``項(xiàng)目名稱``) are folded before the labels are looked for; the
    pieces keep the printed text."""
    return [text] if len(text) < 8 else list(_split_labels(text))


@lru_cache(maxsize=16384)
def _split_labels(text: str) -> tuple[str, ...]:
    """:func:`split_labels`, memoised: the stream parser splits the same lines again for every pass."""
    if len(text) < 8:
        return (text,)
    folded, where = _folded(text)
    if folded == text:
        parts = tuple(p for p in _LABELS.split(text) if p and p.strip())
        return parts if len(parts) > 1 else (text,)
    cuts = {0, len(text)}
    for m in _LABELS.finditer(folded):
        cuts.add(where[m.start()])
        cuts.add(where[m.end()] if m.end() < len(folded) else len(text))
    bounds = sorted(cuts)
    pieces = tuple(p for p in (text[a:b] for a, b in pairwise(bounds)) if p.strip())
    return pieces if len(pieces) > 1 else (text,)


def _folded(text: str) -> tuple[str, Sequence[int]]:
    """``text`` without pinyin glosses and in simplified characters, and for each folded character the index of
    the printed one.  A character the folding does not map one to one is kept as printed."""
    from jixiao.forms.common import GLOSS
    from jixiao.text import simplify

    if text.isascii():
        return text, range(len(text))
    if GLOSS.search(text) is None:  # one chunk: the whole text, each character where it was printed
        simple = simplify(text)
        return (simple if len(simple) == len(text) else text), range(len(text))
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in [*GLOSS.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        chunk = text[pos:end]
        simple = simplify(chunk)
        if len(simple) != len(chunk):
            simple = chunk
        out.append(simple)
        where.extend(range(pos, end))
        if m is not None:
            pos = m.end()
    return "".join(out), where


def is_glued_run(text: str) -> bool:
    """Digits, points and percent signs only, and not one plain number: numbers printed without separators."""
    t = text.strip()
    return bool(_RUN.match(t)) and (
        t.count(".") > 1 or (t.count("%") == 1 and not t.endswith("%")) or len(t) > 6
    )


def split_numbers(
    run: str, kinds: tuple[str, ...], hints: dict[str, float] | None = None
) -> tuple[float, list[str]] | None:
    """Split a glued run into one number per column kind, where the fund arithmetic holds.

    ``kinds`` are fund columns (``initial_budget``, ``annual_budget``, ``executed``, ``weight``,
    ``execution_rate``, ``score``) in print order, possibly fewer than the run could fill.  ``hints`` are values
    a split that matches is preferred for (the 年度资金总额 line for its 其中 line).  Returns (how well it fits,
    the numbers), or None when no split, or more than one equally good split, fits."""
    candidates = _splits(run.strip(), kinds)
    scored = sorted(((_score(c, kinds, hints or {}), c) for c in candidates), key=lambda sc: -sc[0])
    if not scored or scored[0][0] <= 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][0], list(scored[0][1])


@lru_cache(maxsize=1024)
def _splits(run: str, kinds: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    if not kinds:
        return ((),) if not run else ()
    out: list[tuple[str, ...]] = []
    kind = kinds[0]
    for end in range(1, len(run) + 1):
        head = run[:end]
        if kind == "execution_rate":
            if not head.endswith("%"):
                continue
            ok = bool(_AMOUNT.match(head[:-1]))
        else:
            ok = bool((_SMALL if kind in ("weight", "score") else _AMOUNT).match(head))
        if not ok:
            continue
        out.extend((head, *rest) for rest in _splits(run[end:], kinds[1:]))
    return tuple(out)


def _value(text: str) -> float:
    return float(text.rstrip("%").replace(",", ""))


def _half_unit(printed: str) -> float:
    """Half a unit of the last digit printed: ``1%`` → 0.5, ``99.1%`` → 0.05."""
    body = printed.rstrip("%")
    decimals = len(body.partition(".")[2])
    return 0.5 * 10.0**-decimals


def _score(parts: tuple[str, ...], kinds: tuple[str, ...], hints: dict[str, float]) -> float:
    got = {k: _value(p) for k, p in zip(kinds, parts, strict=True)}
    score = 1.0
    budget = got.get("annual_budget", got.get("initial_budget"))
    if budget and "executed" in got and "execution_rate" in got:
        computed = 100.0 * got["executed"] / budget
        error = abs(computed - got["execution_rate"])
        score += 3 if error < RATE_SLACK else -5
        # A rate that rounds to exactly what is printed beats one only within the loose (truncated or sloppy)
        # tolerance: 66.67 / 16666.51 = 0.40% is not "1%", though RATE_SLACK lets it through.
        if error <= _half_unit(parts[kinds.index("execution_rate")]) + 1e-9:
            score += 1
    if "weight" in got and "score" in got:
        if got["score"] > got["weight"] + 1e-9:
            score -= 5
        rate = got.get("execution_rate")
        if rate is not None:
            score += 3 if abs(got["weight"] * rate / 100.0 - got["score"]) < SCORE_SLACK else -5
    for k, p in zip(kinds, parts, strict=True):
        hint = hints.get(k)
        if hint is not None and abs(_value(p) - hint) < 1e-9:
            score += 1
    return score


def expand_run(
    run: str, first: int, kinds: list[str], hints: dict[str, float] | None = None
) -> tuple[list[str], list[str]] | None:
    """A glued run standing at column ``first``: the columns it fills and its numbers, the best fit over every
    number of columns it could span; None when nothing fits or two fits tie."""
    best: tuple[float, list[str], list[str]] | None = None
    tie = False
    for end in range(len(kinds), first + 1, -1):
        cols = tuple(kinds[first:end])
        fit = split_numbers(run, cols, hints)
        if fit is None:
            continue
        if best is None or fit[0] > best[0]:
            best, tie = (fit[0], list(cols), fit[1]), False
        elif fit[0] == best[0]:
            tie = True
    if best is None or tie:
        return None
    return best[1], best[2]
