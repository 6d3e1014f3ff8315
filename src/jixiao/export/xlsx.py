"""XLSX export: each document as its official form (:mod:`jixiao.export.layout`), one sheet per form (a bulk
export: the forms of one template stacked down a sheet, :data:`FORMS_PER_SHEET` to a sheet).

The sheet is laid out like the rendered corpus (``shared/corpus/rendered``): the title and the lines under it
merged across the top, then the form's spans as one bordered grid of merged cells (项目资金 over five rows,
年度总体目标 over two, runs of equal 一级/二级指标 merged down), numbers stored as numbers with the layout's display
format, targets such as ``=100%`` stored as text.  jixiao reads the workbook back to the same document.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from copy import copy
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


# Up to this many documents a workbook has a sheet per form, as printed; a larger (bulk) export stacks the forms
# of one template down a sheet instead, a page break and a blank row between them, a new sheet every
# FORMS_PER_SHEET forms: openpyxl keeps a record of every sheet until the workbook is saved (≈17 KB each), so a
# sheet per document grew with the store (298 MB at 10,000 documents), and Excel opens a workbook of thousands of
# sheets poorly.  jixiao reads either back (a blank row ends a form).
SHEET_PER_FORM_MAX = 100
FORMS_PER_SHEET = 500


def write_xlsx(items: Iterable[ExportItem], out: BinaryIO, variant: str = "10号") -> int:
    """The workbook of :func:`to_xlsx` written to ``out`` as the documents come: openpyxl's write-only mode
    sends each sheet's rows to a temporary file as soon as they are laid out, so memory holds one form (and
    what its sheet records until it is closed), however many documents there are.  Beyond
    :data:`SHEET_PER_FORM_MAX` documents the forms are stacked, :data:`FORMS_PER_SHEET` to a sheet of their
    template.  Returns how many forms."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    styles = _Styles()  # the workbook's
    stream = iter(items)
    head = list(itertools.islice(stream, SHEET_PER_FORM_MAX + 1))
    if len(head) <= SHEET_PER_FORM_MAX:
        used: set[str] = set()
        for item in head:
            ws = wb.create_sheet(sheet_name(item.document.project, used))
            _Sheet(ws, styles).add(layout(item.document, variant))
            _Sheet.close(ws)
        n = len(head)
    else:
        n = _stacked(wb, itertools.chain(head, stream), variant, styles)
    if not n:  # a workbook needs a sheet: say there was nothing to lay out
        wb.create_sheet("说明").append(["（没有文档可导出）"])
    wb.save(out)
    return n


def _stacked(wb: Any, items: Iterable[ExportItem], variant: str, styles: _Styles) -> int:
    """Each form on the open sheet of its template (``自评表-2024 3``), a new sheet when that one is full."""
    open_: dict[str, _Sheet] = {}
    made: dict[str, int] = {}
    n = 0
    for item in items:
        lay = layout(item.document, variant)
        sheet = open_.get(lay.form)
        if sheet is None or sheet.forms >= FORMS_PER_SHEET:
            if sheet is not None:
                _Sheet.close(sheet.ws)
            made[lay.form] = made.get(lay.form, 0) + 1
            sheet = open_[lay.form] = _Sheet(wb.create_sheet(f"{lay.form} {made[lay.form]}"[:31]), styles)
        sheet.add(lay)
        n += 1
    for sheet in open_.values():
        _Sheet.close(sheet.ws)
    return n


class _Sheet:
    """A write-only sheet that forms are added to, one under the other: the column widths are the first form's
    (they are written before any row), merges, row heights and page breaks are kept until the sheet closes."""

    def __init__(self, ws: Any, styles: _Styles) -> None:
        self.ws, self.styles = ws, styles
        self.top = 1  # the sheet row the next form starts at
        self.forms = 0

    def add(self, lay: Layout) -> None:
        from openpyxl.worksheet.pagebreak import Break

        ws = self.ws
        if self.forms == 0:
            _setup(ws, lay)
        else:
            ws.append([])  # a blank row ends the form above (how the reader tells forms apart)
            ws.row_breaks.append(Break(id=self.top))  # each form prints on a page of its own
            self.top += 1
        self.top += _write_form(ws, lay, self.top, self.styles)
        self.forms += 1

    @staticmethod
    def close(ws: Any) -> None:
        """The sheet written to its temporary file; what laid it out is not needed until the workbook is saved."""
        ws.close()
        ws.row_dimensions.clear()
        ws.column_dimensions.clear()
        ws.merged_cells.ranges.clear()


