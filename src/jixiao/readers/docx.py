"""DOCX: paragraphs and tables of the document body in order, through python-docx's XML.

A table keeps the columns of its grid (``w:tblGrid``): a horizontally merged cell (``w:gridSpan``) puts its text
in its first column and leaves the columns it covers empty; a vertically merged cell (``w:vMerge``) has its text
in the row that starts the merge and is empty in the rows it continues into, as the printed form shows it.
Paragraphs within a cell are joined with a newline, and so are line breaks.  Check boxes (content-control check
boxes, legacy form fields, Wingdings symbols) read ``☑``/``☐``.  Paragraphs between tables are one-cell rows with
no table.  A row after a hard page break, or where Word last laid out a page break, has ``page_break`` set.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from jixiao.model import SourceRef
from jixiao.readers.base import CHECKED, UNCHECKED, Cell, Grid, ReadError, Row
from jixiao.readers.limits import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Wingdings / Wingdings 2 check-box glyphs (w:sym w:char, with or without the F0 private-use prefix)
_SYMBOLS = {
    "wingdings": {0xFE: CHECKED, 0xFD: CHECKED, 0xA8: UNCHECKED, 0x6F: UNCHECKED, 0x71: UNCHECKED},
    "wingdings 2": {0x52: CHECKED, 0x54: CHECKED, 0x51: CHECKED, 0xA3: UNCHECKED, 0x2A: UNCHECKED},
}
_SKIP = frozenset(
    {f"{W}pPr", f"{W}rPr", f"{W}tcPr", f"{W}trPr", f"{W}tblPr", f"{W}sdtPr", f"{W}del", MC_FALLBACK}
)


def read_docx(data: bytes, path: str) -> Grid:
    """Read a Word document into a grid; raises ReadError for a damaged or truncated file."""
    check_zip(data, path, "Word ")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{path}: Word 文件已损坏或不完整（不是完整的 ZIP 压缩包）") from exc
    except Exception as exc:  # python-docx / lxml raise several types for broken packages
        raise ReadError(f"{path}: Word 文件已损坏（{type(exc).__name__}: {_first_line(exc)}）") from exc
    reader = _Reader(path)
    reader.blocks(body)
    if not reader.grid.rows:
        raise ReadError(f"{path}: Word 文档中没有文字")
    return reader.grid


def _first_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or "无详情")[:160]


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.grid = Grid(path=path, format="docx")
        self.table = 0
        self.page_break = False

    def blocks(self, parent: Any) -> None:
        for el in parent:
            tag = el.tag
            if tag == f"{W}p":
                self.paragraph_row(el)
            elif tag == f"{W}tbl":
                self.table_rows(el)
            elif tag in (f"{W}sdt", f"{W}customXml"):
                inner = el.find(f"{W}sdtContent") if tag == f"{W}sdt" else el
                if inner is not None:
                    self.blocks(inner)

    def paragraph_row(self, p: Any) -> None:
        text = paragraph_text(p).strip()
        breaks = _page_break_before(p)
        if text:
            ref = SourceRef(path=self.path)
            self.grid.rows.append(Row([Cell(text, ref)], ref, None, page_break=self.page_break or breaks))
            self.page_break = False
        else:
            self.page_break = self.page_break or breaks
        if _page_break_after(p):
            self.page_break = True

    def table_rows(self, tbl: Any) -> None:
        self.table += 1
        grid_cols = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        rows: list[list[str]] = []
        breaks: list[bool] = []
        for tr in _children(tbl, f"{W}tr"):
            texts: list[str] = []
            before = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
            texts.extend([""] * before)
            for tc in _children(tr, f"{W}tc"):
                pr = tc.find(f"{W}tcPr")
                span = max(1, _int(pr.find(f"{W}gridSpan") if pr is not None else None, 1))
                vmerge = pr.find(f"{W}vMerge") if pr is not None else None
                hmerge = pr.find(f"{W}hMerge") if pr is not None else None
                continued = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
                continued = continued or (
                    hmerge is not None and hmerge.get(f"{W}val", "continue") == "continue"
                )
                texts.append("" if continued else cell_text(tc))
                texts.extend([""] * (span - 1))
            rows.append(texts)
            breaks.append(tr.find(f".//{W}lastRenderedPageBreak") is not None)
        ncols = max([grid_cols, *(len(r) for r in rows)])
        for n, (texts, brk) in enumerate(zip(rows, breaks, strict=True), start=1):
            ref = SourceRef(path=self.path, table=self.table, row=n)
            cells = [
                Cell(t, ref.at(col=c)) for c, t in enumerate(texts + [""] * (ncols - len(texts)), start=1)
            ]
            self.grid.rows.append(Row(cells, ref, self.table, page_break=brk or (n == 1 and self.page_break)))
        self.page_break = False


def _children(parent: Any, tag: str) -> list[Any]:
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    out: list[Any] = []
    for el in parent:
        if el.tag == tag:
            out.append(el)
        elif el.tag in (f"{W}sdt", f"{W}customXml"):
            inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if inner is not None:
                out.extend(_children(inner, tag))
    return out


def _int(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(f"{W}val", default))
    except ValueError:
        return default


def cell_text(tc: Any) -> str:
    """A cell's paragraphs joined with newlines; a nested table's rows as lines of tab-free text."""
    lines: list[str] = []
    for el in tc:
        if el.tag == f"{W}p":
            lines.append(paragraph_text(el))
        elif el.tag == f"{W}tbl":
            for tr in el.iter(f"{W}tr"):
                lines.append(" ".join(cell_text(c).strip() for c in tr.iter(f"{W}tc")))
        elif el.tag in (f"{W}sdt", f"{W}customXml"):
            inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if inner is not None:
                lines.append(cell_text(inner))
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def paragraph_text(p: Any) -> str:
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: Any, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag in (f"{W}br", f"{W}cr"):
            if child.get(f"{W}type") not in ("page", "column"):
                out.append("\n")
        elif tag == f"{W}tab":
            out.append(" ")
        elif tag == f"{W}sym":
            out.append(_symbol(child))
        elif tag == f"{W}fldChar":
            box = child.find(f"{W}ffData/{W}checkBox")
            if box is not None:
                out.append(CHECKED if _form_checked(box) else UNCHECKED)
        elif tag == f"{W}sdt" and child.find(f"{W}sdtPr/{W14}checkbox") is not None:
            state = child.find(f"{W}sdtPr/{W14}checkbox/{W14}checked")
            checked = state is not None and state.get(f"{W14}val", "1") in ("1", "true", "on")
            out.append(CHECKED if checked else UNCHECKED)
        else:
            _collect(child, out)


def _symbol(sym: Any) -> str:
    font = (sym.get(f"{W}font") or "").lower()
    try:
        code = int(sym.get(f"{W}char") or "", 16)
    except ValueError:
        return ""
    if code >= 0xF000:
        code -= 0xF000
    return _SYMBOLS.get(font, {}).get(code, "")


def _form_checked(box: Any) -> bool:
    for name in ("checked", "default"):
        el = box.find(f"{W}{name}")
        if el is not None:
            return el.get(f"{W}val", "1") not in ("0", "false", "off")
    return False


def _page_break_before(p: Any) -> bool:
    el = p.find(f"{W}pPr/{W}pageBreakBefore")
    return el is not None and el.get(f"{W}val", "1") not in ("0", "false", "off")


def _page_break_after(p: Any) -> bool:
    return (
        any(br.get(f"{W}type") == "page" for br in p.iter(f"{W}br"))
        or p.find(f"{W}pPr/{W}sectPr") is not None
    )
