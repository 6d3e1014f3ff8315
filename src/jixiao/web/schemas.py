"""The JSON twins' shapes: one model per page, so that OpenAPI (``/api/docs``) describes every twin exactly and
the tests validate each answer against it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Scalar = float | str | None


class ErrorOut(BaseModel):
    code: str = Field(description="机器可读的错误代码")
    message: str = Field(description="中文说明")


class KindYearCount(BaseModel):
    kind: str
    year: int | None
    count: int


class CodeCount(BaseModel):
    code: str
    count: int


class LowestOut(BaseModel):
    project_id: int
    name: str
    document_id: int
    kind: str
    year: int | None
    score: float


class FlaggedOut(BaseModel):
    project_id: int
    name: str
    errors: int
    warnings: int
    infos: int


class OverviewOut(BaseModel):
    """工作台."""

    documents: list[KindYearCount]
    files: int
    projects: int
    findings: dict[str, int]
    top_codes: list[CodeCount]
    lowest_scored: list[LowestOut]
    most_flagged: list[FlaggedOut]


class ProjectRowOut(BaseModel):
    id: int
    name: str
    department_id: int | None
    department: str | None
    unit_id: int | None
    unit: str | None
    years: list[int]
    kinds: list[str]
    documents: int
    score: float | None
    grade: str | None
    findings: dict[str, int]


class FacetValueOut(BaseModel):
    value: int | str
    label: str
    count: int
    selected: bool


class ProjectListOut(BaseModel):
    """项目库: one keyset page; ``next`` is the ``after`` of the next page (None on the last)."""

    total: int
    filters: dict[str, Any]
    rows: list[ProjectRowOut]
    facets: dict[str, list[FacetValueOut]]
    next: int | None


class NumberOut(BaseModel):
    label: str
    value: float | str | None
    unit: str | None


class LinkOut(BaseModel):
    score: float | None
    method: str | None
    reason: str | None
    via: int | None


class StepOut(BaseModel):
    document_id: int
    kind: str
    kind_title: str
    stage: str
    year: int | None
    name: str
    path: str | None
    sha256: str
    headline: str
    numbers: list[NumberOut]
    findings: int
    link: LinkOut
    problems: list[str]
    suggestions: list[str]
    rectification: list[str]


class MatrixColumnOut(BaseModel):
    document_id: int
    label: str


class MatrixCellOut(BaseModel):
    target: str | None
    actual: str | None
    score: float | None
    weight: float | None


class MatrixRowOut(BaseModel):
    level1: str
    name: str
    changed: bool
    cells: list[MatrixCellOut | None]


class MatrixOut(BaseModel):
    columns: list[MatrixColumnOut]
    rows: list[MatrixRowOut]


class TimelineOut(BaseModel):
    """项目档案."""

    id: int
    name: str
    unit: str | None
    department: str | None
    years: list[int]
    steps: list[StepOut]
    matrix: MatrixOut | None


class MarkOut(BaseModel):
    id: int | None
    code: str
    severity: str
    message: str
    expected: Scalar
    actual: Scalar
    rule: str


class GridCellOut(BaseModel):
    text: str
    head: bool
    colspan: int
    rowspan: int
    field: str | None
    source: dict[str, Any] | None
    where: str | None
    findings: list[MarkOut]
    severity: str | None
    rule: str | None


class GridOut(BaseModel):
    title: list[str]
    columns: int
    widths: list[int]  # each column's printed width in mm, as the layout engine gives it
    rows: list[list[GridCellOut]]
    unplaced: list[MarkOut]


class FileOut(BaseModel):
    name: str | None
    path: str | None
    sha256: str
    ordinal: int
    download: str


class DocumentOut(BaseModel):
    """One document: the v1 JSON object (``document``) and its official form grid with the findings placed."""

    id: int
    kind: str
    kind_title: str
    year: int | None
    project_id: int | None
    project: str | None
    file: FileOut | None
    document: dict[str, Any]
    grid: GridOut


class FindingRowOut(BaseModel):
    id: int
    code: str
    severity: str
    message: str
    subject: str | None
    expected: Scalar
    actual: Scalar
    source: dict[str, Any] | None
    document_id: int
    kind: str
    year: int | None
    project_id: int | None
    project: str | None
    department: str | None


class FindingListOut(BaseModel):
    """问题清单."""

    filters: dict[str, Any]
    counts: dict[str, dict[str, int]]
    rows: list[FindingRowOut]
    next: int | None


class RuleOut(BaseModel):
    code: str
    name: str
    severity: str
    kind: str
    summary: str
    groups: list[str]
    sections: dict[str, str]
    findings: int


class RuleListOut(BaseModel):
    rules: list[RuleOut]


class ScatterPoint(BaseModel):
    document_id: int
    project_id: int | None
    project: str | None
    year: int | None
    department: str | None
    execution_rate: float
    score: float | None


class GradeCount(BaseModel):
    year: int | None
    department: str | None
    kind: str
    grade: str
    count: int


class SelfExternal(BaseModel):
    project_id: int
    project: str
    self_year: int | None
    self_score: float
    external_year: int | None
    external_score: float
    gap: float


class RollupRow(BaseModel):
    key: int | None
    name: str
    projects: int
    documents: int
    budget: float | None
    executed: float | None
    execution_rate: float | None
    mean_score: float | None
    findings: int


class DashboardOut(BaseModel):
    """仪表盘: the numbers under every chart."""

    dept: int | None
    dept_name: str | None
    execution_vs_score: list[ScatterPoint] = Field(
        description="至多 500 份自评表（超过时为按编号散列的均匀抽样）"
    )
    self_evaluations: int = Field(description="有执行率和得分的自评表总数")
    grades: list[GradeCount]
    self_vs_external: list[SelfExternal] = Field(description="自评分高出外部评价分最多的至多 100 个项目")
    self_vs_external_total: int = Field(description="同时有自评和外部评价得分的项目数")
    departments: list[RollupRow]


class UploadFileOut(BaseModel):
    name: str
    outcome: str
    outcome_label: str
    reason: str | None
    documents: int
    sha256: str | None


class UploadOut(BaseModel):
    """An upload's ingest: ``state`` is queued, running, done or failed."""

    id: str
    state: str
    total: int
    done: int
    files: list[UploadFileOut]
    refused: list[UploadFileOut]
    message: str | None


class CompareStepOut(StepOut):
    project_id: int | None


class CompareOut(BaseModel):
    """对比: the chosen documents' key numbers and their indicators side by side."""

    documents: list[CompareStepOut]
    matrix: MatrixOut | None
