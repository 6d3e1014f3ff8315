"""DOCX export: each document as its official form (:mod:`jixiao.export.layout`), a real Word table per form.

The same spans the XLSX writer and the text printers use become one bordered Word table (``Table Grid``) whose
merged cells are Word merges (``w:gridSpan`` across, ``w:vMerge`` down), on A4 portrait with the layout's
column widths; the title (黑体 16, bold) and the lines under it are centred paragraphs above the table, and each
further document starts on a new page.  A cell prints its span's text (a number through its display format, as
the workbook shows it), a line break of the form (``项目资金`` / ``(万元)``) as a Word line break.  jixiao reads the
file back to the same documents (:mod:`jixiao.readers.docx`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from jixiao.export.items import ExportItem
from jixiao.export.layout import Layout, layout

__all__ = ["to_docx"]

_MARGIN_MM = 15


def to_docx(items: Sequence[ExportItem], variant: str = "10号") -> bytes:
    """A Word document with every document's form, one after the other, each from a new page (``variant``: the
    自评表 of a jurisdiction, one of :data:`jixiao.export.layout.VARIANTS`)."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Mm(_MARGIN_MM)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    normal.paragraph_format.space_after = Pt(0)
    if not items:  # a document needs a body: say there was nothing to lay out
        doc.add_paragraph("（没有文档可导出）")
    for n, item in enumerate(items):
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write_form(doc, layout(item.document, variant))
    doc.core_properties.title = "绩效表样"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _paragraph(
    doc: Any, line: str, size: float, *, bold: bool = False, font: str = "宋体", after: float = 0
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(after)
    run = p.add_run(line)
    run.bold, run.font.size = bold, Pt(size)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _write_form(doc: Any, lay: Layout) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm
    from docx.table import _Cell

    _paragraph(doc, lay.title, 16, bold=True, font="黑体", after=2)
    for line in lay.before:
        if line:
            _paragraph(doc, line, 10.5, after=4)
    if not lay.nrow or not lay.ncol:
        return
    table = doc.add_table(rows=0, cols=lay.ncol)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in _widths(lay)]
    for j, col in enumerate(table.columns):  # w:tblGrid, which Word and LibreOffice lay out by
        col.width = widths[j]
    # The rows are written as Word stores merges (python-docx's merge() rescans the table on every call): a span
    # is one w:tc with w:gridSpan, its top row w:vMerge="restart" and each row below a w:vMerge continuation.
    starts = {(s.row, s.col): s for s in lay.spans}
    below: dict[tuple[int, int], int] = {}  # (row, col) of a continuation → its span's colspan
    for s in lay.spans:
        for r in range(s.row + 1, s.row + s.rowspan):
            below[(r, s.col)] = s.colspan
    tbl = table._tbl
    for r in range(lay.nrow):
        tr = tbl.add_tr()
        c = 0
        while c < lay.ncol:
            span = starts.get((r, c))
            across = span.colspan if span is not None else below.get((r, c), 1)
            tc = tr.add_tc()
            tc.width = sum(widths[c : c + across], Mm(0))
            if across > 1:
                tc.grid_span = across
            cell = _Cell(tc, table)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if span is None:
                if (r, c) in below:
                    tc.vMerge = "continue"
            else:
                if span.rowspan > 1:
                    tc.vMerge = "restart"
                _text(
                    cell,
                    span.text,
                    span.head,
                    WD_ALIGN_PARAGRAPH.LEFT if span.left else WD_ALIGN_PARAGRAPH.CENTER,
                )
            c += across


def _text(cell: Any, text: str, bold: bool, align: Any) -> None:
    """The cell's text, a line break of the form (``项目资金`` / ``(万元)``) as a Word line break."""
    p = cell.paragraphs[0]
    p.alignment = align
    first, *rest = text.split("\n")
    run = p.add_run(first)
    if bold:  # not bold is the default: nothing to write
        run.bold = True
    for line in rest:
        run.add_break()
        run = p.add_run(line)
        if bold:
            run.bold = True


def _widths(lay: Layout) -> list[float]:
    """The layout's column widths (mm), scaled to fit between the page margins when they are wider."""
    widths = [float(w) for w in lay.widths[: lay.ncol]] + [20.0] * max(0, lay.ncol - len(lay.widths))
    room = 210 - 2 * _MARGIN_MM
    total = sum(widths)
    return [w * room / total for w in widths] if total > room else widths
