"""PDF: ruled tables through pdfplumber's lines strategy, word positions for everything outside them.

Per page, one ``find_tables`` pass finds the ruled tables and the page's characters are read once: each
character goes to the cell under its centre (bisection on the table's column and row edges), the rest to the
free text.  A ruled table becomes rows on its own column grid: a merged cell's text sits in its top-left
position and the positions it covers stay empty, so a vertically merged 一级指标 appears in the first row of the
merge only, and a horizontally merged cell keeps the column count.  Lines within a cell are joined with a
newline.

Text outside the ruled tables is grouped into lines; a line whose words stand apart by wide gaps is split into
cells there, and a run of such lines becomes a table of its own (the fallback for tables printed without
rules), its columns taken from the gaps that no line bridges.

Across pages: a table that opens a page and has the column edges of the table that closed the previous page is
the same table continued (same ``table`` index, row numbers running on, ``page_break`` on its first row), even
when the continuation has fewer columns (a 总分 row alone on the page is laid on the first page's columns).  When
the previous part ran to the foot of its page and the continuation's first row only carries on cells that the
last row had started, the row was split by the page break and the two parts are joined (a ``READ-SPLIT-ROW``
finding says where).  Merged labels printed again at the top of a continuation are kept as printed.

Every cell's source reference has the page, the cell box (x0, top, x1, bottom in points), the table and the
1-based row and column.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Cell, Grid, ReadError, Row
from jixiao.readers.limits import check_pages, check_pdf_streams

Box = tuple[float, float, float, float]
Obj = dict[str, Any]

EDGE_TOLERANCE = 2.0  # points: two column edges this close are the same edge
DUPLICATE_TOLERANCE = 1.0  # points: the same character this close to itself is printed twice (fake bold)
CELL_GAP_EM = 0.8  # a gap this many character sizes wide between words separates two cells of a free line
LINE_JOIN_EM = 0.5  # a gap of at most this many character sizes between two lines keeps them in one cell
LINE_GAP_EM = 2.0  # rows further apart than this many character sizes do not belong to the same word table
STEADY_ROWS = 5  # the columns every one of the last rows filled are those a complete row fills
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}\s*(页)?\s*([/／]\s*(共\s*)?\d{1,4}\s*(页)?)?[-—–\s]*$")


@dataclass(slots=True)
class _PCell:
    text: str
    box: Box
    col: int  # 0-based start column on the table's column edges
    span: int = 1


@dataclass(slots=True)
class _PRow:
    cells: dict[int, _PCell]  # by start column
    box: Box
    page: int

    def filled(self) -> set[int]:
        return {c for c, cell in self.cells.items() if cell.text.strip()}


@dataclass(slots=True)
class _PTable:
    page: int
    box: Box
    xs: list[float]  # column edges, one more than the columns
    rows: list[_PRow]
    ruled: bool
    size: float  # typical character size on the page


@dataclass(slots=True)
class _PLine:
    page: int
    box: Box
    text: str


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    items: list[_PTable | _PLine] = field(default_factory=list)


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs every recoverable oddity as a warning; a reader reports through findings instead."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_pdf(data: bytes, path: str) -> Grid:
    """Read a text PDF into a grid; raises ReadError for a broken, encrypted or image-only PDF."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    check_pdf_streams(data, path)
    pages: list[_Page] = []
    with _quiet_pdfminer():
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                check_pages(len(pdf.pages), path)
                for page in pdf.pages:
                    pages.append(read_page(page))
        except PDFPasswordIncorrect as exc:
            raise ReadError(f"{path}: PDF 文件有密码保护，无法读取") from exc
        except ReadError:
            raise
        except Exception as exc:  # pdfminer raises many types for damaged files; the cause goes in one line
            raise ReadError(f"{path}: PDF 文件已损坏（{_one_line(exc)}）") from exc
    if not pages:
        raise ReadError(f"{path}: PDF 文件没有页面")
    if not any(p.items for p in pages):
        raise ReadError(f"{path}: PDF 中没有文字（可能是扫描图片；不支持 OCR 识别）")
    return assemble(pages, path)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not text.startswith(type(exc).__name__):
        text = f"{type(exc).__name__}: {text}"
    return text[:160]


