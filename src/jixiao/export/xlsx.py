"""XLSX export: each document as its official form (:mod:`jixiao.export.layout`), one sheet per form.

The sheet is laid out like the rendered corpus (``shared/corpus/rendered``): the title and the lines under it
merged across the top, then the form's spans as one bordered grid of merged cells (项目资金 over five rows,
年度总体目标 over two, runs of equal 一级/二级指标 merged down), numbers stored as numbers with the layout's display
format, targets such as ``=100%`` stored as text.  jixiao reads the workbook back to the same document.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

from jixiao.export.items import ExportItem
from jixiao.export.layout import Layout, Span, layout


def sheet_name(project: str | None, used: set[str]) -> str:
    name = re.sub(r"[\\/*?:\[\]]", "", project or "自评表")[:28] or "自评表"
    base, n = name, 1
    while name in used:
        n += 1
        name = f"{base[:25]}_{n}"
    used.add(name)
    return name


def to_xlsx(items: Sequence[ExportItem], variant: str = "10号") -> bytes:
    """A workbook with one sheet per document, each laid out as its official form (``variant``: the 自评表 of a
    jurisdiction, one of :data:`jixiao.export.layout.VARIANTS`)."""
    from openpyxl import Workbook

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    used: set[str] = set()
    for item in items:
        lay = layout(item.document, variant)
        _write_sheet(wb.create_sheet(sheet_name(item.document.project, used)), lay)
    if not wb.worksheets:  # a workbook needs a sheet: say there was nothing to lay out
        wb.create_sheet("说明").cell(1, 1, "（没有文档可导出）")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write_sheet(ws: Any, lay: Layout) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncol = lay.ncol
    for j, w in enumerate(lay.widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = round(w / 2.1, 1)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    title = ws.cell(1, 1, lay.title)
    title.font = Font(name="黑体", size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    for k, line in enumerate(lay.before, 2):
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=ncol)
        ws.cell(k, 1, line).alignment = Alignment(horizontal="center")
    off = 2 + len(lay.before)  # grid row 0 is the sheet row under the heading
    lines = [1] * lay.nrow
    for c in lay.spans:
        r0, c0 = c.row + off, c.col + 1
        for rr in range(r0, r0 + c.rowspan):
            for cc in range(c0, c0 + c.colspan):
                ws.cell(rr, cc).border = box
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r0 + c.rowspan - 1, end_column=c0 + c.colspan - 1)
        cell = ws.cell(r0, c0)
        _put(cell, c)
        cell.font = Font(name="宋体", size=10, bold=c.head)
        cell.alignment = Alignment(horizontal="left" if c.left else "center", vertical="center", wrap_text=True)
        need = _lines(c, lay.widths)
        for rr in range(c.row, c.row + c.rowspan):
            lines[rr] = max(lines[rr], math.ceil(need / c.rowspan))
    for r in range(lay.nrow):
        ws.row_dimensions[r + off].height = 4 + 13.5 * lines[r]
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _put(cell: Any, c: Span) -> None:
    cell.value = c.value
    if isinstance(c.value, str) and c.value.startswith("="):
        cell.data_type, cell.quotePrefix = "s", True  # "=100%" is a target as printed, not a formula
    if c.number_format:
        cell.number_format = c.number_format


def _lines(c: Span, widths: list[int]) -> int:
    """Rough number of wrapped lines the cell's text needs (for row heights)."""
    width_mm = max(sum(widths[c.col : c.col + c.colspan]) - 2, 10)
    text = c.value if isinstance(c.value, str) else ""
    return sum(max(1, math.ceil(len(x) * 3.6 / width_mm)) for x in text.split("\n"))
