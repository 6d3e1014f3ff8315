"""The layout zoo: any gold 绩效自评表 printed the ways real extraction tools print it.

A :class:`Variant` picks the form's wording (title, header labels, unit, null marks, page furniture, script) and
a *style* how cells are separated (markdown pipes, tabs, one cell per line, CSV, …). :func:`render` prints a gold
document (v1 JSON, as in ``../shared/seeds/gold``) that way and returns the text together with the JSON the
parser must give back for it (amounts rescaled to the printed unit, labels as printed). The vocabulary comes from
:mod:`tests.zoo.vocab`, written from the spec and the real documents, not from ``src/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.zoo import vocab

Grid = list[list[str]]
Gold = dict[str, Any]

SEED_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "gold"


def gold_documents(folder: Path, kind: str, pattern: str = "*.json") -> list[Gold]:
    """The gold documents of ``kind`` in ``folder`` (a file holds one document or a list), in file order."""
    docs: list[Gold] = []
    for path in sorted(folder.glob(pattern)):
        data = json.loads(path.read_text("utf-8"))
        docs.extend(d for d in (data if isinstance(data, list) else [data]) if d.get("kind") == kind)
    return docs


def self_evaluations() -> list[Gold]:
    """Every self-evaluation of the seed gold files, in file order."""
    return gold_documents(SEED_GOLD, "self_evaluation")


@dataclass(frozen=True)
class Variant:
    """The wording and the printing of one rendering. Every field indexes a list of :mod:`tests.zoo.vocab`."""

    style: str = "markdown"
    title: int = 0
    year_line: int = 0
    department: int = 0
    unit: int = 0
    funds_label: int = 0
    fund_headers: int = 0
    goal_label: int = 0
    goal_headers: int = 0
    indicator_label: int = 0
    indicator_headers: int = 0
    total: int = 0
    null: int = 0
    money_unit: str | None = None  # None: as the gold prints it; "元" or "万元" converts
    thousands: bool = False  # 9,280,000
    banner: bool = False
    traditional: bool = False
    cost_as_level2: bool = False  # 成本指标 printed as a 二级 under 产出指标 (the 2022 template)
    centred_categories: bool = False  # merged category cells extracted at the middle row of their span


# --- numbers -----------------------------------------------------------------------------------------


def _decimal(value: float | int) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


def _amount(value: float | None, scale: Decimal, thousands: bool, null: str) -> tuple[str, float | None]:
    """The printed amount and the value the parser must read from it."""
    if value is None:
        return null, None
    d = _decimal(value) * scale
    text = _plain(d)
    if thousands:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text, float(d) if d != d.to_integral_value() else float(int(d))


def _number(value: float | None, null: str) -> str:
    return null if value is None else _plain(_decimal(value))


# --- the grid ----------------------------------------------------------------------------------------

WIDTH = 9


def _row(*cells: str) -> list[str]:
    out = list(cells)
    return out + [""] * (WIDTH - len(out))


def _label(text: str, v: Variant, gloss: bool = True) -> str:
    """A form label in the variant's script (Traditional, glossed where doc-sites gloss)."""
    if not v.traditional:
        return text
    trad = text.translate(vocab.TRADITIONAL)
    if not gloss:
        return trad
    return "".join(
        f"{ch}({vocab.GLOSSES[ch]})" if ch in vocab.GLOSSES and i % 2 == 0 else ch
        for i, ch in enumerate(trad)
    )


