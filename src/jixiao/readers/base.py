"""The neutral grid every reader produces: rows of cells, each cell with its source reference.

A reader turns bytes into a :class:`Grid`: the file's rows in reading order.  Rows of a table carry the table's
index; free text (titles, paragraphs between tables, broken extraction lines) comes as rows of one cell with
``table`` ``None``.  Cell text is normalised only as far as every format agrees: HTML tags removed, check boxes
rendered as ``☑`` (checked) / ``☐`` (unchecked), entities unescaped; everything else is left as printed.
"""

from __future__ import annotations

import zipfile
from dataclasses import FrozenInstanceError, dataclass, field, fields
from typing import Any

from jixiao.model import Finding, SourceRef

CHECKED = "☑"
UNCHECKED = "☐"

_REF_FIELDS = ("path", "table", "line", "row", "col", "page", "sheet", "cell", "bbox")
_new = object.__new__
if tuple(f.name for f in fields(SourceRef)) != _REF_FIELDS or hasattr(SourceRef, "__post_init__"):
    raise ImportError(
        "readers.base.make_ref no longer matches jixiao.model.SourceRef's fields"
    )  # pragma: no cover
_PATH, _TABLE, _LINE, _ROW, _COL, _PAGE, _SHEET, _CELL, _BBOX = (
    SourceRef.__dict__[n].__set__ for n in _REF_FIELDS
)


def make_ref(
    path: str | None = None,
    table: int | None = None,
    line: int | None = None,
    row: int | None = None,
    col: int | None = None,
    page: int | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> SourceRef:
    """``SourceRef(path, table, line, row, col, …)``, the same object made for a third of the cost.

    A frozen dataclass's ``__init__`` sets each of its nine fields through ``object.__setattr__``; here the slots
    are filled through their descriptors.  SourceRef validates nothing and has no ``__post_init__`` (checked above,
    at import), so nothing is skipped.  The readers make one per row and the parsers one per cited cell."""
    ref: SourceRef = _new(SourceRef)
    _PATH(ref, path)
    _TABLE(ref, table)
    _LINE(ref, line)
    _ROW(ref, row)
    _COL(ref, col)
    _PAGE(ref, page)
    _SHEET(ref, sheet)
    _CELL(ref, cell)
    _BBOX(ref, bbox)
    return ref


class Cell:
    """One cell's text and where it was printed; immutable, compared and hashed by ``(text, ref)``.

    ``Cell(text, ref)`` takes the cell's own ref.  A reader making a cell for every column of a row can give the
    row's ref and the 1-based column instead (:meth:`at`): the cell's ref is then made the first time it is read,
    since most cells (labels, blanks, rules) are never cited, and a :class:`SourceRef` costs more to make than
    the cell itself.
    """

    __slots__ = ("_ref", "text")
    text: str
    _ref: SourceRef | tuple[SourceRef, int]

    def __init__(self, text: str, ref: SourceRef) -> None:
        _TEXT(self, text)
        _REF(self, ref)

    @classmethod
    def at(cls, text: str, row_ref: SourceRef, col: int) -> Cell:
        """The cell in column ``col`` (1-based) of the row at ``row_ref``: its ref is ``row_ref.at(col=col)``."""
        cell = _new(cls)
        _TEXT(cell, text)
        _REF(cell, (row_ref, col))
        return cell

    def retext(self, text: str) -> Cell:
        """A cell of other text at this cell's place (its ref made once, when either is first read)."""
        cell = _new(Cell)
        _TEXT(cell, text)
        _REF(cell, self._ref)
        return cell

    def moved(self, text: str, col: int) -> Cell:
        """A cell of other text in column ``col`` (1-based) of this cell's row: ``ref.at(col=col)``, made lazily."""
        ref = self._ref
        cell = _new(Cell)
        _TEXT(cell, text)
        _REF(cell, (ref if isinstance(ref, SourceRef) else ref[0], col))
        return cell

    @property
    def ref(self) -> SourceRef:
        ref = self._ref
        if isinstance(ref, SourceRef):
            return ref
        b, col = ref  # the row's ref with this column: b.at(col=col), without dataclasses.replace's cost
        made = make_ref(b.path, b.table, b.line, b.row, col, b.page, b.sheet, b.cell, b.bbox)
        _REF(self, made)
        return made

    @property
    def line(self) -> int | None:
        """``ref.line``, without making the ref (a cell's line is its row's)."""
        ref = self._ref
        return ref.line if isinstance(ref, SourceRef) else ref[0].line

    @property
    def empty(self) -> bool:
        return not self.text or self.text.isspace()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")  # frozen, as the dataclass it replaced

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell) or other.__class__ is not self.__class__:
            return NotImplemented
        return self.text == other.text and self.ref == other.ref

    def __hash__(self) -> int:
        return hash((self.text, self.ref))

    def __repr__(self) -> str:
        return f"Cell(text={self.text!r}, ref={self.ref!r})"

    def __reduce__(self) -> tuple[type[Cell], tuple[str, SourceRef]]:
        return Cell, (self.text, self.ref)


_TEXT, _REF = (
    Cell.__dict__["text"].__set__,
    Cell.__dict__["_ref"].__set__,
)  # as make_ref: past the frozen guard


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    ref: SourceRef
    table: int | None = None  # 1-based index of the table the row belongs to; None for free text
    page_break: bool = False  # the row follows a page break (or a blank-line gap inside a table)
    # What the parsers derived from the cells (their keys, the row split at spaces …), made on first use: a reader
    # finishes a row's cells before any parser sees it, and parsers never change them.
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text and not c.text.isspace()]  # Cell.empty, inlined: a hot loop

    def joined(self, sep: str = " ") -> str:
        memo_key = "joined" + sep
        done: str | None = self.memo.get(memo_key)
        if done is None:
            done = self.memo[memo_key] = sep.join(
                t.strip() for c in self.cells if (t := c.text) and not t.isspace()
            )
        return done


@dataclass(slots=True)
class Grid:
    """All rows of one file, in reading order, with what went wrong while reading."""

    path: str
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    format: str = "text"


# What ``zipfile`` raises for an archive it cannot open: damaged, truncated, or of a version or compression
# method it does not implement (``NotImplementedError: zip file version 9.8``).
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    ValueError,
    OSError,
    EOFError,
    NotImplementedError,
)


class ReadError(Exception):
    """The file cannot be read at all; the message is one line naming the cause."""
