"""XLSX export: each self-evaluation as the official 财政项目支出绩效自评表, one sheet per form.

The sheet is laid out like the rendered corpus (``shared/corpus/rendered``): the title and the year label merged
across the top, then the form as one bordered grid with merged cells (项目资金 over five rows, 年度总体目标 over
two, runs of equal 一级/二级指标 merged down), numbers stored as numbers with a display format (amounts
``#,##0.00``, the 2023 form's 执行率 as a percentage, the 2024 form's 执行率(%) as a plain number), targets such as
``=100%`` stored as text.  The 2024 template (8 columns, 评分等级 row) is used for forms from 2024 on or with a
grade; the 2023 template (9 columns, 绩效指标 label column) otherwise.  jixiao reads the workbook back to the same
document.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jixiao.export.items import ExportItem
from jixiao.forms.vocabulary import INDICATOR_HEADER
from jixiao.model import FundLine, Indicator, SelfEvaluation

TITLE = "财政项目支出绩效自评表"
WIDTHS = {"2023": [15, 16, 17, 29, 22, 22, 12, 13, 34], "2024": [15, 19, 33, 24, 24, 14, 14, 37]}  # mm
FUND_HEADER = {
    "2023": ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    "2024": ["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"],
}


@dataclass(frozen=True, slots=True)
class Cell:
    """One (possibly merged) cell of the form grid, 0-based, with how its value is stored."""

    row: int
    col: int
    value: str | float | None
    rowspan: int = 1
    colspan: int = 1
    head: bool = False
    left: bool = False
    number_format: str | None = None


def template(doc: SelfEvaluation) -> str:
    return "2024" if doc.grade or (doc.year or 0) >= 2024 else "2023"


def _decimals(v: float) -> int:
    text = repr(float(v))
    if "e" in text or "." not in text:
        return 0
    frac = text.split(".")[1].rstrip("0")
    return len(frac)


def _amount(v: float | None) -> tuple[str | float, str | None]:
    if v is None:
        return "-", None
    return v, "#,##0.00" if _decimals(v) else "#,##0"


def _score(v: float | None) -> tuple[str | float, str | None]:
    if v is None:
        return "—", None
    d = _decimals(v)
    return v, ("0." + "0" * max(d, 2)) if d else None


def _rate(v: float | None, layout: str) -> tuple[str | float, str | None]:
    if v is None:
        return "", None
    d = max(_decimals(v), 2)
    if layout == "2024":
        return v, "0." + "0" * d
    return round(v / 100, d + 2), "0." + "0" * d + "%"


def _fund_values(f: FundLine, layout: str) -> list[tuple[str | float, str | None]]:
    return [
        _amount(f.initial_budget),
        _amount(f.annual_budget),
        _amount(f.executed),
        _score(f.weight),
        _rate(f.execution_rate, layout),
        _score(f.score),
    ]


def grid(doc: SelfEvaluation) -> tuple[list[Cell], int, int]:
    """The form as cells with spans (rows and columns 0-based), its row count and its column count."""
    layout = template(doc)
    wide = layout == "2023"
    ncol = 9 if wide else 8
    lab = 1 if wide else 2  # columns of the left labels in the top block
    cells: list[Cell] = []
    add = cells.append
    add(Cell(0, 0, "项目名称", colspan=lab, head=True))
    add(Cell(0, lab, doc.project or "", colspan=ncol - lab))
    add(Cell(1, 0, "主管部门", colspan=lab, head=True))
    add(Cell(1, lab, doc.department or "", colspan=4 - lab))
    add(Cell(1, 4, "实施单位", head=True))
    add(Cell(1, 5, doc.implementing_unit or "", colspan=ncol - 5))
    r = 2
    add(Cell(r, 0, f"项目资金\n({doc.money_unit or '元'})", rowspan=len(doc.funds) + 1, head=True))
    add(Cell(r, 1, ""))
    place = [(2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (8, 1)] if wide else [(j, 1) for j in range(2, 8)]
    for (col, span), h in zip(place, FUND_HEADER[layout], strict=True):
        add(Cell(r, col, h, colspan=span, head=True))
    for f in doc.funds:
        r += 1
        add(Cell(r, 1, f.line, left=True))
        for (col, span), (value, fmt) in zip(place, _fund_values(f, layout), strict=True):
            add(Cell(r, col, value, colspan=span, number_format=fmt))
    r += 1
    goal = doc.goal
    add(Cell(r, 0, "年度总体目标", rowspan=2, head=True))
    add(Cell(r, 1, "预期目标", colspan=3, head=True))
    add(Cell(r, 4, "实际完成情况", colspan=ncol - 4, head=True))
    r += 1
    add(Cell(r, 1, (goal.expected if goal else None) or "", colspan=3, left=True))
    add(Cell(r, 4, (goal.actual if goal else None) or "", colspan=ncol - 4, left=True))
    r += 1
    r = _indicators(cells, doc.indicators, r, wide)
    c = 1 if wide else 0
    add(Cell(r, 0, "总分", colspan=c + 5, head=True))
    for col, v in ((c + 5, doc.total_weight), (c + 6, doc.total_score)):
        value, fmt = _score(v)
        add(Cell(r, col, value, number_format=fmt))
    add(Cell(r, c + 7, ""))
    r += 1
    if doc.grade:
        add(Cell(r, 0, "评分等级", colspan=2, head=True))
        add(Cell(r, 2, doc.grade, colspan=ncol - 2))
        r += 1
    return cells, r, ncol


def _indicators(cells: list[Cell], inds: Sequence[Indicator], r: int, wide: bool) -> int:
    add = cells.append
    c = 1 if wide else 0
    if wide:
        add(Cell(r, 0, "绩效指标", rowspan=1 + len(inds), head=True))
    for j, h in enumerate(INDICATOR_HEADER):
        add(Cell(r, c + j, h, head=True))
    top = r + 1
    labels = [(ind.level1 or "", ind.level2 or "") for ind in inds]
    for depth in (1, 2):  # runs of equal 一级 (and 一级+二级) labels are merged down
        i = 0
        while i < len(inds):
            k = i
            while k + 1 < len(inds) and labels[k + 1][:depth] == labels[i][:depth]:
                k += 1
            add(Cell(top + i, c + depth - 1, labels[i][depth - 1], rowspan=k - i + 1))
            i = k + 1
    for i, ind in enumerate(inds):
        rr = top + i
        add(Cell(rr, c + 2, ind.name))
        add(Cell(rr, c + 3, ind.target or ""))
        add(Cell(rr, c + 4, ind.actual or ""))
        for col, v in ((c + 5, ind.weight), (c + 6, ind.score)):
            value, fmt = _score(v)
            add(Cell(rr, col, value, number_format=fmt))
        add(Cell(rr, c + 7, ind.deviation or "", left=bool(ind.deviation)))
    return top + len(inds)


def sheet_name(project: str | None, used: set[str]) -> str:
    name = re.sub(r"[\\/*?:\[\]]", "", project or "自评表")[:28] or "自评表"
    base, n = name, 1
    while name in used:
        n += 1
        name = f"{base[:25]}_{n}"
    used.add(name)
    return name


def to_xlsx(items: Sequence[ExportItem]) -> bytes:
    """A workbook with one sheet per self-evaluation (other kinds have no 自评表 form and are left out)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    used: set[str] = set()
    for item in items:
        doc = item.document
        if not isinstance(doc, SelfEvaluation):
            continue
        ws = wb.create_sheet(sheet_name(doc.project, used))
        cells, nrow, ncol = grid(doc)
        widths = WIDTHS[template(doc)]
        for j, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = round(w / 2.1, 1)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        title = ws.cell(1, 1, TITLE)
        title.font = Font(name="黑体", size=16, bold=True)
        title.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
        ws.cell(2, 1, f"({doc.year}年度)" if doc.year else "").alignment = Alignment(horizontal="center")
        ws.row_dimensions[1].height = 28
        off = 3  # grid row 0 is sheet row 3
        lines = [1] * nrow
        for c in cells:
            r0, c0 = c.row + off, c.col + 1
            for rr in range(r0, r0 + c.rowspan):
                for cc in range(c0, c0 + c.colspan):
                    ws.cell(rr, cc).border = box
            if c.rowspan > 1 or c.colspan > 1:
                ws.merge_cells(
                    start_row=r0, start_column=c0, end_row=r0 + c.rowspan - 1, end_column=c0 + c.colspan - 1
                )
            _put(ws.cell(r0, c0), c)
            cell = ws.cell(r0, c0)
            cell.font = Font(name="宋体", size=10, bold=c.head)
            cell.alignment = Alignment(
                horizontal="left" if c.left else "center", vertical="center", wrap_text=True
            )
            need = _lines(c, widths)
            for rr in range(c.row, c.row + c.rowspan):
                lines[rr] = max(lines[rr], math.ceil(need / c.rowspan))
        for r in range(nrow):
            ws.row_dimensions[r + off].height = 4 + 13.5 * lines[r]
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not wb.worksheets:  # a workbook needs a sheet: say there was nothing to lay out
        wb.create_sheet("说明").cell(1, 1, "（没有绩效自评表可导出）")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(cell: Any, c: Cell) -> None:
    cell.value = c.value
    if isinstance(c.value, str) and c.value.startswith("="):
        cell.data_type, cell.quotePrefix = "s", True  # "=100%" is a target as printed, not a formula
    if c.number_format:
        cell.number_format = c.number_format


def _lines(c: Cell, widths: list[int]) -> int:
    """Rough number of wrapped lines the cell's text needs (for row heights)."""
    width_mm = sum(widths[c.col : c.col + c.colspan]) - 2
    text = c.value if isinstance(c.value, str) else ""
    return sum(max(1, math.ceil(len(x) * 3.6 / width_mm)) for x in text.split("\n"))
