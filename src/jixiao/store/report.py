"""The store at a glance: documents per kind and year, linked projects, findings, weakest and most-flagged projects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from jixiao.store import schema
from jixiao.store.query import projects


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


def summarise(conn: Connection, top: int = 5) -> Summary:
    d, f, ln = schema.documents, schema.findings, schema.links
    out = Summary()
    q = select(d.c.kind, d.c.year, func.count()).where(d.c.current.is_(True)).group_by(d.c.kind, d.c.year)
    out.documents = {(str(k), y): int(n) for k, y, n in conn.execute(q)}
    out.files = int(
        conn.execute(select(func.count(func.distinct(d.c.sha256))).where(d.c.current.is_(True))).scalar_one()
    )
    listed = projects(conn)
    out.projects = len(listed)
    out.across_years = sum(1 for p in listed if len(p.years) > 1)
    out.across_kinds = sum(1 for p in listed if len({x.kind for x in p.documents}) > 1)
    current = select(d.c.id).where(d.c.current.is_(True)).scalar_subquery()
    fq = (
        select(f.c.severity, f.c.code, func.count())
        .where(f.c.document_id.in_(current))
        .group_by(f.c.severity, f.c.code)
    )
    severities: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for sev, code, n in conn.execute(fq):
        severities[str(sev)] += int(n)
        codes[str(code)] += int(n)
    out.findings = {s: severities.get(s, 0) for s in ("error", "warning", "info")}
    out.codes = codes.most_common(top)
    names = {p.id: p.name for p in listed}
    out.lowest = _lowest(conn, names)[:top]
    per: dict[int, Counter[str]] = defaultdict(Counter)
    pq = (
        select(ln.c.project_id, f.c.severity, func.count())
        .join(ln, ln.c.document_id == f.c.document_id)
        .where(f.c.document_id.in_(current))
        .group_by(ln.c.project_id, f.c.severity)
    )
    for pid, sev, n in conn.execute(pq):
        per[int(pid)][str(sev)] += int(n)
    flagged = [
        FlaggedProject(pid, names.get(pid, "?"), c["error"], c["warning"], c["info"])
        for pid, c in per.items()
    ]
    flagged.sort(key=lambda p: (-p.errors, -p.flagged, -p.infos, p.name))
    out.most_flagged = [p for p in flagged if p.flagged or p.infos][:top]
    return out


def _lowest(conn: Connection, names: dict[int, str]) -> list[ScoredProject]:
    d, ln = schema.documents, schema.links
    q = (
        select(ln.c.project_id, d.c.kind, d.c.year, d.c.total_score, d.c.total_weight, d.c.score)
        .join(ln, ln.c.document_id == d.c.id)
        .where(d.c.current.is_(True), d.c.kind.in_(["self_evaluation", "evaluation_result"]))
    )
    latest: dict[int, ScoredProject] = {}
    for pid, kind, year, total, weight, score in conn.execute(q):
        value = total if kind == "self_evaluation" else score
        if value is None:
            continue
        item = ScoredProject(
            int(pid),
            names.get(int(pid), "?"),
            year,
            str(kind),
            float(value),
            float(weight) if weight is not None else (100.0 if kind == "evaluation_result" else None),
        )
        prev = latest.get(item.project_id)
        if prev is None or (item.year or 0, item.kind == "evaluation_result") > (
            prev.year or 0,
            prev.kind == "evaluation_result",
        ):
            latest[item.project_id] = item
    return sorted(latest.values(), key=lambda p: (p.score / p.out_of if p.out_of else p.score / 100, p.name))
