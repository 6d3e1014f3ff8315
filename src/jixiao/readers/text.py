"""Text files: markdown tables, tab-separated rows, plain (or broken) extraction lines, HTML fragments.

The encoding is detected, never assumed: a BOM decides first (UTF-8, UTF-16), then strict UTF-8, then
charset-normalizer's best guess (GB18030 covers GBK and GB2312).  A file that is not text at all is refused with
one line saying so.
"""

from __future__ import annotations

import csv
import re

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Cell, Grid, ReadError, Row, make_ref
from jixiao.readers.decode import decode_text
from jixiao.text import html_to_text

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{0,}:?\s*)*\|?\s*$")
_FILLER = re.compile(r"^[|\s]+$")  # a line of pipes only: the remains of an empty cell or row


def split_unled(line: str) -> list[str] | None:
    """The cells of a pipe row printed without its leading ``|`` (``名称 | = | 100 | % | 5 | ||||``), or None
    when the line is one cell ending in `` |`` (one cell per line) or holds no pipe.  The trailing run of empty
    cells is dropped; empty cells between filled ones keep their column."""
    if "|" not in line or (line.endswith("|") and line.count("|") == 1):
        return None  # no pipe, or one cell ending in `` |``: one filled part at most
    parts = [p.strip() for p in line.split("|")]
    while parts and not parts[-1]:
        parts.pop()
    if sum(1 for p in parts if p) < 2:
        return None
    return parts


def _split_led(line: str) -> list[str]:
    """A ``|``-led row of an unled table: its first cell is the empty one before the leading ``|``; the trailing
    run of empty cells is dropped as in :func:`split_unled`."""
    parts = [p.strip() for p in line.split("|")]
    while parts and not parts[-1]:
        parts.pop()
    return parts


def split_markdown(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _csv_cells(line: str) -> list[str]:
    return next(csv.reader([line]), [])


def is_csv(lines: list[str]) -> bool:
    """Comma-separated rows: most lines hold empty cells (``,,``) or split into three or more quoted-aware
    fields, and none is a markdown pipe row.  Prose with commas (``人员,导致有偏差``) has neither in most lines."""
    filled = [ln for ln in lines if ln.strip()]
    if len(filled) < 5 or any(ln.lstrip().startswith("|") or "\t" in ln for ln in filled):
        return False
    rows = sum(1 for ln in filled if ",," in ln or ("," in ln and len(_csv_cells(ln)) >= 3))
    if rows >= 5 and rows >= 0.3 * len(filled):
        return True
    # a two-column sheet saved as CSV (``项目名称,…`` / ``评价分值,93.17``): most lines are a short label, a
    # comma and its value; prose has a comma after a short phrase now and then, not on most of its lines
    pairs = sum(1 for ln in filled if _is_label_pair(ln))
    return pairs >= 5 and pairs >= 0.6 * len(filled)


_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")  # a pinyin reading after a character: 項(xiàng)
_LABEL = re.compile(r"[\u4e00-\u9fff]{2,12}")


def _is_label_pair(line: str) -> bool:
    label, comma, value = line.partition(",")
    return bool(comma and value.strip()) and _LABEL.fullmatch(_GLOSS.sub("", label.strip())) is not None


def read_text(data: bytes, path: str) -> Grid:
    decoded = decode_text(data, path)
    text, encoding = decoded.text, decoded.encoding
    grid = Grid(path=path, format="text", findings=list(decoded.findings))
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        grid.findings.append(
            Finding(
                code="READ-ENCODING",
                severity=Severity.INFO,
                message=f"文件编码为 {encoding}，已自动识别",
                source=SourceRef(path=path),
                actual=encoding,
            )
        )
    table = 0
    in_table = False
    gap = False
    row_in_table = 0
    # no-break and ideographic spaces read as spaces (neither breaks a line, so once over the text is the same)
    lines = text.replace("\u00a0", " ").replace("\u3000", " ").splitlines()
    blank = sum(1 for line in lines if not line)
    in_paragraphs = blank > len(lines) * 0.3  # cells separated by empty lines
    unled = False  # the previous row was a pipe row printed without its leading `|`
    unled_width = 0  # the most pipes on one such row of the current run: how wide the table is
    comma = is_csv(lines)
    rows = grid.rows
    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            if line and in_paragraphs:
                # a line holding only spaces between blank lines: an empty cell of a one-cell-per-paragraph table
                ref = SourceRef(path=path, line=lineno)
                rows.append(Row([Cell("", ref)], ref, None, gap))
            gap = True
            continue
        if unled and _FILLER.match(stripped):
            continue  # `|` and `| |||` lines between the rows of an unled pipe table
        led = unled and stripped.startswith("|") and not gap and bool(rows)
        led_row = led and stripped.count("|") >= unled_width - 1
        if led and not led_row:
            # a cell broken over two lines: `… | 定性 | 优良中低差 |` then `| 优 | 10 |` continues the same row
            last = rows[-1]
            more = split_markdown(stripped)
            start = len(last.cells)
            last.cells.extend(
                Cell(
                    html_to_text(p).strip(),
                    SourceRef(path, last.ref.table, lineno, last.ref.row, start + i + 1),
                )
                for i, p in enumerate(more)
            )
            continue
        unled_parts: list[str] | None
        if led_row:
            # as wide as the table's rows: a row of its own whose first cell is empty (` | 产出指标 | … |||`)
            unled_parts = _split_led(stripped)
        else:
            unled_parts = None if stripped.startswith("|") or comma else split_unled(stripped)
        csv_parts = [p.strip() for p in _csv_cells(line)] if comma else []
        if len(csv_parts) >= 2:
            parts = csv_parts
            tabular = True
        elif stripped.startswith("|") and stripped.count("|") >= 2 and not led_row:
            if _MD_SEPARATOR.match(stripped):
                continue
            parts = split_markdown(stripped)
            tabular = True
        elif unled_parts is not None:
            parts = unled_parts
            tabular = True
        elif "\t" in line:
            parts = [p.strip() for p in line.rstrip("\r\n").split("\t")]
            tabular = True
        else:
            parts = [stripped]
            tabular = False
        if tabular and not in_table:
            table += 1
            row_in_table = 0
        in_table = tabular
        if unled_parts is not None and not led_row:
            unled_width = max(unled_width, stripped.count("|")) if unled else stripped.count("|")
        unled = unled_parts is not None
        if tabular:
            row_in_table += 1
            ref = make_ref(path, table, lineno, row_in_table)
            if "<" in line or "&" in line:
                cells = [Cell.at(html_to_text(p).strip(), ref, i) for i, p in enumerate(parts, start=1)]
            else:  # no markup: html_to_text would return each part as it is, and every part is stripped already
                cells = [Cell.at(p, ref, i) for i, p in enumerate(parts, start=1)]
        else:
            ref = make_ref(path, None, lineno)
            cells = [
                Cell(html_to_text(stripped).strip() if "<" in stripped or "&" in stripped else stripped, ref)
            ]
        rows.append(Row(cells, ref, table if tabular else None, gap))
        gap = False
    if not grid.rows:
        raise ReadError(f"{path}: 文件中没有文字行")
    return grid
