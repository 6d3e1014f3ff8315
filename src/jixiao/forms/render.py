"""Documents back to their printed forms: the inverse of the form parsers.

:func:`layout` lays a document out as the official form does (rows of cell strings, category labels printed once
per merged group), and :func:`to_markdown`, :func:`to_tsv` and :func:`to_flat` print such a layout the way
users' extraction tools give it.  Used by the round-trip tests and by exports.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.forms.vocabulary import (
    FUND_USES,
    INDICATOR_HEADER,
    PROJECT_TYPES,
    TITLE_DECLARATION,
    TITLE_EVALUATION,
    TITLE_SELF,
)
from jixiao.model import AnyDocument, EvaluationResult, SelfEvaluation, TargetDeclaration

Layout = list[list[str]]  # rows of cells; a row of one cell outside a table is a free text line


def fmt_number(v: float | None, *, thousands: bool = False, decimals: int | None = None) -> str:
    if v is None:
        return ""
    if decimals is not None:
        return f"{v:,.{decimals}f}" if thousands else f"{v:.{decimals}f}"
    if float(v).is_integer():
        return f"{int(v):,}" if thousands else str(int(v))
    text = repr(float(v))
    if thousands:
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}.{frac}"
    return text


def layout(doc: AnyDocument) -> tuple[list[str], Layout]:
    """(lines printed before the table, table rows)."""
    if isinstance(doc, SelfEvaluation):
        return _self_evaluation(doc)
    if isinstance(doc, TargetDeclaration):
        return _declaration(doc)
    return _evaluation(doc)


def _self_evaluation(doc: SelfEvaluation) -> tuple[list[str], Layout]:
    width = 9
    unit = doc.money_unit or "元"

    def row(*cells: str) -> list[str]:
        return [*cells, *[""] * (width - len(cells))]

    rows: Layout = [
        row("项目名称", doc.project or ""),
        row("主管部门", doc.department or "", "", "", "实施单位", doc.implementing_unit or ""),
        row(f"项目资金 ({unit})", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
    ]
    for f in doc.funds:
        rate = "—" if f.execution_rate is None else fmt_number(f.execution_rate) + "%"
        amounts = [
            fmt_number(v, thousands=True) or "-" for v in (f.initial_budget, f.annual_budget, f.executed)
        ]
        rows.append(row("", f.line, *amounts, fmt_number(f.weight) or "—", rate, fmt_number(f.score) or "—"))
    if doc.goal is not None:
        rows.append(row("年度总体目标", "预期目标", "", "", "实际完成情况"))
        rows.append(row("", doc.goal.expected or "", "", "", doc.goal.actual or ""))
    rows.append(row("绩效指标", *INDICATOR_HEADER))
    last: tuple[str | None, str | None] = (None, None)
    for ind in doc.indicators:
        l1, l2 = ind.level1, ind.level2
        print_l1 = l1 if l1 != last[0] else ""
        print_l2 = (l2 or "") if (l1, l2) != last else ""
        last = (l1, l2)
        rows.append(
            row(
                "",
                print_l1 or "",
                print_l2,
                ind.name,
                ind.target or "",
                ind.actual or "",
                fmt_number(ind.weight),
                fmt_number(ind.score),
                ind.deviation or "",
            )
        )
    rows.append(row("", "总分", "", "", "", "", fmt_number(doc.total_weight), fmt_number(doc.total_score)))
    if doc.grade:
        rows.append(row("评分等级", doc.grade))
    before = [TITLE_SELF, f"({doc.year}年度)" if doc.year else ""]
    return [b for b in before if b], rows


def _checkbox_line(options: Sequence[str], checked: Sequence[str]) -> str:
    return " ".join(f"{o} {'☑' if o in checked else '☐'}" for o in options)




def _declaration(doc: TargetDeclaration) -> tuple[list[str], Layout]:
    unit = doc.money_unit or "元"

    def date(d: object) -> str:
        return "" if d is None else f"{d.year}/{d.month}/{d.day}"  # type: ignore[attr-defined]

    types = [*PROJECT_TYPES, *(t for t in doc.project_type if t not in PROJECT_TYPES)]
    uses = [*FUND_USES, *(t for t in doc.fund_use if t not in FUND_USES)]
    rows: Layout = [
        ["项目名称", doc.project or "", "", ""],
        ["项目类型", _checkbox_line(types, doc.project_type), "", ""],
        ["资金用途", _checkbox_line(uses, doc.fund_use), "", ""],
        ["开始时间", date(doc.start), "结束时间", date(doc.end)],
        [
            f"项目总预算（{unit}）",
            fmt_number(doc.total_budget),
            f"项目当年预算（{unit}）",
            fmt_number(doc.annual_budget),
        ],
        [
            f"同名项目上年预算额（{unit}）",
            fmt_number(doc.previous_budget),
            f"同名项目上年预算执行数（{unit}）",
            fmt_number(doc.previous_executed),
        ],
        ["", "子项目名称", "", f"预算金额（{unit}）"],
    ]
    for n, sp in enumerate(doc.subprojects):
        rows.append(["项目当年投入资金构成" if n == 0 else "", sp.name, "", fmt_number(sp.amount)])
    rows.append(["项目总目标", doc.overall_goal or "", "", ""])
    rows.append(["年度绩效目标", doc.annual_goal or "", "", ""])
    rows.append(["分解目标内容", "绩效指标", "指标目标值", ""])
    last: str | None = None
    for ind in doc.indicators:
        rows.append([(ind.level1 or "") if ind.level1 != last else "", ind.name, ind.target or "", ""])
        last = ind.level1
    rows.append(["备注", "", "", ""])
    before = [TITLE_DECLARATION, f"({doc.year}年)" if doc.year else "", f"申报单位名称：{doc.unit or ''}"]
    return [b for b in before if b], rows


def _numbered(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return "".join(f"（{n}）{item}" for n, item in enumerate(items, start=1))


def _evaluation(doc: EvaluationResult) -> tuple[list[str], Layout]:
    name = f"{doc.year}年{doc.project}" if doc.year and doc.project else doc.project or ""
    rows: Layout = [
        ["项目名称", name],
        ["决算金额", f"{fmt_number(doc.final_accounts)}{doc.money_unit or ''}"],
    ]
    rows.append(["评价分值", fmt_number(doc.score)])
    rows.append(["评价结论", doc.conclusion or ""])
    rows.append(["主要绩效", doc.performance or ""])
    rows.append(["存在问题", _numbered(doc.problems)])
    rows.append(["整改建议", _numbered(doc.suggestions)])
    rows.append(["整改情况", _numbered(doc.rectification)])
    return [TITLE_EVALUATION], rows


def _md_cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def to_markdown(before: list[str], rows: Layout) -> str:
    head = "".join(f"{line}\n\n" for line in before)
    if not rows:
        return head
    width = max(len(r) for r in rows)
    lines = [
        "| " + " | ".join(_md_cell(c) for c in rows[0]) + " |",
        "|" + "---|" * width,
        *("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows[1:]),
    ]
    return head + "\n".join(lines) + "\n"


def to_tsv(before: list[str], rows: Layout) -> str:
    head = "".join(f"{line}\n" for line in before)
    return (
        head + "\n".join("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) for r in rows) + "\n"
    )


def to_flat(before: list[str], rows: Layout) -> str:
    """One line per row, the filled cells separated by one space: what a text copy of a web page gives."""
    head = "".join(f"{line}\n" for line in before)
    return head + "\n".join(" ".join(c for c in r if c.strip()) for r in rows) + "\n"


def to_cell_lines(before: list[str], rows: Layout) -> str:
    """One cell per line, each closed by a pipe, an empty cell as a lone ``|``: what some sites' copy gives."""
    head = "".join(f"{line}\n" for line in before)
    return head + "".join(f"{c} |\n" if c.strip() else "|\n" for r in rows for c in r)


def to_paragraphs(before: list[str], rows: Layout) -> str:
    """One cell per paragraph (blank line between), an empty cell as a paragraph holding a space."""
    head = "".join(f"{line}\n\n" for line in before)
    return head + "".join(f"{c}\n\n" if c.strip() else " \n\n" for r in rows for c in r)


PRINTERS = {
    "markdown": to_markdown,
    "tsv": to_tsv,
    "flat": to_flat,
    "cells": to_cell_lines,
    "paragraphs": to_paragraphs,
}


def render(doc: AnyDocument, style: str = "markdown") -> str:
    before, rows = layout(doc)
    return PRINTERS[style](before, rows)
