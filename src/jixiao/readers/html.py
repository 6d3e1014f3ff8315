"""HTML: tables with rowspan/colspan laid out on their grid, the text between them as free lines.

The table layout follows the HTML rules: each cell takes the first free slot of its row, a ``rowspan``/``colspan``
reserves the slots below and to the right, and those covered slots stay empty, so a vertically merged 一级指标
appears in the first row of its merge only.  Inside a cell, ``<br>`` and block ends become newlines and other
whitespace folds as a browser folds it; check boxes read ``☑``/``☐``; a table nested in a cell gives its rows as
lines of the cell's text.  Outside tables, each block (heading, paragraph, div, list item) is a one-cell row.
Script, style and head content are left out.  Source references carry the table, row and column and the source
line of the cell's tag.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from jixiao.model import SourceRef
from jixiao.readers.base import CHECKED, UNCHECKED, Cell, Grid, ReadError, Row
from jixiao.readers.decode import decode
from jixiao.readers.limits import check_text

_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer",
     "blockquote", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "address", "center", "main", "nav", "body"}
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_WS = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
MAX_SPAN = 1000


@dataclass
class _HCell:
    text: list[str]
    line: int
    rowspan: int
    colspan: int


@dataclass
class _HTable:
    line: int
    rows: list[list[_HCell]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)
    cell: _HCell | None = None
    in_caption: bool = False


class _Parser(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.grid = Grid(path=path, format="html")
        self.tables: list[_HTable] = []  # open tables, outermost first
        self.count = 0
        self.skip = 0
        self.block: list[str] = []
        self.block_line = 1

    # -------------------------------------------------------------- text outside tables
    def flush(self) -> None:
        text = "".join(self.block)
        self.block = []
        for line in text.split("\n"):
            line = _WS.sub(" ", line).strip()
            if line:
                ref = SourceRef(path=self.path, line=self.block_line)
                self.grid.rows.append(Row([Cell(line, ref)], ref, None))

    def emit(self, text: str) -> None:
        """Text goes to the innermost open cell (nested tables write into their outer cell), else the block."""
        if self.skip:
            return
        if self.tables:
            outer = self.tables[0]
            if outer.in_caption:
                outer.caption.append(text)
            elif outer.cell is not None:
                outer.cell.text.append(text)
            return
        if not self.block:
            self.block_line = self.getpos()[0]
        self.block.append(text)

    # -------------------------------------------------------------- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _SKIPPED:
            self.skip += 1
            return
        if tag == "table":
            if not self.tables:
                self.flush()
            elif self.tables[0].cell is not None:
                self.emit("\n")
            self.tables.append(_HTable(line=self.getpos()[0]))
            return
        depth = len(self.tables)
        if depth == 1:
            t = self.tables[0]
            if tag == "tr":
                t.cell = None
                t.rows.append([])
                t.row_lines.append(self.getpos()[0])
                return
            if tag in ("td", "th"):
                if not t.rows:
                    t.rows.append([])
                    t.row_lines.append(self.getpos()[0])
                t.cell = _HCell([], self.getpos()[0], _span(a.get("rowspan")), _span(a.get("colspan")))
                t.rows[-1].append(t.cell)
                return
            if tag == "caption":
                t.in_caption = True
                return
        elif depth > 1 and tag == "tr":
            self.emit("\n")
            return
        elif depth > 1 and tag in ("td", "th"):
            self.emit(" ")
            return
        if tag == "br":
            self.emit("\n")
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in ("checkbox", "radio"):
                self.emit(CHECKED if "checked" in a else UNCHECKED)
        elif tag in _BLOCKS:
            if self.tables:
                self.emit("\n")
            else:
                self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table" and self.tables:
            t = self.tables.pop()
            if not self.tables:
                self.lay_out(t)
            return
        if len(self.tables) == 1:
            t = self.tables[0]
            if tag in ("td", "th"):
                t.cell = None
                return
            if tag == "caption":
                t.in_caption = False
                return
        if tag in _BLOCKS:
            if self.tables:
                self.emit("\n")
            else:
                self.flush()

    def handle_data(self, data: str) -> None:
        self.emit(data)

    # -------------------------------------------------------------- layout
    def lay_out(self, t: _HTable) -> None:
        self.count += 1
        caption = _cell_text(t.caption)
        if caption:
            ref = SourceRef(path=self.path, line=t.line)
            self.grid.rows.append(Row([Cell(caption, ref)], ref, None))
        slots: dict[tuple[int, int], tuple[_HCell, bool]] = {}  # (row, col) → (cell, is its top-left)
        nrows = len(t.rows)
        for r, row in enumerate(t.rows):
            c = 0
            for cell in row:
                while (r, c) in slots:
                    c += 1
                rowspan = nrows - r if cell.rowspan == 0 else cell.rowspan
                for dr in range(rowspan):
                    for dc in range(cell.colspan):
                        slots.setdefault((r + dr, c + dc), (cell, dr == 0 and dc == 0))
                c += cell.colspan
        ncols = max((c + 1 for _, c in slots), default=0)
        for r in range(nrows):
            line = t.row_lines[r] if r < len(t.row_lines) else t.line
            ref = SourceRef(path=self.path, table=self.count, row=r + 1, line=line)
            cells: list[Cell] = []
            for c in range(ncols):
                slot = slots.get((r, c))
                if slot is not None and slot[1]:
                    cells.append(Cell(_cell_text(slot[0].text), ref.at(col=c + 1, line=slot[0].line)))
                else:
                    cells.append(Cell("", ref.at(col=c + 1)))
            if any(not cell.empty for cell in cells):
                self.grid.rows.append(Row(cells, ref, self.count))

    def close(self) -> None:
        super().close()
        while self.tables:
            t = self.tables.pop()
            if not self.tables:
                self.lay_out(t)
        self.flush()


def _span(value: str | None) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(n, 0), MAX_SPAN) if n >= 0 else 1


def _cell_text(parts: list[str]) -> str:
    lines = [_WS.sub(" ", line).strip() for line in "".join(parts).replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line)


def html_decode(data: bytes, path: str) -> str:
    """Decode HTML bytes: a byte-order mark, then a declared ``<meta charset>``, then detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "replace").lower()
            name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80") else name
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data, path)[0]


def read_html(data: bytes, path: str) -> Grid:
    """Read an HTML document into a grid; raises ReadError when it holds no text."""
    text = html_decode(data, path)
    check_text(len(text), path)
    parser = _Parser(path)
    parser.feed(text)
    parser.close()
    if not parser.grid.rows:
        raise ReadError(f"{path}: HTML 文档中没有文字")
    return parser.grid
