"""The official form grid of a document, cell by cell, for the web page: each cell knows the model field it shows,
where that value was read (provenance) and the findings that point at it.

An adapter over the one layout engine (:func:`jixiao.export.layout.layout`), the spans the XLSX, DOCX, HTML and
text writers print: each span becomes a cell (its text, merges and head flag as the form prints them), and a span
that shows a model field (:attr:`~jixiao.export.layout.Span.field`) gets that field's provenance, the findings
whose source is its cell (or, on a row's name cell, the row) and, on an indicator's 得分, the rule's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from jixiao.export.layout import Span, layout
from jixiao.model import AnyDocument, EvaluationResult, Finding, Indicator, SelfEvaluation, SourceRef
from jixiao.text import format_number as fmt_number


@dataclass(slots=True)
class Mark:
    """A finding on a cell: its store id (for links), code, severity, message, numbers and the rule's summary."""

    id: int | None
    code: str
    severity: str
    message: str
    expected: float | str | None
    actual: float | str | None
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Cell:
    """One cell of the grid.  ``head``: a printed label; ``field``: the model field shown (``indicators[3].score``);
    ``rule``: the score by the rule beside a printed score, when they differ."""

    text: str
    head: bool = False
    colspan: int = 1
    rowspan: int = 1
    field: str | None = None
    source: SourceRef | None = None
    marks: list[Mark] = _field(default_factory=list)
    rule: str | None = None

    @property
    def severity(self) -> str | None:
        order = {"error": 2, "warning": 1, "info": 0}
        return max((m.severity for m in self.marks), key=lambda s: order.get(s, 0), default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "head": self.head,
            "colspan": self.colspan,
            "rowspan": self.rowspan,
            "field": self.field,
            "source": source_dict(self.source),
            "where": where(self.source),
            "findings": [m.to_dict() for m in self.marks],
            "severity": self.severity,
            "rule": self.rule,
        }


@dataclass(slots=True)
class Grid:
    """The form: the lines above it, its columns (and their printed widths in mm), its rows of cells, and the
    findings no cell shows."""

    title: list[str]
    columns: int
    rows: list[list[Cell]]
    unplaced: list[Mark]  # findings about the document as a whole, or about a cell the grid does not show
    widths: list[int] = _field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": self.columns,
            "widths": self.widths,
            "rows": [[c.to_dict() for c in r] for r in self.rows],
            "unplaced": [m.to_dict() for m in self.unplaced],
        }


_REF_FIELDS = ("path", "table", "line", "row", "col", "page", "sheet", "cell", "bbox")


def source_dict(ref: SourceRef | None) -> dict[str, Any] | None:
    """``SourceRef.to_dict`` without ``dataclasses.asdict`` (a form has hundreds of cells)."""
    if ref is None:
        return None
    out: dict[str, Any] = {}
    for k in _REF_FIELDS:
        v = getattr(ref, k)
        if v is not None:
            out[k] = list(v) if isinstance(v, tuple) else v
    return out


def where(ref: SourceRef | None) -> str | None:
    """Where a value was read, in words: file, then page / sheet and cell / line and column."""
    if ref is None:
        return None
    parts = [(ref.path or "").replace("\\", "/").rsplit("/", 1)[-1]]
    if ref.page is not None:
        parts.append(f"第{ref.page}页")
    if ref.sheet is not None:
        parts.append(f"{ref.sheet}!{ref.cell or ''}")
    if ref.line is not None:
        parts.append(f"第{ref.line}行")
    if ref.col is not None:
        parts.append(f"第{ref.col}列")
    return " ".join(p for p in parts if p)


def _place(key: SourceRef | None) -> tuple[Any, ...] | None:
    if key is None:
        return None
    return (key.path, key.table, key.line, key.row, key.col, key.page, key.sheet, key.cell)


# The fields whose cell also takes the findings about its whole row (the row's own source): a row's name.
_ROW_NAMES = frozenset({"name", "line"})
# Fields a span shows beside the one it names: the national form's 项目期 prints the start and the end.
_ALSO = {"start": ("end",)}


def field_path(path: Sequence[str | int]) -> str:
    """A span's field as the page names it: ``("indicators", 3, "actual")`` → ``indicators[3].actual``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _owner(doc: AnyDocument, path: Sequence[str | int]) -> Any:
    """The object holding a field's value (the document, its goal, an indicator row), None when absent."""
    obj: Any = doc
    for p in path[:-1]:
        if obj is None:
            return None
        obj = (obj[p] if p < len(obj) else None) if isinstance(p, int) else getattr(obj, p, None)
    return obj


