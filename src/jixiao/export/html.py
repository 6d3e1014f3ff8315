"""The print view: each document as its official form (:mod:`jixiao.export.layout`) on an A4 HTML page.

One self-contained page (no script, no external style): every form a ``<section>`` starting on a new sheet, its
title and the lines under it centred above one bordered ``<table>`` whose cells are the layout's spans
(``rowspan`` / ``colspan``, the column widths in millimetres, labels bold), sized for A4 portrait by ``@page``.  All
text is escaped.  jixiao reads the page back to the same documents (:mod:`jixiao.readers.html`), so the printed
form, the workbook and the Word file are one form.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from jixiao.export.items import ExportItem
from jixiao.export.layout import Layout, layout

__all__ = ["page", "to_html"]

_STYLE = """
@page { size: A4 portrait; margin: 15mm; }
body { font-family: "SimSun", "宋体", "Songti SC", serif; font-size: 9pt; margin: 0; }
section + section { break-before: page; page-break-before: always; }
h1 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; text-align: center; margin: 0 0 2mm; }
p.line { text-align: center; margin: 0 0 2mm; }
table { border-collapse: collapse; table-layout: fixed; margin: 0 auto; }
td, th { border: 0.5pt solid #000; padding: 1mm; text-align: center; vertical-align: middle; font-weight: normal;
         word-break: break-all; }
th { font-weight: bold; }
td.left { text-align: left; }
@media screen { body { max-width: 210mm; margin: 8mm auto; } }
"""


def _cell(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _form(lay: Layout) -> str:
    out = [f"<section><h1>{escape(lay.title)}</h1>"]
    out += [f'<p class="line">{escape(line)}</p>' for line in lay.before if line]
    out.append("<table>")
    out.append(
        "<colgroup>" + "".join(f'<col style="width:{w}mm">' for w in lay.widths[: lay.ncol]) + "</colgroup>"
    )
    by_row: list[list[str]] = [[] for _ in range(lay.nrow)]
    for s in sorted(lay.spans, key=lambda s: (s.row, s.col)):
        tag = "th" if s.head else "td"
        attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (
            f' colspan="{s.colspan}"' if s.colspan > 1 else ""
        )
        if s.left and not s.head:
            attrs += ' class="left"'
        by_row[s.row].append(f"<{tag}{attrs}>{_cell(s.text)}</{tag}>")
    out += [f"<tr>{''.join(cells)}</tr>" for cells in by_row]
    out.append("</table></section>")
    return "\n".join(out)


def page(layouts: Sequence[Layout], title: str = "绩效表样") -> str:
    """A print page of the given layouts (what the web's print view serves)."""
    body = "\n".join(_form(lay) for lay in layouts) or "<p>（没有文档可导出）</p>"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def to_html(items: Sequence[ExportItem], variant: str = "10号") -> bytes:
    """The print page of every document's form (``variant``: the 自评表 of a jurisdiction), as UTF-8 bytes."""
    layouts = [layout(item.document, variant) for item in items]
    title = layouts[0].title if len(layouts) == 1 else "绩效表样"
    return page(layouts, title).encode("utf-8")