# ---------------------------------------------------------------- one page


def read_page(page: Any) -> _Page:
    """The tables and text lines of one pdfplumber page, top to bottom."""
    chars = dedupe(page.chars)
    sizes = [c["size"] for c in chars if c["text"].strip()]
    size = statistics.median(sizes) if sizes else 10.0
    # a box drawn round a title or the whole page is no table; nested tables take their characters first
    found = [t.cells for t in page.find_tables() if len(t.cells) > 1]
    found.sort(key=lambda cells: _area(cells))
    tables = [_RuledTable(cells, page.page_number, size) for cells in found]
    outside: list[Obj] = []
    for ch in chars:
        h = (ch["x0"] + ch["x1"]) / 2
        v = (ch["top"] + ch["bottom"]) / 2
        if not any(t.take(ch, h, v) for t in tables):
            outside.append(ch)
    out = _Page(number=page.page_number, height=float(page.height))
    out.items.extend(t.finish() for t in tables)
    out.items.extend(_free_text(outside, page.page_number, float(page.height), size))
    out.items.sort(key=lambda it: (it.box[1], it.box[0]))
    return out


def _area(cells: Sequence[Box]) -> float:
    return (max(c[2] for c in cells) - min(c[0] for c in cells)) * (
        max(c[3] for c in cells) - min(c[1] for c in cells)
    )


def dedupe(chars: list[Obj]) -> list[Obj]:
    """Drop a character printed again over itself (within DUPLICATE_TOLERANCE): the fake bold of some
    producers, which would otherwise read 项项目目."""
    seen: dict[tuple[str, int, int], list[Obj]] = {}
    out: list[Obj] = []
    for ch in chars:
        x, y = int(ch["x0"]), int(ch["top"])
        near = (
            other
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in seen.get((ch["text"], x + dx, y + dy), ())
        )
        if any(
            abs(o["x0"] - ch["x0"]) <= DUPLICATE_TOLERANCE
            and abs(o["top"] - ch["top"]) <= DUPLICATE_TOLERANCE
            for o in near
        ):
            continue
        seen.setdefault((ch["text"], x, y), []).append(ch)
        out.append(ch)
    return out


def _edges(values: Sequence[float]) -> list[float]:
    """Sorted distinct coordinates, values closer than EDGE_TOLERANCE taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: Sequence[float], v: float) -> int:
    """Index of the edge nearest to ``v``."""
    i = bisect_right(edges, v)
    if i == 0:
        return 0
    if i == len(edges) or v - edges[i - 1] <= edges[i] - v:
        return i - 1
    return i


class _RuledTable:
    """A table found by pdfplumber: its cells on a grid of column and row edges, collecting their characters."""

    def __init__(self, cells: Sequence[Box], page: int, size: float) -> None:
        self.page = page
        self.size = size
        self.xs = _edges([x for c in cells for x in (c[0], c[2])])
        self.ys = _edges([y for c in cells for y in (c[1], c[3])])
        self.box: Box = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        ncol, nrow = len(self.xs) - 1, len(self.ys) - 1
        self.owner = [[-1] * ncol for _ in range(nrow)]
        self.spans: list[tuple[int, int, int, int]] = []  # (row, col, rowspan, colspan)
        self.boxes = list(cells)
        for k, (x0, top, x1, bottom) in enumerate(cells):
            c0, c1 = _index(self.xs, x0), _index(self.xs, x1)
            r0, r1 = _index(self.ys, top), _index(self.ys, bottom)
            self.spans.append((r0, c0, max(1, r1 - r0), max(1, c1 - c0)))
            for r in range(r0, max(r0 + 1, r1)):
                for c in range(c0, max(c0 + 1, c1)):
                    self.owner[r][c] = k
        self.chars: list[list[Obj]] = [[] for _ in cells]

    def take(self, ch: Obj, h: float, v: float) -> bool:
        x0, top, x1, bottom = self.box
        if not (x0 <= h < x1 and top <= v < bottom):
            return False
        k = self.owner[bisect_right(self.ys, v) - 1][bisect_right(self.xs, h) - 1]
        if k < 0:
            return False
        self.chars[k].append(ch)
        return True

    def finish(self) -> _PTable:
        from pdfplumber.utils.text import extract_text

        rows = [
            _PRow(cells={}, box=(self.xs[0], self.ys[r], self.xs[-1], self.ys[r + 1]), page=self.page)
            for r in range(len(self.ys) - 1)
        ]
        for k, (r, c, _rs, cs) in enumerate(self.spans):
            text = extract_text(self.chars[k]) if self.chars[k] else ""
            rows[r].cells[c] = _PCell(text=text, box=_round(self.boxes[k]), col=c, span=cs)
        return _PTable(page=self.page, box=self.box, xs=self.xs, rows=rows, ruled=True, size=self.size)


def _round(box: Sequence[float]) -> Box:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


# ---------------------------------------------------------------- text outside ruled tables


@dataclass(slots=True)
class _Run:
    """Words of one printed line standing close together: a line of one cell."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str