def _setup(ws: Any, lay: Layout) -> None:
    """Column widths and A4 page setup, from the sheet's first form."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    for j, w in enumerate(lay.widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = round(w / 2.1, 1)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


class _Styles:
    """The few cell styles a form uses, each registered with the workbook once and copied onto its cells:
    openpyxl hashes and compares a font, alignment and border each time one is assigned, which cost more than
    everything else the export does."""

    def __init__(self) -> None:
        self.made: dict[tuple[Any, ...], Any] = {}

    def put(self, cell: Any, *key: Any) -> None:
        style = self.made.get(key)
        if style is None:
            style = self.made[key] = self._make(cell.parent, *key)
        cell._style = copy(style)

    @staticmethod
    def _make(ws: Any, what: str, head: bool = False, left: bool = False, fmt: str | None = None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, Side

        cell = WriteOnlyCell(ws)
        thin = Side(style="thin", color="000000")
        if what == "title":
            cell.font = Font(name="黑体", size=16, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        elif what == "line":
            cell.alignment = Alignment(horizontal="center")
        else:  # a cell of the grid: bordered; the top-left one of a span also carries its text's style
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if what == "span":
                cell.font = Font(name="宋体", size=10, bold=head)
                cell.alignment = Alignment(
                    horizontal="left" if left else "center", vertical="center", wrap_text=True
                )
                if fmt:
                    cell.number_format = fmt
        return cell._style


def _write_form(ws: Any, lay: Layout, top: int, style: _Styles) -> int:
    """One form on a write-only sheet from sheet row ``top``: heights and merges first, then the rows of styled
    cells; returns how many rows it took."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import MultiCellRange

    ncol = lay.ncol
    grid: dict[tuple[int, int], Any] = {}
    merged = MultiCellRange()  # this form's merges (the sheet's would be searched whole for each new one)

    def at(row: int, col: int) -> Any:
        cell = grid.get((row, col))
        if cell is None:
            cell = grid[row, col] = WriteOnlyCell(ws)
        return cell

    def merge(r0: int, c0: int, r1: int, c1: int) -> None:
        merged.add(f"{get_column_letter(c0)}{r0 + top - 1}:{get_column_letter(c1)}{r1 + top - 1}")

    merge(1, 1, 1, ncol)
    title = at(1, 1)
    title.value = lay.title
    style.put(title, "title")
    ws.row_dimensions[top].height = 28
    for k, line in enumerate(lay.before, 2):
        merge(k, 1, k, ncol)
        cell = at(k, 1)
        cell.value = line
        style.put(cell, "line")
    off = 2 + len(lay.before)  # grid row 0 is the sheet row under the heading
    lines = [1] * lay.nrow
    for c in lay.spans:
        r0, c0 = c.row + off, c.col + 1
        for rr in range(r0, r0 + c.rowspan):
            for cc in range(c0, c0 + c.colspan):
                style.put(at(rr, cc), "box")
        if c.rowspan > 1 or c.colspan > 1:
            merge(r0, c0, r0 + c.rowspan - 1, c0 + c.colspan - 1)
        cell = at(r0, c0)
        style.put(cell, "span", c.head, c.left, c.number_format or None)
        _put(cell, c)
        need = _lines(c, lay.widths)
        for rr in range(c.row, c.row + c.rowspan):
            lines[rr] = max(lines[rr], math.ceil(need / c.rowspan))
    ws.merged_cells.ranges.update(merged.ranges)
    for r in range(lay.nrow):
        ws.row_dimensions[r + off + top - 1].height = 4 + 13.5 * lines[r]
    last = max((r for r, _c in grid), default=0)
    for r in range(1, last + 1):
        ws.append([grid.get((r, col)) for col in range(1, ncol + 1)])
    return last


def _put(cell: Any, c: Span) -> None:
    """The span's value on its (styled) cell."""
    cell.value = c.value
    if isinstance(c.value, str) and c.value.startswith("="):
        cell.data_type, cell.quotePrefix = "s", True  # "=100%" is a target as printed, not a formula


def _lines(c: Span, widths: list[int]) -> int:
    """Rough number of wrapped lines the cell's text needs (for row heights)."""
    width_mm = max(sum(widths[c.col : c.col + c.colspan]) - 2, 10)
    text = c.value if isinstance(c.value, str) else ""
    return sum(max(1, math.ceil(len(x) * 3.6 / width_mm)) for x in text.split("\n"))
