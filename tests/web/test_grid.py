"""The web's official form is the layout engine's: every span of ``layout(doc)`` is a cell of the grid, the cells
tile the form as an HTML table lays them out, and every finding that points at a cell of the form lands on a
highlighted cell that shows that field."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from jixiao.cli.parse import sample_paths
from jixiao.export.layout import layout
from jixiao.model import AnyDocument, Finding, SelfEvaluation, SourceRef
from jixiao.pipeline import Options, check_local, load
from jixiao.web.grid import Cell, Grid, Mark, field_path, grid, indicator_rule_scores


@cache
def _documents() -> tuple[AnyDocument, ...]:
    """Every seed document with the findings its local checks give it (as the store keeps them)."""
    options = Options()
    return tuple(d for f in load(sample_paths()) for d in check_local(f, options).stored())


def _marks(doc: AnyDocument) -> list[tuple[Finding, Mark]]:
    return [
        (f, Mark(n, f.code, f.severity.value, f.message, f.expected, f.actual, f"rule of {f.code}"))
        for n, f in enumerate(doc.findings)
    ]


def _grid(doc: AnyDocument) -> tuple[Grid, list[tuple[Finding, Mark]]]:
    marks = _marks(doc)
    return grid(doc, marks, indicator_rule_scores(doc)), marks


def _table_positions(g: Grid) -> list[tuple[int, int, Cell]]:
    """Where an HTML table puts each cell: the next column of its row not covered by a cell above or left."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(g.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            c += cell.colspan
    return out


def _ids(docs: tuple[AnyDocument, ...]) -> list[str]:
    return [f"{n}-{d.kind}" for n, d in enumerate(docs)]


DOCS = _documents()


def test_the_seeds_hold_every_kind_of_form_and_findings_on_cells() -> None:
    kinds = {d.kind for d in DOCS}
    assert kinds == {"self_evaluation", "target_declaration", "evaluation_result"}
    placed = sum(len(c.marks) for d in DOCS for row in _grid(d)[0].rows for c in row)
    assert placed >= 20  # the test below has findings to place


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_every_span_of_the_layout_is_a_cell_where_the_form_prints_it(doc: AnyDocument) -> None:
    lay = layout(doc)
    g = _grid(doc)[0]
    assert g.title == lay.heading
    assert g.columns == lay.ncol
    assert g.widths == lay.widths
    cells = {(r, c): cell for r, c, cell in _table_positions(g)}
    assert len(cells) == len(lay.spans)
    for s in lay.spans:
        cell = cells[s.row, s.col]  # an HTML table puts the span's cell where the layout does
        assert (cell.text, cell.colspan, cell.rowspan, cell.head) == (s.text, s.colspan, s.rowspan, s.head)
        assert cell.field == (None if s.field is None else field_path(s.field))
    assert all(c + cell.colspan <= lay.ncol for _r, c, cell in _table_positions(g))


def _cell_refs(doc: AnyDocument) -> dict[tuple[Any, ...], str]:
    """Each place the document's model read a value from (a field's cell, a row's own source), with the field."""
    out: dict[tuple[Any, ...], str] = {}

    def key(ref: SourceRef) -> tuple[Any, ...]:
        return (ref.path, ref.table, ref.line, ref.row, ref.col, ref.page, ref.sheet, ref.cell)

    for name, ref in doc.cells.items():
        out[key(ref)] = name
    for group in ("funds", "indicators", "subprojects", "level_weights"):
        for n, obj in enumerate(getattr(doc, group, ())):
            for name, ref in obj.cells.items():
                out.setdefault(key(ref), f"{group}[{n}].{name}")
            if obj.source is not None:
                out.setdefault(key(obj.source), f"{group}[{n}]")
    return out


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_every_finding_on_a_cell_or_row_lands_on_a_highlighted_cell(doc: AnyDocument) -> None:
    g, marks = _grid(doc)
    refs = _cell_refs(doc)
    where = {id(m): cell for row in g.rows for cell in row for m in cell.marks}
    shown = [id(m) for row in g.rows for cell in row for m in cell.marks]
    assert len(shown) == len(set(shown))  # a finding is shown once
    assert {id(m) for m in g.unplaced}.isdisjoint(where)
    assert len(where) + len(g.unplaced) == len(marks)
    for f, m in marks:
        ref = f.source
        at = (
            None
            if ref is None
            else (ref.path, ref.table, ref.line, ref.row, ref.col, ref.page, ref.sheet, ref.cell)
        )
        if at not in refs or f.source == doc.source:
            continue
        cell = where.get(id(m))
        assert cell is not None, (f.code, refs[at])
        assert cell.severity is not None
        field = refs[at]  # the field read there, or the row (``indicators[3]``) whose name cell takes it
        assert cell.field in (field, f"{field}.name", f"{field}.line"), (f.code, field, cell.field)
        assert cell.to_dict()["findings"][0]["code"] in {x.code for x in cell.marks}


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_a_cell_shows_where_its_value_was_read(doc: AnyDocument) -> None:
    g = _grid(doc)[0]
    checked = 0
    for row in g.rows:
        for cell in row:
            if cell.field is None or "[" not in cell.field:
                continue
            group, rest = cell.field.split("[", 1)
            n, name = int(rest.split("]")[0]), rest.split(".", 1)[1]
            obj = getattr(doc, group)[n]
            assert cell.source == (obj.cells.get(name) or obj.source)
            checked += cell.source is not None
            if cell.source is not None:
                assert cell.to_dict()["where"]
    assert checked or not any(getattr(doc, "indicators", ()))


def test_the_rule_score_shows_beside_a_printed_score_it_differs_from() -> None:
    doc = next(d for d in DOCS if isinstance(d, SelfEvaluation) and any(i.score for i in d.indicators))
    assert isinstance(doc, SelfEvaluation)
    n = next(k for k, i in enumerate(doc.indicators) if i.score)
    printed = doc.indicators[n].score
    assert printed is not None
    rules: list[float | None] = [i.score for i in doc.indicators]
    rules[n] = printed / 2
    g = grid(doc, [], rules)
    with_rule = [c for row in g.rows for c in row if c.rule is not None]
    assert [(c.field, c.rule) for c in with_rule] == [(f"indicators[{n}].score", f"{printed / 2:g}")]


def test_the_grid_json_is_the_schema() -> None:
    from jixiao.web.schemas import GridOut

    for doc in DOCS:
        g = _grid(doc)[0]
        GridOut.model_validate(g.to_dict())


def test_an_evaluation_shows_the_framework_it_printed_under_its_form() -> None:
    """The official 评价结果信息表 has no place for the 评价指标体系, so the writers leave it out; the page shows it
    under the form, each row with its 分值 / 得分 and its field."""
    from jixiao.model import EvaluationResult, Indicator

    doc = EvaluationResult(
        project="测试项目",
        year=2023,
        score=85,
        framework=[
            Indicator(level1="决策", name="项目立项", weight=20, score=15),
            Indicator(level1="产出", name="产出数量", weight=30, score=28),
        ],
    )
    g = grid(doc, [])
    texts = [[c.text for c in row] for row in g.rows]
    at = texts.index(["评价指标体系", "指标（分值 / 得分）"])
    assert texts[at + 1 :] == [["决策 / 项目立项", "20 / 15"], ["产出 / 产出数量", "30 / 28"]]
    assert [c.field for c in g.rows[at + 2]] == ["framework[1].name", "framework[1].score"]
    assert sum(c.colspan for c in g.rows[at]) == g.columns