@dataclass(slots=True)
class _Block:
    """Runs stacked one under the other with line spacing: one cell's text."""

    runs: list[_Run]
    x0: float
    x1: float
    top: float
    bottom: float

    def add(self, run: _Run) -> None:
        self.runs.append(run)
        self.x0, self.x1 = min(self.x0, run.x0), max(self.x1, run.x1)
        self.top, self.bottom = min(self.top, run.top), max(self.bottom, run.bottom)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.runs)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _runs(words: list[Obj]) -> list[_Run]:
    """Words grouped into printed lines, each line cut into runs where a gap is wider than CELL_GAP_EM."""
    lines: list[list[Obj]] = []
    bottom = 0.0
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        mid = (w["top"] + w["bottom"]) / 2
        if lines and lines[-1][0]["top"] <= mid <= bottom:
            lines[-1].append(w)
            bottom = max(bottom, w["bottom"])
        else:
            lines.append([w])
            bottom = w["bottom"]
    runs: list[_Run] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        gap = CELL_GAP_EM * max(w["bottom"] - w["top"] for w in line)
        part = [line[0]]
        for w in line[1:]:
            if w["x0"] - part[-1]["x1"] > gap:
                runs.append(_run(part))
                part = []
            part.append(w)
        runs.append(_run(part))
    return runs


def _run(words: list[Obj]) -> _Run:
    return _Run(
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        text=" ".join(w["text"] for w in words),
    )


def _blocks(runs: list[_Run], size: float) -> list[_Block]:
    """Stack runs into cells: a run joins the block just above it when they overlap horizontally and the
    vertical gap is no more than line spacing."""
    blocks: list[_Block] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        best: _Block | None = None
        for b in blocks:
            last = b.runs[-1]
            below = last.bottom - 0.3 * size <= run.top <= last.bottom + LINE_JOIN_EM * size
            overlaps = min(run.x1, b.x1) > max(run.x0, b.x0)
            if below and overlaps and (best is None or b.bottom > best.bottom):
                best = b
        if best is None:
            blocks.append(_Block([run], run.x0, run.x1, run.top, run.bottom))
        else:
            best.add(run)
    return blocks


def _bands(blocks: list[_Block]) -> list[list[_Block]]:
    """Rows: blocks whose vertical extents overlap.  When a band holds two blocks stacked in one column, a
    label centred on a merged cell has bridged two rows: the band is cut between the stacked blocks of its
    busiest column and every block goes to the part holding its middle."""
    bands: list[list[_Block]] = []
    bottom = 0.0
    for b in sorted(blocks, key=lambda b: b.top):
        if bands and b.top < bottom:
            bands[-1].append(b)
            bottom = max(bottom, b.bottom)
        else:
            bands.append([b])
            bottom = b.bottom
    out: list[list[_Block]] = []
    for band in bands:
        out.extend(_cut(band))
    return out


def _cut(band: list[_Block]) -> list[list[_Block]]:
    stacks: list[list[_Block]] = []
    for b in sorted(band, key=lambda b: b.top):
        for stack in stacks:
            if min(b.x1, stack[-1].x1) > max(b.x0, stack[-1].x0) and b.top >= stack[-1].bottom:
                stack.append(b)
                break
        else:
            stacks.append([b])
    busiest = max(stacks, key=len)
    if len(busiest) < 2:
        return [sorted(band, key=lambda b: b.x0)]
    cuts = [(a.bottom + b.top) / 2 for a, b in itertools.pairwise(busiest)]
    parts: list[list[_Block]] = [[] for _ in range(len(cuts) + 1)]
    for b in band:
        parts[bisect_right(cuts, b.middle)].append(b)
    return [sorted(p, key=lambda b: b.x0) for p in parts if p]


