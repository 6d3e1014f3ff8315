"""The typed domain model: the three document kinds, their rows, source references and findings.

Every parsed object carries a :class:`SourceRef` set once by the reader; checks and reports read it, they never
compute positions.  :func:`to_v1` / :func:`from_v1` convert to and from the open JSON format
(``shared/spec/document-format.md``); extra provenance fields travel under ``provenance`` and ``findings``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

Number = float


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value came from, as the user sees it: 1-based lines, rows and columns.

    Set once by the reader (a frozen dataclass: cheap to make for every cell) and carried by every model object.
    """

    path: str | None = None
    table: int | None = None  # 1-based table (or document block) index within the file
    line: int | None = None  # text files: 1-based line
    row: int | None = None  # row within the table, 1-based
    col: int | None = None  # column within the row, 1-based
    page: int | None = None  # PDF page, 1-based
    sheet: str | None = None  # XLSX sheet name
    cell: str | None = None  # XLSX cell address, e.g. "F12"
    bbox: tuple[float, float, float, float] | None = None  # PDF cell box (x0, top, x1, bottom) in points

    def label(self) -> str:
        """A short human location such as ``file.txt:12`` or ``a.pdf:p3`` or ``b.xlsx:Sheet1!F12``."""
        where = self.path or "<input>"
        if self.sheet is not None:
            return f"{where}:{self.sheet}!{self.cell or ''}".rstrip("!")
        if self.page is not None:
            return f"{where}:p{self.page}"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.table is not None:
            return f"{where}:table{self.table}"
        return where

    def at(self, **changes: Any) -> SourceRef:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        # the fields read directly (dataclasses.asdict deep-copies each value: the cost of every export)
        out = {k: getattr(self, k) for k in self.__slots__}
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in out.items() if v is not None}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Finding(BaseModel):
    """One problem found by any stage (reading, parsing, scoring, checking), with the numbers as data."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    code: str
    severity: Severity
    message: str
    source: SourceRef | None = None
    subject: str | None = None  # document / indicator the finding is about, e.g. "干部教育工作经费 / 出勤率"
    expected: float | str | None = None
    actual: float | str | None = None
    tolerance: float | None = None
    name: str | None = None  # slug of the check, e.g. "self_eval.score_vs_rule"

    def key(self) -> tuple[str, int | None, int | None]:
        src = self.source or SourceRef()
        return (self.code, src.line if src.line is not None else src.row, src.col)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def render(self) -> str:
        where = self.source.label() if self.source else "<input>"
        return f"{where}: {self.code} {self.severity.value} {self.message}"


class Kind(StrEnum):
    SELF_EVALUATION = "self_evaluation"
    TARGET_DECLARATION = "target_declaration"
    EVALUATION_RESULT = "evaluation_result"

    @property
    def form_title(self) -> str:
        return {
            "self_evaluation": "绩效自评表",
            "target_declaration": "绩效目标申报表",
            "evaluation_result": "绩效评价结果信息表",
        }[self.value]


MoneyUnit = Literal["元", "万元"]


class _Traced(BaseModel):
    """A row-like object: its own source plus the source of each field's cell."""

    model_config = ConfigDict(validate_assignment=False, defer_build=True)

    source: SourceRef | None = None
    cells: dict[str, SourceRef] = Field(default_factory=dict)


class FundLine(_Traced):
    line: str
    initial_budget: Number | None = None
    annual_budget: Number | None = None
    executed: Number | None = None
    weight: Number | None = None
    execution_rate: Number | None = None  # percent: 90.90% -> 90.9
    score: Number | None = None


class Goal(_Traced):
    expected: str | None = None
    actual: str | None = None


class Indicator(_Traced):
    level1: str | None = None
    level2: str | None = None
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Number | None = None
    score: Number | None = None
    deviation: str | None = None


class LevelWeight(_Traced):
    """A 一级 or 二级 indicator's own printed 分值 (``项目决策 20``), as a scoring rubric prints it above its rows.

    ``level2`` is None for a 一级 weight.  Check C-SE-10 compares it with the sum of the rows under it; C-ER-05
    reads the 产出 + 效益 share of the framework from the 一级 weights.
    """

    level1: str
    level2: str | None = None
    weight: Number


