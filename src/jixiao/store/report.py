"""The store at a glance: documents per kind and year, linked projects, findings, weakest and most-flagged projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, case, func, select

from jixiao.store import schema, search
from jixiao.store.query import code_point_order, project_count


@dataclass(frozen=True, slots=True)
class ScoredProject:
    """A project's most recent score: a self-evaluation's 总分 or an evaluation result's 评价分值."""

    project_id: int
    name: str
    year: int | None
    kind: str
    score: float
    out_of: float | None


@dataclass(frozen=True, slots=True)
class FlaggedProject:
    project_id: int
    name: str
    errors: int
    warnings: int
    infos: int

    @property
    def flagged(self) -> int:
        return self.errors + self.warnings


@dataclass(slots=True)
class Summary:
    """Attributes:
    documents: current documents per (kind, year).
    projects: how many projects; ``across_years`` with documents of two years or more; ``across_kinds``
        with two kinds or more.
    findings: findings per severity, and the most frequent codes.
    lowest: projects by their most recent score, lowest first.
    most_flagged: projects by error + warning findings, most first.
    """

    documents: dict[tuple[str, int | None], int] = field(default_factory=dict)
    files: int = 0
    projects: int = 0
    across_years: int = 0
    across_kinds: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    codes: list[tuple[str, int]] = field(default_factory=list)
    lowest: list[ScoredProject] = field(default_factory=list)
    most_flagged: list[FlaggedProject] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [
                {"kind": k, "year": y, "count": n} for (k, y), n in sorted(self.documents.items(), key=_key)
            ],
            "files": self.files,
            "projects": self.projects,
            "projects_across_years": self.across_years,
            "projects_across_kinds": self.across_kinds,
            "findings": self.findings,
            "top_codes": [{"code": c, "count": n} for c, n in self.codes],
            "lowest_scored": [vars_of(p) for p in self.lowest],
            "most_flagged": [vars_of(p) for p in self.most_flagged],
        }


def _key(item: tuple[tuple[str, int | None], int]) -> tuple[str, int]:
    (kind, year), _n = item
    return (kind, year or 0)


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def summarise(conn: Connection, top: int = 5, *, fresh: bool | None = None) -> Summary:
    """The summary: from the figures maintained with the facet facts (migration 0007) when they hold the
    store as it is (``fresh``: :func:`jixiao.store.search.snapshot`'s answer, asked when None), else every
    figure counted by the database; a fixed number of statements either way, whatever the size."""
    if search.facts_fresh(conn) if fresh is None else fresh:
        return _kept(conn, top)
    return _counted(conn, top)


def _top_codes(counts: dict[str, int], top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:top]


def _kept(conn: Connection, top: int) -> Summary:
    st, d = search.stats_table, schema.documents
    totals = search.kept_totals(conn)
    out = Summary()
    out.documents = {(k, int(y) if y else None): n for (k, y), n in totals["doc"].items()}
    out.files = search.kept_files(conn, totals)
    out.projects = totals["projects"].get(("", ""), 0)
    out.across_years = totals["across_years"].get(("", ""), 0)
    out.across_kinds = totals["across_kinds"].get(("", ""), 0)
    severities: dict[str, int] = {}
    codes: dict[str, int] = {}
    for (sev, code), n in totals["finding"].items():
        severities[sev] = severities.get(sev, 0) + n
        codes[code] = codes.get(code, 0) + n
    out.findings = {s: severities.get(s, 0) for s in ("error", "warning", "info")}
    out.codes = _top_codes(codes, top)
    value, out_of = search.summary_value()
    q = (
        select(st.c.project_id, st.c.name, d.c.year, d.c.kind, value, out_of)
        .join(d, d.c.id == st.c.summary_document_id)
        .where(st.c.summary_share.is_not(None))
        .order_by(st.c.summary_share, code_point_order(conn, st.c.name), st.c.project_id)
        .limit(top)
    )
    out.lowest = [
        ScoredProject(int(p), str(n), y, str(k), float(v), float(o) if o is not None else None)
        for p, n, y, k, v, o in conn.execute(q)
    ]
    fq = (
        select(st.c.project_id, st.c.name, st.c.errors, st.c.warnings, st.c.infos)
        .where((st.c.errors + st.c.warnings + st.c.infos) > 0)
        .order_by(
            st.c.errors.desc(),
            st.c.flagged.desc(),
            st.c.infos.desc(),
            code_point_order(conn, st.c.name),
            st.c.project_id,
        )
        .limit(top)
    )
    out.most_flagged = [
        FlaggedProject(int(p), str(n), int(e), int(w), int(i)) for p, n, e, w, i in conn.execute(fq)
    ]
    return out