def _free_text(chars: list[Obj], page: int, height: float, size: float) -> list[_PTable | _PLine]:
    """The text outside ruled tables: runs of rows with two or more cells become word tables (a table printed
    without rules), the rest free lines."""
    if not chars:
        return []
    from pdfplumber.utils.text import extract_words

    runs = [r for r in _runs(extract_words(chars)) if not _page_furniture(r, height)]
    rows = _bands(_blocks(runs, size))
    out: list[_PTable | _PLine] = []
    i = 0
    while i < len(rows):
        j = _word_table_end(rows, i, size)
        if j > i:
            out.append(_word_table(rows[i:j], page))
            i = j
            continue
        for b in rows[i]:
            for r in b.runs:
                out.append(_PLine(page=page, box=_round((r.x0, r.top, r.x1, r.bottom)), text=r.text))
        i += 1
    return out


def _page_furniture(run: _Run, height: float) -> bool:
    """A page number in the top or bottom margin."""
    margin = height * 0.08
    return (run.bottom < margin or run.top > height - margin) and bool(_PAGE_NUMBER.match(run.text))


def _word_table_end(rows: list[list[_Block]], i: int, size: float) -> int:
    """End (exclusive) of the word table starting at row ``i``, or ``i`` when none starts there: rows close
    together, beginning and ending with a row of two or more cells, at least two such rows."""
    if len(rows[i]) < 2:
        return i
    end, count = i + 1, 1
    k = i + 1
    while (
        k < len(rows)
        and min(b.top for b in rows[k]) - max(b.bottom for b in rows[k - 1]) <= LINE_GAP_EM * size
    ):
        if len(rows[k]) >= 2:
            end, count = k + 1, count + 1
        k += 1
    return end if count >= 2 else i


def _word_table(rows: list[list[_Block]], page: int) -> _PTable:
    """Lay the rows on columns: the narrowest cells set the columns, a cell wider than one column (a merged
    cell) goes to the first column it covers."""
    cols: list[tuple[float, float]] = []
    for b in sorted((b for row in rows for b in row), key=lambda b: b.x1 - b.x0):
        if not any(_covers(b.x0, b.x1, c) for c in cols):
            cols.append((b.x0, b.x1))
    cols.sort()
    xs = [c[0] for c in cols] + [max(b.x1 for row in rows for b in row)]
    out: list[_PRow] = []
    for row in rows:
        cells: dict[int, _PCell] = {}
        for b in row:
            col = next((k for k, c in enumerate(cols) if _covers(b.x0, b.x1, c)), 0)
            box = _round((b.x0, b.top, b.x1, b.bottom))
            if col in cells:
                old = cells[col]
                box = _round((old.box[0], min(old.box[1], b.top), b.x1, max(old.box[3], b.bottom)))
                cells[col] = _PCell(f"{old.text} {b.text}", box, col)
            else:
                cells[col] = _PCell(b.text, box, col)
        top, bottom = min(b.top for b in row), max(b.bottom for b in row)
        out.append(_PRow(cells=cells, box=_round((xs[0], top, xs[-1], bottom)), page=page))
    box = _round((xs[0], out[0].box[1], xs[-1], out[-1].box[3]))
    return _PTable(page=page, box=box, xs=xs, rows=out, ruled=False, size=0.0)


def _covers(x0: float, x1: float, col: tuple[float, float]) -> bool:
    """The interval overlaps the column by more than half the narrower of the two."""
    overlap = min(x1, col[1]) - max(x0, col[0])
    return overlap > 0.5 * min(x1 - x0, col[1] - col[0])


# ---------------------------------------------------------------- pages → grid


def _columns_of(table: _PTable, onto: _PTable) -> list[int] | None:
    """Where each column edge of ``table`` lies among the edges of ``onto``; None when they do not line up."""
    out: list[int] = []
    for x in table.xs:
        j = _index(onto.xs, x)
        if abs(onto.xs[j] - x) > EDGE_TOLERANCE:
            return None
        out.append(j)
    if out[0] != 0 or out[-1] != len(onto.xs) - 1:
        return None
    return out


