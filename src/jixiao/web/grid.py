"""The official form grid of a document, cell by cell, for the web page: each cell knows the model field it shows,
where that value was read (provenance) and the findings that point at it.

Web-local until the shared layout engine (``export/layout.py``) lands; then :func:`grid` becomes a thin adapter
over it.  The layout follows the printed forms: the 项目支出绩效自评表 (nine columns), the 绩效目标申报表 (four)
and the 绩效评价结果信息表 (label and text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from jixiao.forms.vocabulary import (
    FUND_USES,
    INDICATOR_HEADER,
    PROJECT_TYPES,
    TITLE_DECLARATION,
    TITLE_EVALUATION,
    TITLE_SELF,
)
from jixiao.model import (
    AnyDocument,
    EvaluationResult,
    Finding,
    Indicator,
    SelfEvaluation,
    SourceRef,
    TargetDeclaration,
)
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
    title: list[str]
    columns: int
    rows: list[list[Cell]]
    unplaced: list[Mark]  # findings about the document as a whole, or about a cell the grid does not show

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": self.columns,
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


class _Builder:
    def __init__(self, doc: AnyDocument, marks: Sequence[tuple[Finding, Mark]]) -> None:
        self.doc = doc
        self.rows: list[list[Cell]] = []
        self.by_place: dict[tuple[Any, ...], list[Mark]] = {}
        for f, m in marks:
            p = _place(f.source)
            if p is not None:
                self.by_place.setdefault(p, []).append(m)
        self.placed: set[int] = set()

    def value(self, text: str, obj: Any, name: str, path: str, **kw: Any) -> Cell:
        cells = getattr(obj, "cells", {}) or {}
        ref: SourceRef | None = cells.get(name)
        cell = Cell(text, field=path, source=ref or getattr(obj, "source", None), **kw)
        p = _place(ref)
        if p is not None and p in self.by_place:
            cell.marks = self.by_place[p]
            self.placed.update(id(m) for m in cell.marks)
        return cell

    def row_marks(self, obj: Any, cell: Cell) -> None:
        """Findings pointing at a whole row (its own source) go on the row's name cell."""
        p = _place(getattr(obj, "source", None))
        if p is not None and p in self.by_place:
            new = [m for m in self.by_place[p] if id(m) not in self.placed]
            cell.marks.extend(new)
            self.placed.update(id(m) for m in new)

    def unplaced(self, marks: Sequence[tuple[Finding, Mark]]) -> list[Mark]:
        return [m for _f, m in marks if id(m) not in self.placed]


def _head(text: str, **kw: Any) -> Cell:
    return Cell(text, head=True, **kw)


def _spans(values: Sequence[str | None]) -> list[int]:
    """Rowspans of runs of equal consecutive values (0 for the cells a run covers)."""
    out = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        out[i] = j - i + 1
        i = j + 1
    return out


