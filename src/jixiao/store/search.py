"""The web application's reads that are not whole documents: project lists with facets, full-text search and
keyset pages, the findings list, and the dashboards' aggregates.

Every query is SQL served by the indexes of migration ``0002`` (SQLite FTS5 trigram table over project names,
PostgreSQL ``pg_trgm``); none loads documents into Python.  Lists page by keyset (``after`` = the last id of
the previous page), never by OFFSET.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)

from jixiao.store import schema

SCORED_KINDS = ("self_evaluation", "evaluation_result")
SEVERITIES = ("error", "warning", "info")
_FTS_MIN = 3  # the trigram tokenizer (and pg_trgm's index) match substrings of three characters or more


def include_name(name: str | None, type_: str, _parent: Any = None) -> bool:
    """For schema comparisons: the search objects of migration 0002 are not part of the model's tables."""
    return not (name or "").startswith(("search_", "ix_search_"))


def generation(conn: Connection) -> tuple[int, int, int]:
    """A number that changes whenever what the lists show may have changed (an ingest run, a link decision),
    so results computed from the store can be cached until then."""
    run = conn.execute(select(func.coalesce(func.max(schema.ingest_runs.c.id), 0))).scalar_one()
    fin = conn.execute(select(func.count(schema.ingest_runs.c.finished_at))).scalar_one()
    dec = conn.execute(select(func.coalesce(func.max(schema.link_decisions.c.id), 0))).scalar_one()
    return int(run), int(fin), int(dec)


# --- project list ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """The project list's filters, as the query string gives them (``None``: not filtered).

    Attributes:
        q: words in the project name (full text).
        year / kind / grade / code: a document of the project has that year, kind, grade (自评等级 or 评价结论),
            finding code.
        department / unit: the project's 主管部门 / 实施单位 (organisation ids).
        score_min / score_max: a self-evaluation (out of its 总分值, on 100) or evaluation score in the range.
        within: the ids of the projects the reader may see (a SELECT of ``projects.id``); None: every project.
            Set by the web application's permission filter, never from the query string.
    """

    q: str | None = None
    year: int | None = None
    department: int | None = None
    unit: int | None = None
    kind: str | None = None
    grade: str | None = None
    code: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    within: Select[Any] | None = field(default=None, compare=False)

    def key(self) -> tuple[Any, ...]:
        return (
            self.q,
            self.year,
            self.department,
            self.unit,
            self.kind,
            self.grade,
            self.code,
            self.score_min,
            self.score_max,
        )


def _doc_exists(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """A current document of the project satisfies every condition.  An uncorrelated IN (computed once over
    the documents index, not once per project as a correlated EXISTS is)."""
    pr, ln, d = schema.projects, schema.links, schema.documents
    return pr.c.id.in_(
        select(ln.c.project_id)
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(d.c.current.is_(True), *conditions)
    )


def _score_100() -> ColumnElement[Any]:
    """A document's score on a 100-point scale (self-evaluations by their printed 总分值)."""
    d = schema.documents
    return case(
        (
            d.c.kind == "self_evaluation",
            d.c.total_score * 100.0 / func.coalesce(func.nullif(d.c.total_weight, 0), 100.0),
        ),
        else_=d.c.score,
    )


def name_match(conn: Connection, q: str) -> ColumnElement[bool]:
    """Projects whose name contains ``q``: the FTS5 trigram index on SQLite, the pg_trgm index on PostgreSQL."""
    pr = schema.projects
    words = [w for w in q.split() if w]
    if not words:
        return pr.c.id.is_not(None)
    conds: list[ColumnElement[bool]] = []
    sqlite = conn.dialect.name == "sqlite"
    for w in words:
        if sqlite and len(w) >= _FTS_MIN:
            phrase = '"' + w.replace('"', '""') + '"'
            sub = text("SELECT rowid FROM search_projects_fts WHERE search_projects_fts MATCH :p").bindparams(
                p=phrase
            )
            conds.append(pr.c.id.in_(sub.columns(literal_column("rowid"))))
        else:  # shorter than a trigram: a substring test (PostgreSQL's ILIKE still uses the trigram index)
            pattern = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conds.append(pr.c.name.ilike(pattern, escape="\\") if not sqlite else pr.c.name.like(pattern, escape="\\"))
    return and_(*conds)


