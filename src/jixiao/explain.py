"""Why a value came out as it did: each cell of the grid beside the model field it became."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.forms import ParseResult
from jixiao.model import AnyDocument, SourceRef
from jixiao.readers.base import Cell, Grid, Row


@dataclass(frozen=True)
class CellRole:
    row: Row
    cell: Cell
    roles: tuple[str, ...]  # e.g. ("#2 indicators[3].target",); empty when no field came from the cell


def _refs(doc: AnyDocument, prefix: str) -> Iterator[tuple[SourceRef, str]]:
    for fld, ref in doc.cells.items():
        yield ref, f"{prefix}{fld}"
    for list_name in ("funds", "indicators", "subprojects"):
        for n, item in enumerate(getattr(doc, list_name, []) or []):
            for fld, ref in item.cells.items():
                yield ref, f"{prefix}{list_name}[{n}].{fld}"
    goal = getattr(doc, "goal", None)
    if goal is not None:
        for fld, ref in goal.cells.items():
            yield ref, f"{prefix}goal.{fld}"
    total = getattr(doc, "total_source", None)
    if total is not None:
        yield total, f"{prefix}total"


def _key(ref: SourceRef) -> tuple[object, ...]:
    return (ref.line, ref.row, ref.col, ref.page, ref.sheet, ref.cell, ref.table)


def roles(grid: Grid, result: ParseResult) -> list[CellRole]:
    """Every cell of the grid in reading order, with the fields of the parsed documents that came from it."""
    by_ref: dict[tuple[object, ...], list[str]] = {}
    for d, doc in enumerate(result.documents, start=1):
        for ref, role in _refs(doc, f"#{d} "):
            by_ref.setdefault(_key(ref), []).append(role)
            if ref.col is not None:  # a field read from a whole plain line points at the line
                by_ref.setdefault(_key(ref.at(col=None)), [])
    out: list[CellRole] = []
    for row in grid.rows:
        for cell in row.cells:
            out.append(CellRole(row, cell, tuple(by_ref.get(_key(cell.ref), ()))))
    return out