def _self_evaluation(b: _Builder, doc: SelfEvaluation, rule_scores: Sequence[float | None]) -> list[str]:
    unit = doc.money_unit or "元"
    b.rows.append([_head("项目名称"), b.value(doc.project or "", doc, "project", "project", colspan=8)])
    b.rows.append(
        [
            _head("主管部门"),
            b.value(doc.department or "", doc, "department", "department", colspan=3),
            _head("实施单位"),
            b.value(doc.implementing_unit or "", doc, "implementing_unit", "implementing_unit", colspan=4),
        ]
    )
    heads = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    first = [_head(f"项目资金（{unit}）", rowspan=1 + len(doc.funds)), *(_head(h) for h in heads[:-1])]
    b.rows.append([*first, _head(heads[-1], colspan=2)])
    for n, f in enumerate(doc.funds):
        p = f"funds[{n}]"
        rate = "—" if f.execution_rate is None else fmt_number(f.execution_rate) + "%"
        line = Cell(f.line, head=True, field=f"{p}.line", source=f.source)
        b.row_marks(f, line)
        b.rows.append(
            [
                line,
                *(
                    b.value(fmt_number(getattr(f, k), thousands=True) or "-", f, k, f"{p}.{k}")
                    for k in ("initial_budget", "annual_budget", "executed")
                ),
                b.value(fmt_number(f.weight) or "—", f, "weight", f"{p}.weight"),
                b.value(rate, f, "execution_rate", f"{p}.execution_rate"),
                b.value(fmt_number(f.score) or "—", f, "score", f"{p}.score", colspan=2),
            ]
        )
    if doc.goal is not None:
        g = doc.goal
        b.rows.append(
            [_head("年度总体目标", rowspan=2), _head("预期目标", colspan=4), _head("实际完成情况", colspan=4)]
        )
        b.rows.append(
            [
                b.value(g.expected or "", g, "expected", "goal.expected", colspan=4),
                b.value(g.actual or "", g, "actual", "goal.actual", colspan=4),
            ]
        )
    inds = doc.indicators
    b.rows.append([_head("绩效指标", rowspan=2 + len(inds)), *(_head(h) for h in INDICATOR_HEADER)])
    l1 = _spans([i.level1 for i in inds])
    l2 = _spans([f"{i.level1}\x00{i.level2}" for i in inds])
    for n, ind in enumerate(inds):
        row: list[Cell] = []
        p = f"indicators[{n}]"
        if l1[n]:
            row.append(b.value(ind.level1 or "", ind, "level1", f"{p}.level1", rowspan=l1[n]))
        if l2[n]:
            row.append(b.value(ind.level2 or "", ind, "level2", f"{p}.level2", rowspan=l2[n]))
        name = b.value(ind.name, ind, "name", f"{p}.name")
        b.row_marks(ind, name)
        score = b.value(fmt_number(ind.score), ind, "score", f"{p}.score")
        rule = rule_scores[n] if n < len(rule_scores) else None
        if rule is not None and (ind.score is None or abs(rule - ind.score) > 1e-9):
            score.rule = fmt_number(round(rule, 2))
        row += [
            name,
            b.value(ind.target or "", ind, "target", f"{p}.target"),
            b.value(ind.actual or "", ind, "actual", f"{p}.actual"),
            b.value(fmt_number(ind.weight), ind, "weight", f"{p}.weight"),
            score,
            b.value(ind.deviation or "", ind, "deviation", f"{p}.deviation"),
        ]
        b.rows.append(row)
    total = [
        _head("总分", colspan=5),
        b.value(fmt_number(doc.total_weight), doc, "total_weight", "total_weight"),
        b.value(fmt_number(doc.total_score), doc, "total_score", "total_score"),
        Cell(""),
    ]
    b.rows.append(total)
    if doc.grade:
        b.rows.append([_head("评分等级"), b.value(doc.grade, doc, "grade", "grade", colspan=8)])
    return [TITLE_SELF, *([f"（{doc.year}年度）"] if doc.year else [])]


def _checks(options: Sequence[str], checked: Sequence[str]) -> str:
    every = [*options, *(c for c in checked if c not in options)]
    return " ".join(f"{'☑' if o in checked else '☐'} {o}" for o in every)


