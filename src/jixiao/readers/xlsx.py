"""XLSX: every visible sheet's rows through openpyxl, values as the sheet displays them.

Numbers are rendered through their number format (``0.9898`` with ``0.00%`` reads ``98.98%``, ``9280000`` with
``#,##0`` reads ``9,280,000``); formulas give their cached value.  A merged range has its text in its top-left
cell and the cells it covers stay empty, so a vertically merged 一级指标 appears in the first row of the merge
only, and every row keeps the sheet's columns.

Tables are found by layout: a run of rows that are bordered or hold two or more values is a table; a row with a
single value and no border (a title such as 财政项目支出绩效自评表 merged across the sheet) is free text; a blank
row ends a table.  So a sheet may hold one form or several.  Hidden sheets, rows and columns are left out, as
they do not print.  Source references carry the sheet, the cell address (``F12``) and the sheet's row and
column numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Cell, Grid, ReadError, Row
from jixiao.readers.limits import check_cells, check_zip
from jixiao.readers.numfmt import render

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def read_xlsx(data: bytes, path: str) -> Grid:
    """Read a workbook into a grid; raises ReadError for a damaged or truncated file."""
    check_zip(data, path, "Excel ")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{path}: Excel 文件已损坏或不完整（不是完整的 ZIP 压缩包）") from exc
    except Exception as exc:  # openpyxl raises KeyError, ValueError, lxml errors … for broken packages
        detail = " ".join(str(exc).split())[:160] or "无详情"
        raise ReadError(f"{path}: Excel 文件已损坏（{type(exc).__name__}: {detail}）") from exc
    grid = Grid(path=path, format="xlsx")
    formulas = _formula_workbook(data)
    table = 0
    skipped: list[str] = []
    check_cells(sum(len(getattr(ws, "_cells", ())) for ws in wb.worksheets), path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            skipped.append(ws.title)
            continue
        table = _read_sheet(ws, path, grid, table)
        if formulas is not None:
            _uncalculated(ws, formulas[ws.title], path, grid)
    if skipped:
        grid.findings.append(
            Finding(
                code="READ-HIDDEN",
                severity=Severity.INFO,
                message=f"隐藏的工作表未读取：{'、'.join(skipped)}",
                source=SourceRef(path=path),
            )
        )
    if not grid.rows:
        raise ReadError(f"{path}: Excel 工作簿中没有任何数据")
    return grid


def _formula_workbook(data: bytes) -> Any:
    """The workbook with its formulas, loaded only when a sheet holds one (a second load costs time)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if not any(_FORMULA.search(z.read(n)) for n in sheets):
                return None
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # the first load succeeded; a failure here only costs the check
        return None


def _uncalculated(ws: Any, formulas: Any, path: str, grid: Grid) -> None:
    """Formulas saved without their value (written by a program, never opened in Excel) read as empty."""
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f" and ws[cell.coordinate].value is None:
                grid.findings.append(
                    Finding(
                        code="READ-FORMULA",
                        severity=Severity.WARNING,
                        message=f"单元格 {ws.title}!{cell.coordinate} 是公式 {cell.value}，文件中没有保存计算结果，按空值读取",
                        source=SourceRef(
                            path=path, sheet=ws.title, cell=cell.coordinate, row=cell.row, col=cell.column
                        ),
                        actual=str(cell.value),
                    )
                )


def _read_sheet(ws: Any, path: str, grid: Grid, table: int) -> int:
    from openpyxl.utils import get_column_letter

    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    hidden_cols = {
        c
        for dim in ws.column_dimensions.values()
        if dim.hidden
        for c in range(dim.min or 0, (dim.max or 0) + 1)
    }
    breaks = {brk.id for brk in ws.row_breaks.brk if brk.id is not None}
    values: dict[int, dict[int, str]] = {}
    bordered: set[int] = set()
    last_col = 0
    for cell in _cells(ws):
        if cell.column in hidden_cols:
            continue
        r, c = cell.row, cell.column
        if (r, c) not in covered and cell.value is not None:
            text = render(cell.value, cell.number_format)
            if text.strip():
                values.setdefault(r, {})[c] = text
                last_col = max(last_col, c)
        if cell.has_style and _has_border(cell.border):
            bordered.add(r)
    if not values:
        return table
    cols = [c for c in range(1, last_col + 1) if c not in hidden_cols]
    letters = {c: get_column_letter(c) for c in cols}
    in_table = False
    page_break = False
    for r in range(min(values), max(values) + 1):
        if ws.row_dimensions[r].hidden:
            continue
        row_values = values.get(r, {})
        if not row_values:
            if r not in bordered:
                in_table = False
            page_break = page_break or (r - 1) in breaks
            continue
        tabular = len(row_values) >= 2 or r in bordered
        if tabular and not in_table:
            table += 1
        in_table = tabular
        brk = page_break or (r - 1) in breaks
        page_break = False
        if tabular:
            ref = SourceRef(path=path, table=table, sheet=ws.title, row=r, cell=f"{letters[cols[0]]}{r}")
            cells = [Cell(row_values.get(c, ""), ref.at(col=c, cell=f"{letters[c]}{r}")) for c in cols]
            grid.rows.append(Row(cells, ref, table, page_break=brk))
        else:
            c, text = next(iter(row_values.items()))
            ref = SourceRef(path=path, sheet=ws.title, row=r, col=c, cell=f"{letters[c]}{r}")
            grid.rows.append(Row([Cell(text, ref)], ref, None, page_break=brk))
    return table


def _cells(ws: Any) -> Iterator[Any]:
    """The cells the sheet stores, without the empty ones of its bounding box (a sheet styled down to row
    1048576 would otherwise make a million)."""
    stored = getattr(ws, "_cells", None)
    if isinstance(stored, dict):
        yield from stored.values()
    else:
        for row in ws.iter_rows():
            yield from row


def _has_border(border: Any) -> bool:
    return any(getattr(border, side).style is not None for side in ("left", "right", "top", "bottom"))