class _Placer:
    """Hands each finding to the first cell that shows where it points, once."""

    def __init__(self, marks: Sequence[tuple[Finding, Mark]]) -> None:
        self.by_place: dict[tuple[Any, ...], list[Mark]] = {}
        for f, m in marks:
            p = _place(f.source)
            if p is not None:
                self.by_place.setdefault(p, []).append(m)
        self.placed: set[int] = set()

    def take(self, ref: SourceRef | None) -> list[Mark]:
        p = _place(ref)
        new = [m for m in self.by_place.get(p, ()) if id(m) not in self.placed] if p is not None else []
        self.placed.update(id(m) for m in new)
        return new


def _cell(s: Span, doc: AnyDocument, placer: _Placer, rule_scores: Sequence[float | None]) -> Cell:
    cell = Cell(s.text, head=s.head, colspan=s.colspan, rowspan=s.rowspan)
    if s.field is None:
        return cell
    path, name = s.field, str(s.field[-1])
    obj = _owner(doc, path)
    cell.field = field_path(path)
    if obj is None:
        return cell
    cells: dict[str, SourceRef] = getattr(obj, "cells", None) or {}
    ref = cells.get(name)
    cell.source = ref or getattr(obj, "source", None)
    for key in (name, *_ALSO.get(name, ())):
        cell.marks += placer.take(cells.get(key))
    if name in _ROW_NAMES and obj is not doc:
        cell.marks += placer.take(getattr(obj, "source", None))
    if path[0] == "total_score":
        cell.marks += placer.take(getattr(doc, "total_source", None))
    if path[0] == "indicators" and name == "score" and isinstance(obj, Indicator):
        n = int(path[1])
        rule = rule_scores[n] if n < len(rule_scores) else None
        if rule is not None and (obj.score is None or abs(rule - obj.score) > 1e-9):
            cell.rule = fmt_number(round(rule, 2))
    return cell


def grid(
    doc: AnyDocument,
    marks: Sequence[tuple[Finding, Mark]],
    rule_scores: Sequence[float | None] = (),
) -> Grid:
    """The document's form as :func:`~jixiao.export.layout.layout` lays it out, with ``marks`` (its findings)
    placed on the cells they point at; ``rule_scores``: the rule's score of each indicator row of a
    self-evaluation (None where the rule gives none)."""
    lay = layout(doc)
    placer = _Placer(marks)
    rows: list[list[Cell]] = [[] for _ in range(lay.nrow)]
    for s in sorted(lay.spans, key=lambda s: (s.row, s.col)):
        rows[s.row].append(_cell(s, doc, placer, rule_scores))
    for extra in _framework_rows(doc, lay.ncol):
        rows.append([_cell(s, doc, placer, rule_scores) for s in extra])
    unplaced = [m for _f, m in marks if id(m) not in placer.placed]
    return Grid(lay.heading, lay.ncol, rows, unplaced, list(lay.widths))


def _framework_rows(doc: AnyDocument, ncol: int) -> list[list[Span]]:
    """The 评价指标体系 an evaluation result printed (决策 20 / 15 …), under its form: the official 评价结果信息表
    has no place for it, so the writers leave it out, but a reader of the page wants to see what was scored."""
    if not isinstance(doc, EvaluationResult) or not doc.framework or ncol < 2:
        return []
    rest = ncol - 1
    out = [
        [Span(0, 0, "评价指标体系", head=True), Span(0, 1, "指标（分值 / 得分）", colspan=rest, head=True)]
    ]
    for n, ind in enumerate(doc.framework):
        label = " / ".join(x for x in (ind.level1, ind.level2, ind.name) if x)
        scores = f"{fmt_number(ind.weight)} / {fmt_number(ind.score)}"
        out.append(
            [
                Span(0, 0, label, head=True, left=True, field=("framework", n, "name")),
                Span(0, 1, scores, colspan=rest, field=("framework", n, "score")),
            ]
        )
    return out


def indicator_rule_scores(doc: AnyDocument) -> list[float | None]:
    """The rule's score of each indicator row (R5–R7 and the qualitative tiers), None where it gives none."""
    if not isinstance(doc, SelfEvaluation):
        return []
    from jixiao.rules.profile import load_profile
    from jixiao.rules.scoring import score_row

    profile = load_profile()

    def rule(ind: Indicator) -> float | None:
        if ind.weight is None:
            return None
        expected = score_row(ind, profile).expected
        return None if expected is None else float(expected)

    return [rule(ind) for ind in doc.indicators]