def _declaration(b: _Builder, doc: TargetDeclaration) -> list[str]:
    unit = doc.money_unit or "元"

    def date(d: Any) -> str:
        return "" if d is None else f"{d.year}/{d.month}/{d.day}"

    def pair(label: str, name: str, value: float | None) -> list[Cell]:
        return [_head(label), b.value(fmt_number(value, thousands=True), doc, name, name)]

    b.rows.append([_head("项目名称"), b.value(doc.project or "", doc, "project", "project", colspan=3)])
    b.rows.append(
        [
            _head("项目类型"),
            b.value(_checks(PROJECT_TYPES, doc.project_type), doc, "project_type", "project_type", colspan=3),
        ]
    )
    b.rows.append(
        [_head("资金用途"), b.value(_checks(FUND_USES, doc.fund_use), doc, "fund_use", "fund_use", colspan=3)]
    )
    b.rows.append(
        [
            _head("开始时间"),
            b.value(date(doc.start), doc, "start", "start"),
            _head("结束时间"),
            b.value(date(doc.end), doc, "end", "end"),
        ]
    )
    b.rows.append(
        [
            *pair(f"项目总预算（{unit}）", "total_budget", doc.total_budget),
            *pair(f"项目当年预算（{unit}）", "annual_budget", doc.annual_budget),
        ]
    )
    b.rows.append(
        [
            *pair(f"同名项目上年预算额（{unit}）", "previous_budget", doc.previous_budget),
            *pair(f"同名项目上年预算执行数（{unit}）", "previous_executed", doc.previous_executed),
        ]
    )
    if doc.subprojects:
        b.rows.append(
            [
                _head("项目当年投入资金构成", rowspan=1 + len(doc.subprojects)),
                _head("子项目名称", colspan=2),
                _head(f"预算金额（{unit}）"),
            ]
        )
        for n, sp in enumerate(doc.subprojects):
            b.rows.append(
                [
                    b.value(sp.name, sp, "name", f"subprojects[{n}].name", colspan=2),
                    b.value(fmt_number(sp.amount, thousands=True), sp, "amount", f"subprojects[{n}].amount"),
                ]
            )
    b.rows.append(
        [_head("项目总目标"), b.value(doc.overall_goal or "", doc, "overall_goal", "overall_goal", colspan=3)]
    )
    b.rows.append(
        [_head("年度绩效目标"), b.value(doc.annual_goal or "", doc, "annual_goal", "annual_goal", colspan=3)]
    )
    b.rows.append([_head("分解目标内容"), _head("绩效指标"), _head("指标目标值", colspan=2)])
    spans = _spans([i.level1 for i in doc.indicators])
    for n, ind in enumerate(doc.indicators):
        p = f"indicators[{n}]"
        row: list[Cell] = []
        if spans[n]:
            row.append(b.value(ind.level1 or "", ind, "level1", f"{p}.level1", rowspan=spans[n]))
        name = b.value(ind.name, ind, "name", f"{p}.name")
        b.row_marks(ind, name)
        row += [name, b.value(ind.target or "", ind, "target", f"{p}.target", colspan=2)]
        b.rows.append(row)
    title = [TITLE_DECLARATION, *([f"（{doc.year}年）"] if doc.year else [])]
    if doc.unit:
        title.append(f"申报单位名称：{doc.unit}")
    return title


def _numbered(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"（{n}）{item}" for n, item in enumerate(items, start=1))


def _evaluation(b: _Builder, doc: EvaluationResult) -> list[str]:
    unit = doc.money_unit or ""
    b.rows.append([_head("项目名称"), b.value(doc.project or "", doc, "project", "project")])
    b.rows.append(
        [
            _head("决算金额"),
            b.value(
                f"{fmt_number(doc.final_accounts, thousands=True)}{unit}",
                doc,
                "final_accounts",
                "final_accounts",
            ),
        ]
    )
    b.rows.append([_head("评价分值"), b.value(fmt_number(doc.score), doc, "score", "score")])
    b.rows.append([_head("评价结论"), b.value(doc.conclusion or "", doc, "conclusion", "conclusion")])
    b.rows.append([_head("主要绩效"), b.value(doc.performance or "", doc, "performance", "performance")])
    for label, name, items in (
        ("存在问题", "problems", doc.problems),
        ("整改建议", "suggestions", doc.suggestions),
        ("整改情况", "rectification", doc.rectification),
    ):
        b.rows.append([_head(label), b.value(_numbered(items), doc, name, name)])
    if doc.framework:
        b.rows.append([_head("评价指标体系"), _head("指标（分值 / 得分）")])
        for n, ind in enumerate(doc.framework):
            text = " / ".join(x for x in (ind.level1, ind.level2, ind.name) if x)
            b.rows.append(
                [
                    b.value(text, ind, "name", f"framework[{n}].name", head=True),
                    b.value(
                        f"{fmt_number(ind.weight)} / {fmt_number(ind.score)}",
                        ind,
                        "score",
                        f"framework[{n}].score",
                    ),
                ]
            )
    return [TITLE_EVALUATION, *([f"（{doc.year}年）"] if doc.year else [])]


def grid(
    doc: AnyDocument,
    marks: Sequence[tuple[Finding, Mark]],
    rule_scores: Sequence[float | None] = (),
) -> Grid:
    """The document's form with ``marks`` (its findings) placed on the cells they point at; ``rule_scores``:
    the rule's score of each indicator row of a self-evaluation (None where the rule gives none)."""
    b = _Builder(doc, marks)
    if isinstance(doc, SelfEvaluation):
        title, columns = _self_evaluation(b, doc, rule_scores), 9
    elif isinstance(doc, TargetDeclaration):
        title, columns = _declaration(b, doc), 4
    else:
        title, columns = _evaluation(b, doc), 2
    return Grid(title, columns, b.rows, b.unplaced(marks))


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