def _counted(conn: Connection, top: int) -> Summary:
    d, f, ln = schema.documents, schema.findings, schema.links
    out = Summary()
    q = select(d.c.kind, d.c.year, func.count()).where(d.c.current.is_(True)).group_by(d.c.kind, d.c.year)
    out.documents = {(str(k), y): int(n) for k, y, n in conn.execute(q)}
    out.files = int(
        conn.execute(select(func.count(func.distinct(d.c.sha256))).where(d.c.current.is_(True))).scalar_one()
    )
    out.projects = project_count(conn)
    per_project = (
        select(
            ln.c.project_id,
            func.count(func.distinct(d.c.year)).label("years"),
            func.count(func.distinct(d.c.kind)).label("kinds"),
        )
        .join(d, d.c.id == ln.c.document_id)
        .where(d.c.current.is_(True))
        .group_by(ln.c.project_id)
        .subquery()
    )
    years, kinds = conn.execute(
        select(
            func.coalesce(func.sum(case((per_project.c.years > 1, 1), else_=0)), 0),
            func.coalesce(func.sum(case((per_project.c.kinds > 1, 1), else_=0)), 0),
        )
    ).one()
    out.across_years, out.across_kinds = int(years), int(kinds)
    current = select(d.c.id).where(d.c.current.is_(True)).scalar_subquery()
    fq = (
        select(f.c.severity, f.c.code, func.count())
        .where(f.c.document_id.in_(current))
        .group_by(f.c.severity, f.c.code)
    )
    severities: dict[str, int] = {}
    codes: dict[str, int] = {}
    for sev, code, n in conn.execute(fq):
        severities[str(sev)] = severities.get(str(sev), 0) + int(n)
        codes[str(code)] = codes.get(str(code), 0) + int(n)
    out.findings = {s: severities.get(s, 0) for s in ("error", "warning", "info")}
    out.codes = _top_codes(codes, top)
    out.lowest = _lowest(conn, top)
    out.most_flagged = _most_flagged(conn, top)
    return out


def _count(severity: str) -> Any:
    return func.coalesce(func.sum(case((schema.findings.c.severity == severity, 1), else_=0)), 0)


def _most_flagged(conn: Connection, top: int) -> list[FlaggedProject]:
    """Projects by error, then error + warning, then info findings of their current documents; ties by name."""
    d, f, ln, pr = schema.documents, schema.findings, schema.links, schema.projects
    errors, warnings, infos = _count("error"), _count("warning"), _count("info")
    q = (
        select(ln.c.project_id, func.coalesce(func.min(pr.c.name), "?"), errors, warnings, infos)
        .select_from(f.join(d, d.c.id == f.c.document_id).join(ln, ln.c.document_id == d.c.id))
        .outerjoin(pr, pr.c.id == ln.c.project_id)
        .where(d.c.current.is_(True))
        .group_by(ln.c.project_id)
        .having((errors + warnings + infos) > 0)
        .order_by(
            errors.desc(),
            (errors + warnings).desc(),
            infos.desc(),
            code_point_order(conn, func.min(pr.c.name)),
            ln.c.project_id,
        )
        .limit(top)
    )
    return [FlaggedProject(int(p), str(n), int(e), int(w), int(i)) for p, n, e, w, i in conn.execute(q)]


def _lowest(conn: Connection, top: int) -> list[ScoredProject]:
    """Each project's most recent score (the newest year; an evaluation result before a self-evaluation of the
    same year), lowest share of its total first: ranked by a window function, only ``top`` rows leave SQL."""
    d, ln, pr = schema.documents, schema.links, schema.projects
    is_eval = d.c.kind == "evaluation_result"
    value = case((is_eval, d.c.score), else_=d.c.total_score)
    out_of = case((d.c.total_weight.is_not(None), d.c.total_weight), (is_eval, 100.0), else_=None)
    newest = func.row_number().over(
        partition_by=ln.c.project_id,
        order_by=(func.coalesce(d.c.year, 0).desc(), case((is_eval, 1), else_=0).desc(), d.c.id),
    )
    scored = (
        select(
            ln.c.project_id,
            d.c.kind,
            d.c.year,
            value.label("value"),
            out_of.label("out_of"),
            newest.label("n"),
        )
        .join(d, d.c.id == ln.c.document_id)
        .where(
            d.c.current.is_(True), d.c.kind.in_(["self_evaluation", "evaluation_result"]), value.is_not(None)
        )
        .subquery()
    )
    share = case(
        (func.coalesce(scored.c.out_of, 0) != 0, scored.c.value / scored.c.out_of),
        else_=scored.c.value / 100.0,
    )
    name = func.coalesce(pr.c.name, "?")
    q = (
        select(scored.c.project_id, name, scored.c.year, scored.c.kind, scored.c.value, scored.c.out_of)
        .select_from(scored.outerjoin(pr, pr.c.id == scored.c.project_id))
        .where(scored.c.n == 1)
        .order_by(share, code_point_order(conn, name), scored.c.project_id)
        .limit(top)
    )
    return [
        ScoredProject(int(p), str(n), y, str(k), float(v), float(o) if o is not None else None)
        for p, n, y, k, v, o in conn.execute(q)
    ]