def build(doc: Gold, v: Variant) -> tuple[Grid, Gold]:
    """The printed grid of one self-evaluation and the JSON the parser must read from it."""
    expected: Gold = {k: doc.get(k) for k in ("kind", "year", "project", "department", "implementing_unit")}
    unit = v.money_unit or doc.get("money_unit") or "元"
    scale = Decimal(1)
    if doc.get("money_unit") == "元" and unit == "万元":
        scale = Decimal("0.0001")
    elif doc.get("money_unit") == "万元" and unit == "元":
        scale = Decimal(10000)
    expected["money_unit"] = unit
    null = vocab.NULLS[v.null]

    def lab(text: str) -> str:
        return _label(text, v)

    grid: Grid = [_row(lab(vocab.TITLES[v.title]))]
    if doc.get("year") is not None:
        grid.append(_row(vocab.YEAR_LINES[v.year_line].format(y=doc["year"])))
    grid.append(_row(lab(vocab.PROJECT[0]), doc["project"]))
    grid.append(
        _row(
            lab(vocab.DEPARTMENT[v.department]),
            doc.get("department") or "",
            "",
            "",
            lab(vocab.UNIT[v.unit]),
            doc.get("implementing_unit") or "",
        )
    )
    heads = vocab.FUND_HEADERS[v.fund_headers]
    grid.append(_row(lab(vocab.FUNDS_LABEL[v.funds_label].format(u=unit)), "", *map(lab, heads)))
    funds: list[Gold] = []
    for line in doc.get("funds") or []:
        printed = _label(line["line"], v, gloss=False)
        cells = [printed]
        got: Gold = {"line": printed}
        for key in ("initial_budget", "annual_budget", "executed"):
            text, value = _amount(line.get(key), scale, v.thousands, null)
            cells.append(text)
            got[key] = value
        cells.append(_number(line.get("weight"), null))
        rate = line.get("execution_rate")
        cells.append("" if rate is None else _number(rate, null) + "%")
        cells.append(_number(line.get("score"), "" if rate is None else null))
        got.update(weight=line.get("weight"), execution_rate=rate, score=line.get("score"))
        grid.append(_row("", *cells))
        funds.append(got)
    expected["funds"] = funds
    goal = doc.get("goal")
    if goal:
        g_exp, g_act = vocab.GOAL_HEADERS[v.goal_headers]
        grid.append(_row(lab(vocab.GOAL_LABEL[v.goal_label]), lab(g_exp), "", "", lab(g_act)))
        grid.append(_row("", goal.get("expected") or "", "", "", goal.get("actual") or ""))
        expected["goal"] = goal
    grid.append(
        _row(
            lab(vocab.INDICATOR_LABEL[v.indicator_label]),
            *map(lab, vocab.INDICATOR_HEADERS[v.indicator_headers]),
        )
    )
    body: list[tuple[str, str, list[str]]] = []
    for ind in doc.get("indicators") or []:
        l1, l2 = ind["level1"], ind.get("level2")
        if l1 == "成本指标" and v.cost_as_level2:
            l1, l2 = "产出指标", l2 or "成本指标"
        rest = [
            ind["name"],
            ind.get("target") or "",
            ind.get("actual") or "",
            _number(ind.get("weight"), ""),
            _number(ind.get("score"), ""),
            ind.get("deviation") or "",
        ]
        body.append((lab(l1), lab(l2) if l2 else "", rest))
    for l1, l2, rest in _merged(body, v.centred_categories):
        grid.append(_row("", l1, l2, *rest))
    expected["indicators"] = [dict(i) for i in doc.get("indicators") or []]
    if doc.get("total_weight") is not None or doc.get("total_score") is not None:
        grid.append(
            _row(
                "",
                lab(vocab.TOTAL[v.total]),
                "",
                "",
                "",
                "",
                _number(doc.get("total_weight"), ""),
                _number(doc.get("total_score"), ""),
            )
        )
        expected["total_weight"] = doc.get("total_weight")
        expected["total_score"] = doc.get("total_score")
    return grid, expected