def project_conditions(conn: Connection, f: ProjectFilter, *, skip: str | None = None) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``projects`` for the filter; ``skip`` leaves one facet out (for its own counts)."""
    pr, d, fi = schema.projects, schema.documents, schema.findings
    out: list[ColumnElement[bool]] = []
    if f.within is not None:
        out.append(pr.c.id.in_(f.within))
    if f.q:
        out.append(name_match(conn, f.q))
    if f.department is not None and skip != "department":
        out.append(pr.c.department_id == f.department)
    if f.unit is not None and skip != "unit":
        out.append(pr.c.unit_id == f.unit)
    if f.year is not None and skip != "year":
        out.append(_doc_exists(d.c.year == f.year))
    if f.kind is not None and skip != "kind":
        out.append(_doc_exists(d.c.kind == f.kind))
    if f.grade is not None and skip != "grade":
        out.append(_doc_exists(or_(d.c.grade == f.grade, d.c.conclusion == f.grade)))
    if f.code is not None and skip != "code":
        out.append(_doc_exists(exists(select(fi.c.id).where(fi.c.document_id == d.c.id, fi.c.code == f.code))))
    if (f.score_min is not None or f.score_max is not None) and skip != "score":
        s = _score_100()
        conds: list[ColumnElement[bool]] = [d.c.kind.in_(SCORED_KINDS), s.is_not(None)]
        if f.score_min is not None:
            conds.append(s >= f.score_min)
        if f.score_max is not None:
            conds.append(s <= f.score_max)
        out.append(_doc_exists(*conds))
    return out


@dataclass(slots=True)
class ProjectRow:
    """One line of the project list."""

    id: int
    name: str
    department_id: int | None
    department: str | None
    unit_id: int | None
    unit: str | None
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    documents: int = 0
    score: float | None = None  # the latest score on 100 (self-evaluation or evaluation result)
    grade: str | None = None
    findings: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "department_id": self.department_id,
            "department": self.department,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "years": self.years,
            "kinds": self.kinds,
            "documents": self.documents,
            "score": self.score,
            "grade": self.grade,
            "findings": {s: self.findings.get(s, 0) for s in SEVERITIES},
        }


@dataclass(slots=True)
class Page:
    """A keyset page: its rows and the ``after`` value of the next page (None on the last)."""

    rows: list[Any]
    after: int | None


def _org_names(conn: Connection, ids: set[int]) -> dict[int, str]:
    org = schema.organisations
    if not ids:
        return {}
    return {int(i): str(n) for i, n in conn.execute(select(org.c.id, org.c.name).where(org.c.id.in_(sorted(ids))))}


def project_page(conn: Connection, f: ProjectFilter, *, after: int | None = None, limit: int = 50) -> Page:
    """Projects matching ``f`` ordered by name then id, ``limit`` of them after project ``after``."""
    pr = schema.projects
    q = select(pr.c.id, pr.c.name, pr.c.department_id, pr.c.unit_id).where(*project_conditions(conn, f))
    if after is not None:
        last = conn.execute(select(pr.c.name, pr.c.id).where(pr.c.id == after)).first()
        if last is None:
            q = q.where(false())
        else:
            q = q.where(tuple_(pr.c.name, pr.c.id) > tuple_(last[0], last[1]))
    rows = conn.execute(q.order_by(pr.c.name, pr.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    names = _org_names(conn, {int(x) for r in rows for x in (r.department_id, r.unit_id) if x is not None})
    out = [
        ProjectRow(
            int(r.id),
            str(r.name),
            r.department_id,
            names.get(r.department_id) if r.department_id is not None else None,
            r.unit_id,
            names.get(r.unit_id) if r.unit_id is not None else None,
        )
        for r in rows
    ]
    _fill_rows(conn, out)
    return Page(out, out[-1].id if more and out else None)


def _fill_rows(conn: Connection, rows: Sequence[ProjectRow]) -> None:
    """Years, kinds, latest score and grade, finding counts of each listed project (two indexed queries)."""
    if not rows:
        return
    ln, d, fi = schema.links, schema.documents, schema.findings
    by_id = {r.id: r for r in rows}
    q = (
        select(ln.c.project_id, d.c.kind, d.c.year, _score_100().label("s"), d.c.grade, d.c.conclusion)
        .join(d, d.c.id == ln.c.document_id)
        .where(ln.c.project_id.in_(list(by_id)), d.c.current.is_(True))
    )
    latest: dict[int, tuple[int, int]] = {}
    years: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, set[str]] = defaultdict(set)
    for pid, kind, year, s, grade, conclusion in conn.execute(q):
        row = by_id[int(pid)]
        row.documents += 1
        if year is not None:
            years[row.id].add(int(year))
        kinds[row.id].add(str(kind))
        if kind in SCORED_KINDS and s is not None:
            rank = (year or 0, 1 if kind == "evaluation_result" else 0)
            if row.id not in latest or rank > latest[row.id]:
                latest[row.id] = rank
                row.score = round(float(s), 2)
                row.grade = grade or conclusion
    order = {"target_declaration": 0, "self_evaluation": 1, "evaluation_result": 2}
    for row in rows:
        row.years = sorted(years[row.id])
        row.kinds = sorted(kinds[row.id], key=lambda k: order.get(k, 9))
    fq = (
        select(ln.c.project_id, fi.c.severity, func.count())
        .select_from(fi.join(ln, ln.c.document_id == fi.c.document_id).join(d, d.c.id == fi.c.document_id))
        .where(ln.c.project_id.in_(list(by_id)), d.c.current.is_(True))
        .group_by(ln.c.project_id, fi.c.severity)
    )
    for pid, sev, n in conn.execute(fq):
        by_id[int(pid)].findings[str(sev)] = int(n)


def count_projects(conn: Connection, f: ProjectFilter) -> int:
    pr = schema.projects
    return int(conn.execute(select(func.count()).select_from(pr).where(*project_conditions(conn, f))).scalar_one())


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str | int
    label: str
    count: int


def facets(conn: Connection, f: ProjectFilter) -> dict[str, list[FacetValue]]:
    """For each facet, its values with the number of projects that the other filters leave (datasette's
    manner: choosing a value of a facet does not hide that facet's other values)."""
    pr, ln, d, fi = schema.projects, schema.links, schema.documents, schema.findings
    out: dict[str, list[FacetValue]] = {}

    def matching(skip: str) -> Select[Any]:
        return select(pr.c.id).where(*project_conditions(conn, f, skip=skip))

    def over_documents(skip: str, column: ColumnElement[Any], *where: ColumnElement[bool]) -> list[tuple[Any, int]]:
        q = (
            select(column.label("v"), func.count(func.distinct(ln.c.project_id)))
            .select_from(ln.join(d, d.c.id == ln.c.document_id))
            .where(d.c.current.is_(True), column.is_not(None), ln.c.project_id.in_(matching(skip)), *where)
            .group_by(column)
        )
        return [(v, int(n)) for v, n in conn.execute(q)]

    out["year"] = [FacetValue(int(v), f"{v}年", n) for v, n in sorted(over_documents("year", d.c.year), reverse=True)]
    labels = {"target_declaration": "绩效目标申报表", "self_evaluation": "绩效自评表", "evaluation_result": "绩效评价结果"}
    out["kind"] = [FacetValue(str(v), labels.get(str(v), str(v)), n) for v, n in over_documents("kind", d.c.kind)]
    grade = func.coalesce(d.c.grade, d.c.conclusion)
    out["grade"] = [FacetValue(str(v), str(v), n) for v, n in sorted(over_documents("grade", grade))]
    cq = (
        select(fi.c.code, func.count(func.distinct(ln.c.project_id)))
        .select_from(fi.join(ln, ln.c.document_id == fi.c.document_id).join(d, d.c.id == fi.c.document_id))
        .where(d.c.current.is_(True), ln.c.project_id.in_(matching("code")))
        .group_by(fi.c.code)
    )
    out["code"] = sorted(
        (FacetValue(str(c), str(c), int(n)) for c, n in conn.execute(cq)), key=lambda x: (-x.count, str(x.value))
    )
    for name, column in (("department", pr.c.department_id), ("unit", pr.c.unit_id)):
        q = (
            select(column, func.count())
            .where(column.is_not(None), *project_conditions(conn, f, skip=name))
            .group_by(column)
        )
        counts = [(int(v), int(n)) for v, n in conn.execute(q)]
        names = _org_names(conn, {v for v, _n in counts})
        out[name] = sorted(
            (FacetValue(v, names.get(v, str(v)), n) for v, n in counts), key=lambda x: (-x.count, x.label)
        )[:50]
    return out


def organisation(conn: Connection, org_id: int) -> str | None:
    return _org_names(conn, {org_id}).get(org_id)


# --- findings list --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingFilter:
    code: str | None = None
    severity: str | None = None
    year: int | None = None
    department: int | None = None
    project: int | None = None
    within: Select[Any] | None = field(default=None, compare=False)  # as ProjectFilter.within


@dataclass(slots=True)
class FindingRow:
    id: int
    code: str
    severity: str
    message: str
    subject: str | None
    expected: Any
    actual: Any
    source: dict[str, Any] | None
    document_id: int
    kind: str
    year: int | None
    project_id: int | None
    project: str | None
    department: str | None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def _finding_query(f: FindingFilter) -> Select[Any]:
    fi, d, ln, pr, org = schema.findings, schema.documents, schema.links, schema.projects, schema.organisations
    q = (
        select(
            fi.c.id,
            fi.c.code,
            fi.c.severity,
            fi.c.message,
            fi.c.subject,
            fi.c.expected,
            fi.c.actual,
            fi.c.source,
            d.c.id.label("document_id"),
            d.c.kind,
            d.c.year,
            ln.c.project_id,
            pr.c.name.label("project"),
            org.c.name.label("department"),
        )
        .select_from(
            fi.join(d, d.c.id == fi.c.document_id)
            .outerjoin(ln, ln.c.document_id == d.c.id)
            .outerjoin(pr, pr.c.id == ln.c.project_id)
            .outerjoin(org, org.c.id == d.c.department_id)
        )
        .where(d.c.current.is_(True))
    )
    if f.code:
        q = q.where(fi.c.code == f.code)
    if f.severity:
        q = q.where(fi.c.severity == f.severity)
    if f.year is not None:
        q = q.where(d.c.year == f.year)
    if f.department is not None:
        q = q.where(d.c.department_id == f.department)
    if f.project is not None:
        q = q.where(ln.c.project_id == f.project)
    if f.within is not None:
        q = q.where(ln.c.project_id.in_(f.within))
    return q


def findings_page(conn: Connection, f: FindingFilter, *, after: int | None = None, limit: int = 100) -> Page:
    """Findings of current documents, newest first by id, ``limit`` of them after finding ``after``."""
    fi = schema.findings
    q = _finding_query(f)
    if after is not None:
        q = q.where(fi.c.id < after)
    rows = conn.execute(q.order_by(fi.c.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    out = [FindingRow(**dict(r._mapping)) for r in rows[:limit]]
    return Page(out, out[-1].id if more and out else None)


def finding_counts(conn: Connection, f: FindingFilter) -> dict[str, dict[str, int]]:
    """Counts by code and by severity under the filter (the 问题清单's facets)."""
    sub = _finding_query(f).subquery()
    by_code = {str(c): int(n) for c, n in conn.execute(select(sub.c.code, func.count()).group_by(sub.c.code))}
    by_sev = {str(s): int(n) for s, n in conn.execute(select(sub.c.severity, func.count()).group_by(sub.c.severity))}
    by_year = {
        str(y): int(n)
        for y, n in conn.execute(select(sub.c.year, func.count()).where(sub.c.year.is_not(None)).group_by(sub.c.year))
    }
    return {"code": by_code, "severity": by_sev, "year": by_year}


# --- dashboards -----------------------------------------------------------------------------------------------


def _self_evals() -> Select[Any]:
    """Current self-evaluations with their 年度资金总额 line (the first fund line), project and department."""
    d, fu, ln, org = schema.documents, schema.funds, schema.links, schema.organisations
    return (
        select(
            d.c.id,
            d.c.year,
            d.c.project_name,
            ln.c.project_id,
            org.c.name.label("department"),
            d.c.department_id,
            fu.c.annual_budget,
            fu.c.executed,
            fu.c.execution_rate,
            _score_100().label("score"),
            d.c.grade,
        )
        .select_from(
            d.outerjoin(fu, and_(fu.c.document_id == d.c.id, fu.c.ordinal == 1))
            .outerjoin(ln, ln.c.document_id == d.c.id)
            .outerjoin(org, org.c.id == d.c.department_id)
        )
        .where(d.c.current.is_(True), d.c.kind == "self_evaluation")
    )


def _docs_within(within: Select[Any] | None) -> list[ColumnElement[bool]]:
    """Documents linked to a project of ``within`` (no condition when None)."""
    if within is None:
        return []
    ln = schema.links
    return [schema.documents.c.id.in_(select(ln.c.document_id).where(ln.c.project_id.in_(within)))]


def execution_vs_score(
    conn: Connection, department: int | None = None, limit: int = 5000, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """One point per self-evaluation: 执行率 (the total fund line) against 自评分 on 100."""
    q = _self_evals().where(schema.funds.c.execution_rate.is_not(None), *_docs_within(within))
    if department is not None:
        q = q.where(schema.documents.c.department_id == department)
    q = q.order_by(schema.documents.c.id).limit(limit)
    return [
        {
            "document_id": int(r.id),
            "project_id": r.project_id,
            "project": r.project_name,
            "year": r.year,
            "department": r.department,
            "execution_rate": round(float(r.execution_rate), 2),
            "score": None if r.score is None else round(float(r.score), 2),
        }
        for r in conn.execute(q)
        if r.score is not None
    ]


def grade_distribution(
    conn: Connection, department: int | None = None, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """Self-evaluation grades and evaluation conclusions per year and department."""
    d, org = schema.documents, schema.organisations
    grade = func.coalesce(d.c.grade, d.c.conclusion)
    q = (
        select(d.c.year, org.c.name, d.c.kind, grade.label("grade"), func.count())
        .select_from(d.outerjoin(org, org.c.id == d.c.department_id))
        .where(d.c.current.is_(True), d.c.kind.in_(SCORED_KINDS), grade.is_not(None), *_docs_within(within))
        .group_by(d.c.year, org.c.name, d.c.kind, grade)
        .order_by(d.c.year, org.c.name, grade)
    )
    if department is not None:
        q = q.where(d.c.department_id == department)
    return [
        {"year": y, "department": dept, "kind": str(k), "grade": str(g), "count": int(n)}
        for y, dept, k, g, n in conn.execute(q)
    ]


def self_vs_external(
    conn: Connection, department: int | None = None, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """自评虚高: per project with both, its latest self-evaluation score against its latest evaluation score."""
    d, ln, pr = schema.documents, schema.links, schema.projects
    q = (
        select(ln.c.project_id, pr.c.name, d.c.kind, d.c.year, _score_100().label("s"))
        .select_from(ln.join(d, d.c.id == ln.c.document_id).join(pr, pr.c.id == ln.c.project_id))
        .where(d.c.current.is_(True), d.c.kind.in_(SCORED_KINDS), _score_100().is_not(None))
        .where(
            ln.c.project_id.in_(
                select(ln.c.project_id)
                .join(d, d.c.id == ln.c.document_id)
                .where(d.c.current.is_(True), d.c.kind == "evaluation_result", d.c.score.is_not(None))
            )
        )
    )
    if department is not None:
        q = q.where(pr.c.department_id == department)
    if within is not None:
        q = q.where(ln.c.project_id.in_(within))
    best: dict[tuple[int, str], tuple[int, float]] = {}
    names: dict[int, str] = {}
    for pid, name, kind, year, s in conn.execute(q):
        key = (int(pid), str(kind))
        names[int(pid)] = str(name)
        if key not in best or (year or 0) >= best[key][0]:
            best[key] = (year or 0, float(s))
    out = []
    for pid, name in sorted(names.items(), key=lambda x: x[1]):
        se, er = best.get((pid, "self_evaluation")), best.get((pid, "evaluation_result"))
        if se is None or er is None:
            continue
        out.append(
            {
                "project_id": pid,
                "project": name,
                "self_year": se[0] or None,
                "self_score": round(se[1], 2),
                "external_year": er[0] or None,
                "external_score": round(er[1], 2),
                "gap": round(se[1] - er[1], 2),
            }
        )
    return out


def department_rollup(
    conn: Connection, department: int | None = None, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """Per 主管部门 (or, with ``department``, per project of it): projects, budget, executed, execution rate,
    mean self-evaluation score, findings."""
    d, fi, ln = schema.documents, schema.findings, schema.links
    se = _self_evals().subquery()
    label: ColumnElement[Any]
    if department is None:
        key, label = se.c.department_id, se.c.department
        where: list[ColumnElement[bool]] = []
    else:
        key, label = se.c.project_id, func.max(se.c.project_name)
        where = [se.c.department_id == department]
    if within is not None:
        where.append(se.c.project_id.in_(within))
    q = (
        select(
            key.label("key"),
            label.label("label"),
            func.count(func.distinct(se.c.project_id)),
            func.sum(se.c.annual_budget),
            func.sum(se.c.executed),
            func.avg(se.c.score),
            func.count(),
        )
        .where(*where)
        .group_by(key, *([label] if department is None else []))
    )
    rows: dict[Any, dict[str, Any]] = {}
    for k, name, projects, budget, executed, mean, docs in conn.execute(q):
        rate = None if not budget or executed is None else round(float(executed) * 100.0 / float(budget), 2)
        rows[k] = {
            "key": k,
            "name": name or "（未填主管部门）",
            "projects": int(projects),
            "documents": int(docs),
            "budget": None if budget is None else round(float(budget), 2),
            "executed": None if executed is None else round(float(executed), 2),
            "execution_rate": rate,
            "mean_score": None if mean is None else round(float(mean), 2),
            "findings": 0,
        }
    if department is None:
        fq = (
            select(d.c.department_id, func.count())
            .select_from(fi.join(d, d.c.id == fi.c.document_id))
            .where(d.c.current.is_(True), *_docs_within(within))
            .group_by(d.c.department_id)
        )
    else:
        fq = (
            select(ln.c.project_id, func.count())
            .select_from(fi.join(d, d.c.id == fi.c.document_id).join(ln, ln.c.document_id == d.c.id))
            .where(d.c.current.is_(True), d.c.department_id == department, *_docs_within(within))
            .group_by(ln.c.project_id)
        )
    for k, n in conn.execute(fq):
        if k in rows:
            rows[k]["findings"] = int(n)
    return sorted(rows.values(), key=lambda r: (-r["projects"], str(r["name"])))


def linked_project(conn: Connection, document_id: int) -> int | None:
    ln = schema.links
    pid = conn.execute(select(ln.c.project_id).where(ln.c.document_id == document_id)).scalar()
    return None if pid is None else int(pid)


def source_file(conn: Connection, sha256: str) -> tuple[str, bytes] | None:
    """A stored original: its first name and bytes."""
    sf = schema.source_files
    row = conn.execute(select(sf.c.name, sf.c.content).where(sf.c.sha256 == sha256)).first()
    return None if row is None else (str(row[0]), bytes(row[1]))


def document_file(conn: Connection, document_id: int) -> tuple[str, int, str | None] | None:
    """A document's file: SHA-256, position in the file, and the path it was last seen at."""
    d, fp = schema.documents, schema.file_paths
    row = conn.execute(select(d.c.sha256, d.c.ordinal).where(d.c.id == document_id)).first()
    if row is None:
        return None
    path = conn.execute(
        select(fp.c.path).where(fp.c.sha256 == row[0]).order_by(fp.c.seen_at.desc(), fp.c.id.desc()).limit(1)
    ).scalar()
    return str(row[0]), int(row[1]), None if path is None else str(path)


# --- the 工作台 ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Overview:
    """The store at a glance (what ``jixiao summary`` prints), computed in SQL so that it stays fast on a large
    store, for the projects of ``within``."""

    documents: list[dict[str, Any]]
    files: int
    projects: int
    findings: dict[str, int]
    codes: list[dict[str, Any]]
    lowest: list[dict[str, Any]]
    most_flagged: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "files": self.files,
            "projects": self.projects,
            "findings": self.findings,
            "top_codes": self.codes,
            "lowest_scored": self.lowest,
            "most_flagged": self.most_flagged,
        }


def overview(conn: Connection, *, within: Select[Any] | None = None, top: int = 5) -> Overview:
    d, fi, ln, pr = schema.documents, schema.findings, schema.links, schema.projects
    scope = [d.c.current.is_(True), *_docs_within(within)]
    docs = [
        {"kind": str(k), "year": y, "count": int(n)}
        for k, y, n in conn.execute(
            select(d.c.kind, d.c.year, func.count()).where(*scope).group_by(d.c.kind, d.c.year).order_by(d.c.kind, d.c.year)
        )
    ]
    files = int(conn.execute(select(func.count(func.distinct(d.c.sha256))).where(*scope)).scalar_one())
    pq = select(func.count()).select_from(pr)
    if within is not None:
        pq = pq.where(pr.c.id.in_(within))
    n_projects = int(conn.execute(pq).scalar_one())
    fjoin = fi.join(d, d.c.id == fi.c.document_id)
    sev = {str(s): int(n) for s, n in conn.execute(select(fi.c.severity, func.count()).select_from(fjoin).where(*scope).group_by(fi.c.severity))}
    codes = [
        {"code": str(c), "count": int(n)}
        for c, n in conn.execute(
            select(fi.c.code, func.count().label("n"))
            .select_from(fjoin)
            .where(*scope)
            .group_by(fi.c.code)
            .order_by(func.count().desc(), fi.c.code)
            .limit(top)
        )
    ]
    # lowest: each project's latest scored document (year, evaluation over self-evaluation), lowest on 100 first
    s100 = _score_100()
    rank = func.row_number().over(
        partition_by=ln.c.project_id,
        order_by=(func.coalesce(d.c.year, 0).desc(), case((d.c.kind == "evaluation_result", 1), else_=0).desc(), d.c.id.desc()),
    )
    latest = (
        select(ln.c.project_id, d.c.id.label("document_id"), d.c.kind, d.c.year, s100.label("s"), rank.label("r"))
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(*scope, d.c.kind.in_(SCORED_KINDS), s100.is_not(None))
        .subquery()
    )
    lowest = [
        {"project_id": int(pid), "name": str(name), "document_id": int(did), "kind": str(kind), "year": year, "score": round(float(s), 2)}
        for pid, name, did, kind, year, s in conn.execute(
            select(latest.c.project_id, pr.c.name, latest.c.document_id, latest.c.kind, latest.c.year, latest.c.s)
            .join(pr, pr.c.id == latest.c.project_id)
            .where(latest.c.r == 1)
            .order_by(latest.c.s, pr.c.name)
            .limit(top)
        )
    ]
    errors = func.sum(case((fi.c.severity == "error", 1), else_=0))
    warnings = func.sum(case((fi.c.severity == "warning", 1), else_=0))
    infos = func.sum(case((fi.c.severity == "info", 1), else_=0))
    flagged = [
        {"project_id": int(pid), "name": str(name), "errors": int(e), "warnings": int(w), "infos": int(i)}
        for pid, name, e, w, i in conn.execute(
            select(ln.c.project_id, pr.c.name, errors, warnings, infos)
            .select_from(fjoin.join(ln, ln.c.document_id == d.c.id).join(pr, pr.c.id == ln.c.project_id))
            .where(*scope)
            .group_by(ln.c.project_id, pr.c.name)
            .order_by(errors.desc(), (errors + warnings).desc(), infos.desc(), pr.c.name)
            .limit(top)
        )
    ]
    return Overview(docs, files, n_projects, {s: sev.get(s, 0) for s in SEVERITIES}, codes, lowest, flagged)