class Subproject(_Traced):
    name: str
    amount: Number | None = None


class _Document(BaseModel):
    # Validators are built when a kind is first used, not at import (start-up time of ``parse``).
    model_config = ConfigDict(defer_build=True)

    year: int | None = None
    project: str | None = None
    money_unit: MoneyUnit | None = None
    source: SourceRef | None = None
    cells: dict[str, SourceRef] = Field(default_factory=dict)  # where each document-level field was read
    findings: list[Finding] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.kind_title} {self.year or '?'} {self.project or '?'}"

    @property
    def kind_title(self) -> str:
        return Kind(getattr(self, "kind")).form_title  # noqa: B009 - every subclass defines kind


class SelfEvaluation(_Document):
    kind: Literal["self_evaluation"] = "self_evaluation"
    department: str | None = None
    implementing_unit: str | None = None
    funds: list[FundLine] = Field(default_factory=list)
    goal: Goal | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    # The printed 一级 / 二级 weights, where the form prints them (scoring rubrics do; the 10号 table does not).
    level_weights: list[LevelWeight] = Field(default_factory=list)
    total_weight: Number | None = None
    total_score: Number | None = None
    grade: str | None = None
    total_source: SourceRef | None = None

    @property
    def printed_level1_weights(self) -> list[LevelWeight]:
        """The printed 一级 weights: non-empty when the form is a scoring rubric (the 10号 Att. 2 framework)."""
        return [lw for lw in self.level_weights if lw.level2 is None]

    def fund(self, line_prefix: str = "年度资金总额") -> FundLine | None:
        for f in self.funds:
            if f.line.startswith(line_prefix):
                return f
        return None


class TargetDeclaration(_Document):
    kind: Literal["target_declaration"] = "target_declaration"
    unit: str | None = None
    department: str | None = None  # 主管部门, where the form prints one
    project_type: list[str] = Field(default_factory=list)
    fund_use: list[str] = Field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    period_in_months: bool = False  # the form prints months only: v1 gives YYYY-MM, start/end hold the 1st
    total_budget: Number | None = None
    annual_budget: Number | None = None
    previous_budget: Number | None = None
    previous_executed: Number | None = None
    subprojects: list[Subproject] = Field(default_factory=list)
    overall_goal: str | None = None
    annual_goal: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _month_periods(cls, data: Any) -> Any:
        """A v1 month-only period (``2023-07``) read back as the month's first day."""

        def month(v: Any) -> bool:
            return isinstance(v, str) and len(v) == 7 and v[4] == "-" and (v[:4] + v[5:]).isdigit()

        if isinstance(data, dict) and any(month(data.get(k)) for k in ("start", "end")):
            data = {k: f"{v}-01" if k in ("start", "end") and month(v) else v for k, v in data.items()}
            data["period_in_months"] = True
        return data


class EvaluationItem(_Traced):
    """One project's result in a table that lists several (评价结果汇总表)."""

    department: str | None = None
    project: str | None = None
    funds_amount: Number | None = None  # 资金量 as printed (not 决算)
    score: Number | None = None
    conclusion: str | None = None


class RubricItem(_Traced):
    """One scored row of the evaluation framework a result prints (决策 20 / 15 …)."""

    name: str
    weight: Number | None = None
    score: Number | None = None


