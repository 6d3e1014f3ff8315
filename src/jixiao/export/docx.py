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

    _paragraph(doc, lay.title, 16, bold=True, font="黑体", after=2)
    for line in lay.before:
        if line:
            _paragraph(doc, line, 10.5, after=4)
    if not lay.nrow or not lay.ncol:
        return
    table = doc.add_table(rows=lay.nrow, cols=lay.ncol)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(lay)
    for j, col in enumerate(table.columns):  # w:tblGrid, which Word and LibreOffice lay out by
        col.width = Mm(widths[j])
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Mm(widths[j])
    for s in lay.spans:
        cell = table.cell(s.row, s.col)
        if s.rowspan > 1 or s.colspan > 1:
            cell = cell.merge(table.cell(s.row + s.rowspan - 1, s.col + s.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if s.left else WD_ALIGN_PARAGRAPH.CENTER
        first, *rest = s.text.split("\n")
        run = p.add_run(first)
        run.bold = s.head
        for line in rest:
            run.add_break()
            run = p.add_run(line)
            run.bold = s.head


def _widths(lay: Layout) -> list[float]:
    """The layout's column widths (mm), scaled to fit between the page margins when they are wider."""
    widths = [float(w) for w in lay.widths[: lay.ncol]] + [20.0] * max(0, lay.ncol - len(lay.widths))
    room = 210 - 2 * _MARGIN_MM
    total = sum(widths)
    return [w * room / total for w in widths] if total > room else widths
