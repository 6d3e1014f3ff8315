"""The neutral grid every reader produces: rows of cells, each cell with its source reference.

A reader turns bytes into a :class:`Grid`: the file's rows in reading order.  Rows of a table carry the table's
index; free text (titles, paragraphs between tables, broken extraction lines) comes as rows of one cell with
``table`` ``None``.  Cell text is normalised only as far as every format agrees: HTML tags removed, check boxes
rendered as ``☑`` (checked) / ``☐`` (unchecked), entities unescaped; everything else is left as printed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from jixiao.model import Finding, SourceRef

CHECKED = "☑"
UNCHECKED = "☐"


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    ref: SourceRef

    @property
    def empty(self) -> bool:
        return not self.text or self.text.isspace()


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    ref: SourceRef
    table: int | None = None  # 1-based index of the table the row belongs to; None for free text
    page_break: bool = False  # the row follows a page break (or a blank-line gap inside a table)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if not c.empty]

    def joined(self, sep: str = " ") -> str:
        return sep.join(c.text.strip() for c in self.cells if not c.empty)


@dataclass(slots=True)
class Grid:
    """All rows of one file, in reading order, with what went wrong while reading."""

    path: str
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    format: str = "text"


# What ``zipfile`` raises for an archive it cannot open: damaged, truncated, or of a version or compression
# method it does not implement (``NotImplementedError: zip file version 9.8``).
ZIP_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError)


class ReadError(Exception):
    """The file cannot be read at all; the message is one line naming the cause."""
