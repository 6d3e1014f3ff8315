"""What a project looks like to a reader, as both the CLI and the web render it: the timeline of its documents
(申报 → 自评 by year → 评价结果 → 整改) with each document's key numbers, and the indicator matrix that shows
what was declared against what was reported.

Plain data over the model (no parser, no rule): the CLI prints it as tables, the web as HTML and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from jixiao.model import AnyDocument, EvaluationResult, SelfEvaluation, TargetDeclaration
from jixiao.store.query import KIND_ORDER as KIND_ORDER
from jixiao.store.query import KIND_SHORT as KIND_SHORT
from jixiao.store.query import KIND_TITLE as KIND_TITLE
from jixiao.store.query import DocumentEntry, ProjectEntry, load_documents, projects
from jixiao.store.query import doc_label as doc_label
from jixiao.store.query import fmt as fmt

# the kinds' names, numbers and labels live with the entries (:mod:`jixiao.store.query`), so that the read
# commands that print no document (summary, projects) format them without loading the model

# --- key numbers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """One key number of a document: its label, value and unit as printed (None: not printed)."""

    label: str
    value: float | str | None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "unit": self.unit}


def key_numbers(doc: AnyDocument) -> list[Number]:
    """The numbers a reader looks at first, per kind; a value the form does not print stays None."""
    unit = doc.money_unit
    if isinstance(doc, SelfEvaluation):
        total = doc.fund()
        return [
            Number("自评得分", doc.total_score, "分"),
            Number("总分值", doc.total_weight, "分"),
            Number("评分等级", doc.grade),
            Number("全年预算数", total.annual_budget if total else None, unit),
            Number("全年执行数", total.executed if total else None, unit),
            Number("执行率", total.execution_rate if total else None, "%"),
            Number("绩效指标", len(doc.indicators), "项"),
        ]
    if isinstance(doc, TargetDeclaration):
        return [
            Number("项目总预算", doc.total_budget, unit),
            Number("项目当年预算", doc.annual_budget, unit),
            Number("绩效目标", len(doc.indicators), "项"),
        ]
    return [
        Number("评价分值", doc.score, "分"),
        Number("评价结论", doc.conclusion),
        Number("决算金额", doc.final_accounts, unit),
        Number("存在问题", len(doc.problems), "条"),
        Number("整改情况", len(doc.rectification), "条"),
    ]


def headline(doc: AnyDocument) -> str:
    """One line per document: the key numbers in words."""
    unit = doc.money_unit or ""
    if isinstance(doc, SelfEvaluation):
        total = doc.fund()
        money = ""
        if total is not None:
            money = f"执行 {fmt(total.executed)} / 预算 {fmt(total.annual_budget)} {unit}"
            if total.execution_rate is not None:
                money += f"（{fmt(total.execution_rate)}%）"
        grade = f" {doc.grade}" if doc.grade else ""
        return f"自评 {fmt(doc.total_score)}/{fmt(doc.total_weight)} 分{grade}；{money}；指标 {len(doc.indicators)} 项"
    if isinstance(doc, TargetDeclaration):
        return f"当年预算 {fmt(doc.annual_budget)} {unit}；目标 {len(doc.indicators)} 项；{(doc.annual_goal or '')[:40]}"
    return (
        f"评价 {fmt(doc.score)} 分 {doc.conclusion or ''}；决算 {fmt(doc.final_accounts)} {unit}；"
        f"问题 {len(doc.problems)} 条"
    )


# --- indicator matrix -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class MatrixCell:
    """One indicator in one document: the target (申报) or target → actual with score/weight (自评)."""

    target: str | None
    actual: str | None = None
    score: float | None = None
    weight: float | None = None

    def text(self) -> str:
        if self.actual is None and self.score is None and self.weight is None:
            return self.target or ""
        return f"{self.target or ''} → {self.actual or ''}  {fmt(self.score)}/{fmt(self.weight)}"

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "actual": self.actual, "score": self.score, "weight": self.weight}


@dataclass(slots=True)
class MatrixRow:
    """An indicator (一级 / 三级 name) across the documents; ``changed``: the targets printed differ between
    documents (a target declared one way and reported another, what C-SE-19 looks at)."""

    level1: str
    name: str
    cells: dict[int, MatrixCell] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        targets = {(c.target or "").replace(" ", "") for c in self.cells.values() if c.target}
        return len(targets) > 1

    def to_dict(self, columns: list[int]) -> dict[str, Any]:
        return {
            "level1": self.level1,
            "name": self.name,
            "changed": self.changed,
            "cells": [self.cells[c].to_dict() if c in self.cells else None for c in columns],
        }


@dataclass(slots=True)
class Matrix:
    columns: list[DocumentEntry]
    rows: list[MatrixRow]

    def to_dict(self) -> dict[str, Any]:
        ids = [c.id for c in self.columns]
        return {
            "columns": [{"document_id": c.id, "label": doc_label(c)} for c in self.columns],
            "rows": [r.to_dict(ids) for r in self.rows],
        }


def indicator_matrix(entries: list[DocumentEntry], docs: dict[int, AnyDocument]) -> Matrix | None:
    """Indicators (rows) by declaration and self-evaluation (columns); None when no document has indicators.
    Copies of one form (link method ``copy``) add no column."""
    cols = [
        e
        for e in entries
        if e.method != "copy" and isinstance(docs.get(e.id), SelfEvaluation | TargetDeclaration)
    ]
    if not cols:
        return None
    rows: dict[tuple[str, str], MatrixRow] = {}
    for e in cols:
        doc = docs[e.id]
        assert isinstance(doc, SelfEvaluation | TargetDeclaration)
        for ind in doc.indicators:
            row = rows.setdefault((ind.level1 or "", ind.name), MatrixRow(ind.level1 or "", ind.name))
            if isinstance(doc, SelfEvaluation):
                row.cells[e.id] = MatrixCell(ind.target, ind.actual or "", ind.score, ind.weight)
            else:
                row.cells[e.id] = MatrixCell(ind.target)
    return Matrix(cols, list(rows.values()))


# --- the timeline ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    """One document on the timeline."""

    entry: DocumentEntry
    document: AnyDocument

    @property
    def stage(self) -> str:
        return KIND_SHORT.get(self.entry.kind, self.entry.kind)

    def to_dict(self) -> dict[str, Any]:
        e, doc = self.entry, self.document
        out: dict[str, Any] = {
            "document_id": e.id,
            "kind": e.kind,
            "kind_title": KIND_TITLE.get(e.kind, e.kind),
            "stage": self.stage,
            "year": e.year,
            "name": e.name,
            "path": e.path,
            "sha256": e.sha256,
            "headline": headline(doc),
            "numbers": [n.to_dict() for n in key_numbers(doc)],
            "findings": len(doc.findings),
            "link": {"score": e.score, "method": e.method, "reason": e.reason, "via": e.via},
            "problems": [],
            "suggestions": [],
            "rectification": [],
        }
        if isinstance(doc, EvaluationResult):
            out["problems"] = list(doc.problems)
            out["suggestions"] = list(doc.suggestions)
            out["rectification"] = list(doc.rectification)
        return out


@dataclass(slots=True)
class Timeline:
    project: ProjectEntry
    steps: list[Step]
    matrix: Matrix | None

    @property
    def years(self) -> list[int]:
        return self.project.years

    def to_dict(self) -> dict[str, Any]:
        p = self.project
        return {
            "id": p.id,
            "name": p.name,
            "unit": p.unit,
            "department": p.department,
            "years": p.years,
            "steps": [s.to_dict() for s in self.steps],
            "matrix": self.matrix.to_dict() if self.matrix is not None else None,
        }


def timeline_of(conn: Connection, project: ProjectEntry) -> Timeline:
    """The project's documents in order: by year, and within a year 申报 → 自评 → 评价."""
    docs = load_documents(conn, [d.id for d in project.documents])
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    entries = sorted(
        (e for e in project.documents if e.id in docs),
        key=lambda e: (e.year or 0, order.get(e.kind, 9), e.id),
    )
    return Timeline(project, [Step(e, docs[e.id]) for e in entries], indicator_matrix(entries, docs))


