"""The national 绩效目标表 in the zoo: a real declaration's gold printed in every extraction style.

The contents are the real corpus's declaration gold (``../shared/corpus/real/gold/r2*.json``), each an example of
the class; the grid is the national form as the spec describes it (项目名称, 主管部门, 实施单位, 资金情况, 总体/年度目标,
一级/二级/三级指标 and 指标值), worded from :mod:`tests.zoo.vocab`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from tests.zoo import (
    STYLES,
    Gold,
    Grid,
    Score,
    Variant,
    _label,
    _merged,
    _number,
    _row,
    compare,
    gold_documents,
    vocab,
)

REAL_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real" / "gold"


def declarations() -> list[Gold]:
    """The real corpus's national 绩效目标表 gold (r2xx), in file order."""
    return gold_documents(REAL_GOLD, "target_declaration", "r2*.json")


@dataclass(frozen=True)
class DeclarationVariant:
    """The wording and the printing of one rendering of a 绩效目标表."""

    style: str = "markdown"
    title: int = 0
    year_line: int = 0
    unit: int = 0
    funds: int = 0
    period: int = 0
    goals: int = 0
    indicators: int = 0
    money_unit: str | None = None  # None: as printed; "元" converts from 万元
    centred_categories: bool = False
    traditional: bool = False  # labels and categories in Traditional forms, glossed as doc-sites gloss them
    banner: bool = False  # a site's page furniture before the table (breadcrumbs, dates, print links)


def _date(text: str) -> str:
    year, _, month = text.partition("-")
    return f"{year}年{int(month.split('-')[0])}月"


def build(doc: Gold, v: DeclarationVariant) -> tuple[Grid, Gold]:
    script = Variant(traditional=v.traditional)

    def lab(text: str) -> str:
        return _label(text, script)

    expected: Gold = {k: doc.get(k) for k in ("kind", "year", "project", "department", "unit")}
    unit = v.money_unit or doc.get("money_unit") or "万元"
    scale = Decimal(10000) if doc.get("money_unit") == "万元" and unit == "元" else Decimal(1)
    expected["money_unit"] = unit if doc.get("total_budget") is not None else None  # only when printed
    grid: Grid = [_row(lab(vocab.DECLARATION_TITLES[v.title]))]
    if doc.get("year") is not None:
        grid.append(_row(vocab.DECLARATION_YEAR_LINES[v.year_line].format(y=doc["year"])))
    grid.append(_row(lab("项目名称"), doc["project"]))
    grid.append(
        _row(
            lab("主管部门"),
            doc.get("department") or "",
            lab(vocab.DECLARATION_UNIT[v.unit]),
            doc.get("unit") or "",
        )
    )
    total = doc.get("total_budget")
    if total is not None:
        label, line = vocab.DECLARATION_FUNDS[v.funds]
        amount = Decimal(repr(total)) * scale
        grid.append(_row(lab(label.format(u=unit)), lab(line), _number(float(amount), "")))
        expected["total_budget"] = float(amount)
    if doc.get("start") and doc.get("end"):
        grid.append(
            _row(lab(vocab.DECLARATION_PERIOD[v.period]), f"{_date(doc['start'])}至{_date(doc['end'])}")
        )
        expected["start"], expected["end"] = doc["start"], doc["end"]
    overall, annual = vocab.DECLARATION_GOALS[v.goals]
    for label, key in ((overall, "overall_goal"), (annual, "annual_goal")):
        if doc.get(key):
            grid.append(_row(lab(label), doc[key]))
            expected[key] = doc[key]
    grid.append(_row(lab("绩效指标"), *map(lab, vocab.DECLARATION_INDICATORS[v.indicators])))
    body = [
        (lab(ind["level1"]), lab(ind.get("level2") or ""), [ind["name"], ind.get("target") or ""])
        for ind in doc.get("indicators") or []
    ]
    for l1, l2, rest in _merged(body, v.centred_categories):
        grid.append(_row("", l1, l2, *rest))
    expected["indicators"] = [
        {k: ind.get(k) for k in ("level1", "level2", "name", "target")} for ind in doc.get("indicators") or []
    ]
    return grid, expected


def render(doc: Gold, v: DeclarationVariant) -> tuple[str, Gold]:
    grid, expected = build(doc, v)
    text = STYLES[v.style](grid)
    if v.banner:
        text = "\n".join(vocab.BANNERS) + "\n\n" + text
    return text + "\n", expected


def variants(style: str) -> dict[str, DeclarationVariant]:
    base = DeclarationVariant(style=style)
    return {
        "plain": base,
        "wording1": replace(base, title=1, year_line=1, unit=1, funds=1, period=1, goals=1, indicators=1),
        "wording2": replace(base, title=2, year_line=2, unit=2, funds=2, period=2, goals=2, indicators=2),
        "wording3": replace(base, title=3, unit=1, indicators=1),
        "wording4": replace(base, title=4, funds=1),
        "yuan": replace(base, money_unit="元"),
        "centred": replace(base, centred_categories=True),
        "traditional": replace(base, traditional=True),
        "banner": replace(base, banner=True),
    }


DECLARATION_FIELDS = (
    "year",
    "project",
    "department",
    "unit",
    "money_unit",
    "total_budget",
    "start",
    "end",
    "overall_goal",
    "annual_goal",
)


def compare_declaration(expected: Gold, got: Gold | None) -> Score:
    return compare(expected, got, common=DECLARATION_FIELDS)