def _merged(body: list[tuple[str, str, list[str]]], centred: bool) -> Iterator[tuple[str, str, list[str]]]:
    """Category cells printed once per merged span: on its first row, or on its middle row as PDF text gives them."""

    def spans(keys: list[tuple[str, ...]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                out.append((start, i))
                start = i
        return out

    l1_at: dict[int, str] = {}
    l2_at: dict[int, str] = {}
    for a, b in spans([(l1,) for l1, _, _ in body]):
        l1_at[(a + b - 1) // 2 if centred else a] = body[a][0]
    for a, b in spans([(l1, l2) for l1, l2, _ in body]):
        l2_at[(a + b - 1) // 2 if centred else a] = body[a][1]
    for i, (_, _, rest) in enumerate(body):
        yield l1_at.get(i, ""), l2_at.get(i, ""), rest


# --- styles: how extraction separated the cells -----------------------------------------------------------


def _trim(row: list[str]) -> list[str]:
    out = list(row)
    while out and not out[-1]:
        out.pop()
    return out


def _markdown(grid: Grid) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    lines.insert(1, "|" + "---|" * WIDTH)
    return "\n".join(lines)


def _bare_pipes(grid: Grid) -> str:
    # no leading pipe; the empty tail cells left as a run of pipes
    return "\n".join(" | ".join(_trim(row)) + " " + "|" * (WIDTH - len(_trim(row)) + 1) for row in grid)


def _tabs(grid: Grid) -> str:
    return "\n".join("\t".join(_trim(row)) for row in grid)


def _cells(grid: Grid) -> Iterator[str]:
    for row in grid:
        yield from (c for c in row if c)


def _line_per_cell(grid: Grid) -> str:
    return "\n".join(_cells(grid))


def _paragraph_per_cell(grid: Grid) -> str:
    return "\n\n".join(_cells(grid))


def _line_per_cell_piped(grid: Grid) -> str:
    return "\n".join(c + " |" for c in _cells(grid))


def _space_aligned(grid: Grid) -> str:
    widths = [max(_width(_unspaced(row[i])) for row in grid if not _long(row)) for i in range(WIDTH)]
    lines: list[str] = []
    for row in grid:
        if _long(row):  # a wrapped text cell: extraction gives each on lines of its own
            lines.extend(c for c in row if c)
            continue
        row = [_unspaced(c) for c in row]
        lines.append("".join(c + " " * (widths[i] - _width(c) + 3) for i, c in enumerate(row)).rstrip())
    return "\n".join(lines)


def _unspaced(cell: str) -> str:
    # where a space separates cells, a short cell's own spaces (`=100 (%)`) are gone in the published text too;
    # the comparison ignores whitespace, as goldcheck does
    return cell.replace(" ", "")


def _long(row: list[str]) -> bool:
    """A row of wrapped prose (the goals): every filled cell a long text."""
    filled = [c for c in row if c]
    return bool(filled) and all(len(c) > 40 for c in filled)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _csv(grid: Grid) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(_trim(row) for row in grid)
    return buf.getvalue()


def _flattened(grid: Grid) -> str:
    # each row on one line, the cells separated by one space, empty cells gone; a wrapped text cell on its own line
    lines: list[str] = []
    for row in grid:
        if _long(row):
            lines.extend(c for c in row if c)
        else:
            lines.append(" ".join(_unspaced(c) for c in row if c))
    return "\n".join(lines)


STYLES: dict[str, Callable[[Grid], str]] = {
    "markdown": _markdown,
    "bare_pipes": _bare_pipes,
    "tabs": _tabs,
    "line_per_cell": _line_per_cell,
    "paragraph_per_cell": _paragraph_per_cell,
    "line_per_cell_piped": _line_per_cell_piped,
    "space_aligned": _space_aligned,
    "csv": _csv,
    "flattened": _flattened,
}


def render(doc: Gold, v: Variant) -> tuple[str, Gold]:
    """The text of ``doc`` printed as ``v`` says, and the JSON the parser must read from it."""
    grid, expected = build(doc, v)
    text = STYLES[v.style](grid)
    if v.banner:
        text = "\n".join(vocab.BANNERS) + "\n\n" + text
    return text + "\n", expected


# --- comparing ---------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return _WS.sub("", value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


@dataclass
class Score:
    matched: int = 0
    missing: int = 0
    wrong: list[str] | None = None

    def __post_init__(self) -> None:
        self.wrong = self.wrong or []

    @property
    def fields(self) -> int:
        return self.matched + self.missing + len(self.wrong or [])


SELF_EVALUATION_FIELDS = (
    "year",
    "project",
    "department",
    "implementing_unit",
    "money_unit",
    "total_weight",
    "total_score",
)


def compare(expected: Gold, got: Gold | None, common: tuple[str, ...] = SELF_EVALUATION_FIELDS) -> Score:
    """Field by field, as ``../shared/tools/goldcheck.py`` counts: a value given but not the document's is wrong."""
    score = Score()
    assert score.wrong is not None

    def one(where: str, want: Any, have: Any) -> None:
        if want is None:
            return
        if have is None:
            score.missing += 1
        elif _norm(want) == _norm(have):
            score.matched += 1
        else:
            score.wrong.append(f"{where}: {str(want)[:40]!r} ≠ {str(have)[:40]!r}")  # type: ignore[union-attr]

    got = got or {}
    for key in common:
        one(key, expected.get(key), got.get(key))
    if expected.get("goal"):
        have_goal = got.get("goal") or {}
        for key in ("expected", "actual"):
            one(f"goal.{key}", expected["goal"].get(key), have_goal.get(key))
    for name in ("funds", "indicators"):
        have_rows = got.get(name) or []
        for i, want in enumerate(expected.get(name) or []):
            have = have_rows[i] if i < len(have_rows) else {}
            for key, value in want.items():
                one(f"{name}[{i}].{key}", value, have.get(key))
    return score


def variants(style: str) -> dict[str, Variant]:
    """Fixed wordings per style, named, so the deterministic zoo covers every entry of every vocabulary list."""
    base = Variant(style=style)
    return {
        "seed": base,
        "national": replace(
            base, title=1, year_line=1, fund_headers=1, indicator_headers=1, null=1, thousands=True
        ),
        "provincial": replace(
            base, title=2, department=1, unit=1, fund_headers=2, indicator_headers=2, total=1
        ),
        "banner": replace(
            base, title=3, unit=2, funds_label=2, goal_label=1, goal_headers=1, indicator_label=1, banner=True
        ),
        "wan": replace(base, money_unit="万元", year_line=2, null=2),
        "yuan": replace(base, money_unit="元", thousands=True),
        "traditional": replace(base, traditional=True),
        "cost_as_level2": replace(base, cost_as_level2=True),
        "centred": replace(base, centred_categories=True),
    }


# --- what the three zoo test files share ------------------------------------------------------------------------


def read_first(text: str) -> Gold | None:
    """The first document jixiao reads from ``text``, as v1 JSON."""
    import jixiao

    result = jixiao.parse_bytes(text.encode("utf-8"), "zoo.txt")
    return jixiao.to_v1(result.documents[0]) if result.documents else None


def score_all(
    docs: list[Gold],
    render_one: Callable[[Gold, Any], tuple[str, Gold]],
    compare_one: Callable[[Gold, Gold | None], Score],
    variant: Any,
) -> tuple[int, int, list[str]]:
    """(matched, missing, wrong values) over ``docs`` printed as ``variant``."""
    matched = missing = 0
    wrong: list[str] = []
    for i, doc in enumerate(docs):
        text, expected = render_one(doc, variant)
        s = compare_one(expected, read_first(text))
        matched += s.matched
        missing += s.missing
        wrong.extend(f"doc {i} {w}" for w in s.wrong or [])
    return matched, missing, wrong


def cases(variant_names: Callable[[str], dict[str, Any]], gaps: dict[tuple[str, str], str]) -> list[Any]:
    """One pytest case per style × named variant; a known gap is a strict xfail with its reason."""
    import pytest

    return [
        pytest.param(
            style,
            name,
            marks=[pytest.mark.xfail(strict=True, reason=gaps[style, name])] if (style, name) in gaps else [],
            id=f"{style}-{name}",
        )
        for style in STYLES
        for name in variant_names(style)
    ]