def timeline(conn: Connection, project_id: int) -> Timeline | None:
    found = projects(conn, [project_id])
    return timeline_of(conn, found[0]) if found else None


# --- comparing documents --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Comparison:
    """Documents side by side: each one's key numbers, and their indicators in one matrix."""

    steps: list[Step]
    matrix: Matrix | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [
                {**s.to_dict(), "project_id": p} for s, p in zip(self.steps, self.projects, strict=True)
            ],
            "matrix": self.matrix.to_dict() if self.matrix is not None else None,
        }

    projects: list[int | None] = field(default_factory=list)


def comparison(conn: Connection, document_ids: list[int]) -> Comparison:
    """The documents (in the order given; unknown or unlinked ids left out) compared."""
    from sqlalchemy import select

    from jixiao.store import schema

    ln = schema.links
    linked = {
        int(d): int(p)
        for d, p in conn.execute(
            select(ln.c.document_id, ln.c.project_id).where(ln.c.document_id.in_(document_ids))
        )
    }
    entries = {e.id: e for p in projects(conn, sorted(set(linked.values()))) for e in p.documents}
    chosen = [entries[i] for i in dict.fromkeys(document_ids) if i in entries]
    docs = load_documents(conn, [e.id for e in chosen])
    steps = [Step(e, docs[e.id]) for e in chosen if e.id in docs]
    # every chosen document is a column, copies included: the reader asked for them
    cols = [replace(s.entry, method=None) for s in steps]
    return Comparison(steps, indicator_matrix(cols, docs), [linked.get(s.entry.id) for s in steps])