class EvaluationResult(_Document):
    kind: Literal["evaluation_result"] = "evaluation_result"
    department: str | None = None  # the evaluated unit's 主管部门 (or 项目承担单位)
    evaluator: str | None = None  # the evaluating body, when named
    funds_amount: Number | None = None  # 项目总金额 / 资金投入总数, when printed (not 决算)
    final_accounts: Number | None = None
    score: Number | None = None
    self_score: Number | None = None  # the unit's own score printed beside the evaluator's
    conclusion: str | None = None  # 优 / 良 / 中 / 差
    conclusion_printed: str | None = None  # the grade as printed when it is not the letter (良好 → 良)
    rating: str | None = None  # a grade outside 优/良/中/差 (建议予以支持); conclusion is then None
    items: list[EvaluationItem] = Field(default_factory=list)
    rubric_items: list[RubricItem] = Field(default_factory=list)
    grade_counts: dict[str, int] = Field(default_factory=dict)  # an aggregate: projects per grade (优: 1 …)
    performance: str | None = None
    problems: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    rectification: list[str] = Field(default_factory=list)
    # 评价指标体系 (10号 Att. 2: 决策 / 过程 / 产出 / 效益 rows with weights) when the document provides one; None when
    # it does not (the Shanghai 结果信息表 prints none).  Read by check C-ER-05.
    framework: list[Indicator] | None = None


Document = Annotated[SelfEvaluation | TargetDeclaration | EvaluationResult, Field(discriminator="kind")]


@cache
def _document_adapter() -> TypeAdapter[AnyDocument]:
    """Built on first use: building every model's validator at import would cost each start-up ~40 ms."""
    return TypeAdapter(Document)


# --- v1 JSON ----------------------------------------------------------------------------------------------------

_TRACE_KEYS = ("source", "cells")


def _number(v: Any) -> Any:
    """Integral floats print as integers (``9280000``), others as they are."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def _v1_obj(obj: BaseModel, provenance: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in obj:
        if key in _TRACE_KEYS:
            continue
        out[key] = _v1_value(value, provenance)
    if provenance and isinstance(obj, _Traced) and obj.source is not None:
        out["provenance"] = {
            "source": obj.source.to_dict(),
            **({"cells": {k: c.to_dict() for k, c in obj.cells.items()}} if obj.cells else {}),
        }
    return out


def _v1_value(value: Any, provenance: bool) -> Any:
    if isinstance(value, _Traced):
        return _v1_obj(value, provenance)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [_v1_value(v, provenance) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return _number(value)


def to_v1(
    doc: SelfEvaluation | TargetDeclaration | EvaluationResult, *, provenance: bool = True
) -> dict[str, Any]:
    """The document as a v1 JSON object (spec fields first, provenance and findings as extras)."""
    out: dict[str, Any] = {"kind": doc.kind}
    for key, value in doc:
        if key in ("kind", "source", "findings", "total_source", "cells"):
            continue
        out[key] = _v1_value(value, provenance)
    if out.pop("period_in_months", False):
        out.update({k: out[k][:7] for k in ("start", "end") if out.get(k)})
    if provenance:
        prov = {
            k: ref.to_dict()
            for k, ref in (("source", doc.source), ("total_source", getattr(doc, "total_source", None)))
            if ref is not None
        }
        if doc.cells:
            prov["cells"] = {k: c.to_dict() for k, c in doc.cells.items()}
        if prov:
            out["provenance"] = prov
        if doc.findings:
            out["findings"] = [f.to_dict() for f in doc.findings]
    return out


def _from_v1_obj(data: Any) -> Any:
    """Provenance folded back into the trace fields.  A document's or row's own ``source`` key is not ours
    (other producers, such as the rendered corpus, put their notes there) and is dropped; a finding's
    ``source`` is its SourceRef and kept."""
    if isinstance(data, list):
        return [_from_v1_obj(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _from_v1_obj(v) for k, v in data.items() if k not in ("provenance", "source", "findings")}
    if isinstance(data.get("findings"), list):
        out["findings"] = data["findings"]
    prov = data.get("provenance")
    if isinstance(prov, dict):  # provenance keys are the model's trace fields (source, cells, total_source)
        out.update({k: v for k, v in prov.items() if isinstance(v, dict)})
    return out


def from_v1(data: dict[str, Any]) -> SelfEvaluation | TargetDeclaration | EvaluationResult:
    """Load one v1 JSON object back into the model (the inverse of :func:`to_v1`)."""
    clean = _from_v1_obj(data)
    result: SelfEvaluation | TargetDeclaration | EvaluationResult = _document_adapter().validate_python(clean)
    return result


AnyDocument = SelfEvaluation | TargetDeclaration | EvaluationResult