def _remap(table: _PTable, edges: list[int]) -> None:
    """Lay a continuation's cells on the column grid of the part before it."""
    for row in table.rows:
        moved: dict[int, _PCell] = {}
        for cell in row.cells.values():
            start, end = edges[cell.col], edges[cell.col + cell.span]
            moved[start] = _PCell(cell.text, cell.box, start, max(1, end - start))
        row.cells = moved


def _split_row(prev: _PTable, prev_height: float, cont: _PTable) -> bool:
    """The continuation's first row is the rest of the previous part's last row, cut by the page break: the
    previous part ran to the foot of its page (the space left under it is no more than the margin above the
    continuation, plus a line), and the first row carries on only cells the last row had started, leaving
    empty some column that every one of the last rows filled (a complete row of its own would fill them)."""
    if not prev.rows or not cont.rows:
        return False
    if prev_height - prev.box[3] > cont.box[1] + 1.5 * cont.size:
        return False
    before, after = prev.rows[-1].filled(), cont.rows[0].filled()
    if not after or not after <= before or len(after) == len(before):
        return False
    steady = set.intersection(*(r.filled() for r in prev.rows[-STEADY_ROWS:]))
    return not steady <= after


def assemble(pages: list[_Page], path: str) -> Grid:
    """The pages' tables and lines as one grid: tables numbered in reading order, a table that opens a page on
    the column edges of the one that closed the page before continued under the same number."""
    grid = Grid(path=path, format="pdf")
    table_no = 0
    row_no = 0
    last: _PTable | None = None  # the table that closed the previous page, when nothing came after it
    last_height = 0.0
    for page in pages:
        for k, item in enumerate(page.items):
            if isinstance(item, _PLine):
                ref = SourceRef(path=path, page=item.page, bbox=item.box)
                grid.rows.append(
                    Row([Cell(item.text, ref)], ref, None, page_break=k == 0 and page.number > 1)
                )
                last = None
                continue
            edges = _columns_of(item, last) if k == 0 and last is not None and item.ruled else None
            split = False
            if edges is not None and last is not None:
                _remap(item, edges)
                item.xs = last.xs
                split = _split_row(last, last_height, item)
            else:
                table_no += 1
                row_no = 0
            rows = item.rows
            if split:
                _join_split(grid, rows[0])
                rows = rows[1:]
            for n, prow in enumerate(rows):
                row_no += 1
                grid.rows.append(
                    _grid_row(
                        prow,
                        path,
                        table_no,
                        row_no,
                        item.xs,
                        page_break=n == 0 and page.number > 1 and k == 0,
                    )
                )
            last = item
        last_height = page.height
    return grid


def _grid_row(prow: _PRow, path: str, table: int, row: int, xs: list[float], *, page_break: bool) -> Row:
    ref = SourceRef(path=path, table=table, row=row, page=prow.page, bbox=prow.box)
    cells: list[Cell] = []
    for c in range(len(xs) - 1):
        pc = prow.cells.get(c)
        if pc is not None:
            cells.append(Cell(pc.text, ref.at(col=c + 1, bbox=pc.box)))
        else:
            cells.append(
                Cell("", ref.at(col=c + 1, bbox=_round((xs[c], prow.box[1], xs[c + 1], prow.box[3]))))
            )
    return Row(cells, ref, table, page_break=page_break)


def _join_split(grid: Grid, rest: _PRow) -> None:
    """Append the cells of a row's second part (next page) to its first part, the last row of the grid."""
    row = grid.rows[-1]
    for c, pc in rest.cells.items():
        if c < len(row.cells) and pc.text.strip():
            old = row.cells[c]
            row.cells[c] = Cell(f"{old.text}\n{pc.text}" if old.text else pc.text, old.ref)
    grid.findings.append(
        Finding(
            code="READ-SPLIT-ROW",
            severity=Severity.INFO,
            message=f"第 {row.ref.row} 行跨页断开（第 {row.ref.page} 页与第 {rest.page} 页），已合并为一行",
            source=row.ref,
        )
    )
