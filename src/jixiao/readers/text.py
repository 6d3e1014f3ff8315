"""Text files: markdown tables, tab-separated rows, plain (or broken) extraction lines, HTML fragments.

The encoding is detected, never assumed: a BOM decides first (UTF-8, UTF-16), then strict UTF-8, then
charset-normalizer's best guess (GB18030 covers GBK and GB2312).  A file that is not text at all is refused with
one line saying so.
"""

from __future__ import annotations

import re

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Cell, Grid, ReadError, Row
from jixiao.readers.decode import decode_text
from jixiao.text import html_to_text

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{0,}:?\s*)*\|?\s*$")


def split_markdown(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


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
    lines = text.splitlines()
    blank = sum(1 for line in lines if not line)
    in_paragraphs = blank > len(lines) * 0.3  # cells separated by empty lines
    for lineno, raw in enumerate(lines, start=1):
        line = raw.replace("\u00a0", " ").replace("\u3000", " ")
        stripped = line.strip()
        if not stripped:
            if line and in_paragraphs:
                # a line holding only spaces between blank lines: an empty cell of a one-cell-per-paragraph table
                ref = SourceRef(path=path, line=lineno)
                grid.rows.append(Row(cells=[Cell("", ref)], ref=ref, table=None, page_break=gap))
            gap = True
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            parts = split_markdown(stripped)
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
        if tabular:
            row_in_table += 1
            ref = SourceRef(path=path, table=table, line=lineno, row=row_in_table)
            cells = [
                Cell(html_to_text(p).strip(), SourceRef(path, table, lineno, row_in_table, i + 1))
                for i, p in enumerate(parts)
            ]
        else:
            ref = SourceRef(path=path, line=lineno)
            cells = [Cell(html_to_text(parts[0]).strip(), ref)]
        grid.rows.append(Row(cells=cells, ref=ref, table=table if tabular else None, page_break=gap))
        gap = False
    if not grid.rows:
        raise ReadError(f"{path}: 文件中没有文字行")
    return grid
