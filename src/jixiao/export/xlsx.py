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
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

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
    buf = io.BytesIO()
    write_xlsx(items, buf, variant)
    return buf.getvalue()


def write_xlsx(items: Iterable[ExportItem], out: BinaryIO, variant: str = "10号") -> int:
    """The workbook of :func:`to_xlsx` written to ``out`` as the documents come: openpyxl's write-only mode
    sends each sheet's rows to a temporary file as soon as the sheet is laid out, so memory holds one sheet,
    however many documents there are.  Returns how many sheets."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used: set[str] = set()
    n = 0
    for item in items:
        _write_sheet(wb.create_sheet(sheet_name(item.document.project, used)), layout(item.document, variant))
        n += 1
    if not n:  # a workbook needs a sheet: say there was nothing to lay out
        wb.create_sheet("说明").append(["（没有文档可导出）"])
    wb.save(out)
    return n


def _write_sheet(ws: Any, lay: Layout) -> None:
    """One form on a write-only sheet: widths, heights and merges first, then the rows of styled cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncol = lay.ncol
    grid: dict[tuple[int, int], Any] = {}

    def at(row: int, col: int) -> Any:
        cell = grid.get((row, col))
        if cell is None:
            cell = grid[row, col] = WriteOnlyCell(ws)
        return cell

    def merge(r0: int, c0: int, r1: int, c1: int) -> None:
        ws.merged_cells.add(f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}")

    for j, w in enumerate(lay.widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = round(w / 2.1, 1)
    merge(1, 1, 1, ncol)
    title = at(1, 1)
    title.value = lay.title
    title.font = Font(name="黑体", size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    for k, line in enumerate(lay.before, 2):
        merge(k, 1, k, ncol)
        cell = at(k, 1)
        cell.value = line
        cell.alignment = Alignment(horizontal="center")
    off = 2 + len(lay.before)  # grid row 0 is the sheet row under the heading
    lines = [1] * lay.nrow
    for c in lay.spans:
        r0, c0 = c.row + off, c.col + 1
        for rr in range(r0, r0 + c.rowspan):
            for cc in range(c0, c0 + c.colspan):
                at(rr, cc).border = box
        if c.rowspan > 1 or c.colspan > 1:
            merge(r0, c0, r0 + c.rowspan - 1, c0 + c.colspan - 1)
        cell = at(r0, c0)
        _put(cell, c)
        cell.font = Font(name="宋体", size=10, bold=c.head)
        cell.alignment = Alignment(
            horizontal="left" if c.left else "center", vertical="center", wrap_text=True
        )
        need = _lines(c, lay.widths)
        for rr in range(c.row, c.row + c.rowspan):
            lines[rr] = max(lines[rr], math.ceil(need / c.rowspan))
    for r in range(lay.nrow):
        ws.row_dimensions[r + off].height = 4 + 13.5 * lines[r]
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last = max((r for r, _c in grid), default=0)
    for r in range(1, last + 1):
        ws.append([grid.get((r, col)) for col in range(1, ncol + 1)])
    ws.close()  # the sheet is in its temporary file now: what laid it out is not needed until the workbook is saved
    ws.row_dimensions.clear()
    ws.column_dimensions.clear()
    ws.merged_cells.ranges.clear()


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
