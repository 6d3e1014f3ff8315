"""Reading the store back: documents as model objects, projects with their linked documents, counts."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, case, func, select

from jixiao.store import schema, search

if TYPE_CHECKING:  # documents are rebuilt by codec, imported when they are: the listings never load the model
    from pydantic import BaseModel

    from jixiao.model import AnyDocument, Finding

_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def load_documents(conn: Connection, ids: Sequence[int], *, findings: bool = True) -> dict[int, AnyDocument]:
    """Documents by id, rebuilt from their rows exactly as they were stored (without their findings when
    ``findings`` is False: the cross-document checks look at the forms only)."""
    from jixiao.store import codec

    d = schema.documents
    rows: dict[int, Any] = {}
    for batch in _chunks(ids):
        rows.update({int(r.id): r._mapping for r in conn.execute(select(d).where(d.c.id.in_(batch)))})
    org_ids = {int(v) for r in rows.values() for v in (r["unit_id"], r["department_id"]) if v is not None}
    orgs: dict[int, str] = {}
    org = schema.organisations
    for batch in _chunks(sorted(org_ids)):
        orgs.update(
            {int(i): str(n) for i, n in conn.execute(select(org.c.id, org.c.name).where(org.c.id.in_(batch)))}
        )
    children: dict[int, dict[str, list[BaseModel]]] = defaultdict(lambda: defaultdict(list))
    for name, (_cls, table) in codec.ROW_LISTS.items():
        for batch in _chunks(sorted(rows)):
            q = (
                select(table)
                .where(table.c.document_id.in_(batch))
                .order_by(table.c.document_id, table.c.ordinal)
            )
            for r in conn.execute(q):
                children[int(r.document_id)][name].append(codec.load_row(name, r._mapping))
    found: dict[int, list[Finding]] = defaultdict(list)
    f = schema.findings
    for batch in _chunks(sorted(rows) if findings else []):
        q = select(f).where(f.c.document_id.in_(batch)).order_by(f.c.document_id, f.c.ordinal)
        for r in conn.execute(q):
            found[int(r.document_id)].append(codec.load_finding(r._mapping))
    return {i: codec.load_document(rows[i], orgs, children[i], found[i]) for i in ids if i in rows}


def document_ids(
    conn: Connection,
    *,
    current: bool = True,
    project_id: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    kinds: Sequence[str] | None = None,
) -> list[int]:
    """Ids of stored documents in a stable order (file, then position in the file); ``kinds`` keeps those of
    these kinds only."""
    d, ln = schema.documents, schema.links
    q = select(d.c.id).order_by(d.c.kind, d.c.year, d.c.id)
    if current:
        q = q.where(d.c.current.is_(True))
    if project_id is not None:
        q = q.join(ln, ln.c.document_id == d.c.id).where(ln.c.project_id == project_id)
    if kind is not None:
        q = q.where(d.c.kind == kind)
    if year is not None:
        q = q.where(d.c.year == year)
    if kinds is not None:
        q = q.where(d.c.kind.in_(list(kinds)))
    return [int(x) for x in conn.execute(q).scalars()]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document with where it sits in the store: its project (as linked) and file."""

    id: int
    document: AnyDocument
    project_id: int | None
    project_name: str | None
    sha256: str


def iter_documents(conn: Connection, ids: Sequence[int], chunk: int = _CHUNK) -> Iterator[StoredDocument]:
    """The documents ``ids`` in that order, loaded ``chunk`` at a time (what an export streams)."""
    d, ln, pr = schema.documents, schema.links, schema.projects
    for start in range(0, len(ids), chunk):
        batch = list(ids[start : start + chunk])
        docs = load_documents(conn, batch)
        q = (
            select(d.c.id, d.c.sha256, ln.c.project_id, pr.c.name)
            .select_from(
                d.outerjoin(ln, ln.c.document_id == d.c.id).outerjoin(pr, pr.c.id == ln.c.project_id)
            )
            .where(d.c.id.in_(batch))
        )
        where = {int(i): (str(sha), p, n) for i, sha, p, n in conn.execute(q)}
        for i in batch:
            if i in docs:
                sha, pid, name = where[i]
                yield StoredDocument(i, docs[i], int(pid) if pid is not None else None, name, sha)


def file_findings(conn: Connection, sha256: str) -> list[Finding]:
    """Findings about a file as a whole (not about one of its documents)."""
    from jixiao.store import codec

    f = schema.findings
    q = select(f).where(f.c.sha256 == sha256, f.c.document_id.is_(None)).order_by(f.c.ordinal)
    return [codec.load_finding(r._mapping) for r in conn.execute(q)]


# --- projects -----------------------------------------------------------------------------------------------------

KIND_ORDER = ("target_declaration", "self_evaluation", "evaluation_result")
KIND_SHORT = {"target_declaration": "申报", "self_evaluation": "自评", "evaluation_result": "评价"}
KIND_TITLE = {
    "target_declaration": "绩效目标申报表",
    "self_evaluation": "绩效自评表",
    "evaluation_result": "绩效评价结果信息表",
}


def fmt(v: float | None) -> str:
    """A number as a reader expects it: thousands separated, at most two decimals, ``—`` when missing."""
    if v is None:
        return "—"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def doc_label(e: DocumentEntry) -> str:
    """``2022 自评``."""
    return f"{e.year or '?'} {KIND_SHORT.get(e.kind, e.kind)}"


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document as a project lists it.

    Attributes:
        id: the document's id (``D12`` in the CLI).
        kind / year / name: as parsed; ``name`` is the project name as printed on this form.
        unit / department: 实施单位 or 申报单位, and 主管部门, when printed.
        path: where the file was last seen; ``sha256`` its content address.
        score / method / reason / via: how the document joined the project (see ``links``).
        findings: how many findings the document carries.
    """

    id: int
    kind: str
    year: int | None
    name: str
    unit: str | None
    department: str | None
    path: str | None
    sha256: str
    score: float | None
    method: str | None
    reason: str | None
    via: int | None
    findings: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "year": self.year,
            "name": self.name,
            "unit": self.unit,
            "department": self.department,
            "score": self.score,
            "method": self.method,
            "reason": self.reason,
            "via": self.via,
            "findings": self.findings,
            "path": self.path,
            "sha256": self.sha256,
        }


@dataclass(slots=True)
class ProjectEntry:
    id: int
    name: str
    unit: str | None
    department: str | None
    documents: list[DocumentEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "department": self.department,
            "documents": [d.to_dict() for d in self.documents],
        }

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.documents if d.year is not None})


_KIND_RANK = {"target_declaration": 0, "self_evaluation": 1, "evaluation_result": 2}


def code_point_order(conn: Connection, column: Any) -> Any:
    """``column`` ordered as Python orders strings (by code point): PostgreSQL's ``C`` collation, SQLite's own."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _entries_query(conn: Connection, project_ids: Sequence[int] | None, *, fresh: bool) -> Any:
    """One statement for projects with their current documents, in list order (name, id; documents by year,
    kind, id): the finding counts and each file's last path as the facts refresh kept them when ``fresh``
    (by the document's key), else from indexed subqueries per document; not from Python either way."""
    pr, d, ln, org = schema.projects, schema.documents, schema.links, schema.organisations
    df = search.document_figures_table
    p_unit, p_dept, d_unit, d_dept = org.alias("pu"), org.alias("pd"), org.alias("du"), org.alias("dd")
    findings: Any = df.c.findings
    path: Any = df.c.path
    if not fresh:
        findings, path = search.counted_figures()
    rank = case(_KIND_RANK, value=d.c.kind, else_=9)
    # projects ⟕ links ⟕ current documents, each found by index (a link to a document no longer current gives
    # a row without a document, skipped)
    q = (
        select(
            pr.c.id.label("pid"),
            pr.c.name.label("pname"),
            p_unit.c.name.label("punit"),
            p_dept.c.name.label("pdept"),
            d.c.id,
            d.c.kind,
            d.c.year,
            d.c.project_name,
            d_unit.c.name.label("dunit"),
            d_dept.c.name.label("ddept"),
            path.label("path"),
            d.c.sha256,
            ln.c.score,
            ln.c.method,
            ln.c.reason,
            ln.c.via_document_id,
            findings.label("findings"),
        )
        .select_from(
            pr.outerjoin(p_unit, p_unit.c.id == pr.c.unit_id)
            .outerjoin(p_dept, p_dept.c.id == pr.c.department_id)
            .outerjoin(ln, ln.c.project_id == pr.c.id)
            .outerjoin(d, and_(d.c.id == ln.c.document_id, d.c.current.is_(True)))
            .outerjoin(d_unit, d_unit.c.id == d.c.unit_id)
            .outerjoin(d_dept, d_dept.c.id == d.c.department_id)
        )
        .order_by(code_point_order(conn, pr.c.name), pr.c.id, func.coalesce(d.c.year, 0), rank, d.c.id)
    )
    if fresh:
        q = q.outerjoin(df, df.c.document_id == d.c.id)
    if project_ids is not None:
        q = q.where(pr.c.id.in_(list(project_ids)))
    return q


def iter_projects(
    conn: Connection, project_ids: Iterable[int] | None = None, *, fresh: bool | None = None
) -> Iterator[ProjectEntry]:
    """Projects with their current documents, ordered by name; documents by year, then kind.  Streamed from
    one statement (a server-side cursor on PostgreSQL): memory stays flat however many projects there are.
    ``fresh``: whether the facts hold the store as it is (:func:`jixiao.store.search.snapshot`; asked when None)."""
    ids = None if project_ids is None else sorted(set(project_ids))
    if ids is not None and not ids:
        return
    fresh = search.facts_fresh(conn) if fresh is None else fresh
    q = _entries_query(conn, ids, fresh=fresh)
    rows = conn.execute(q.execution_options(stream_results=True, yield_per=1000))
    entry: ProjectEntry | None = None
    # rows unpacked as tuples (by column position, as the statement selects them): faster than by name
    for (
        pid,
        pname,
        punit,
        pdept,
        i,
        kind,
        year,
        name,
        dunit,
        ddept,
        path,
        sha,
        score,
        method,
        why,
        via,
        n,
    ) in rows:
        if entry is None or entry.id != pid:
            if entry is not None:
                yield entry
            entry = ProjectEntry(int(pid), str(pname), punit, pdept)
        if i is None:
            continue
        entry.documents.append(
            DocumentEntry(
                int(i),
                str(kind),
                year,
                name or "",
                dunit,
                ddept,
                path,
                str(sha),
                score,
                method,
                why,
                via,
                int(n or 0),
            )
        )
    if entry is not None:
        yield entry


def projects(conn: Connection, project_ids: Iterable[int] | None = None) -> list[ProjectEntry]:
    """Projects with their current documents, ordered by name; documents by year, then kind."""
    return list(iter_projects(conn, project_ids))


def projects_across_years(conn: Connection, limit: int, *, fresh: bool = False) -> list[ProjectEntry]:
    """The first ``limit`` projects (by name) whose current documents span two years or more; ``fresh``: the
    maintained figures hold the store (:func:`jixiao.store.search.snapshot`), so each project's year count is
    read from them instead of counted from its documents."""
    from jixiao.store.search import stats_table as st

    pr, d, ln = schema.projects, schema.documents, schema.links
    if (
        fresh
    ):  # joined, not ``IN``: the name index is walked until ``limit`` match, instead of sorting them all
        q = select(pr.c.id).join(st, st.c.project_id == pr.c.id).where(st.c.years > 1)
    else:
        multi = (
            select(ln.c.project_id)
            .join(d, d.c.id == ln.c.document_id)
            .where(d.c.current.is_(True))
            .group_by(ln.c.project_id)
            .having(func.count(func.distinct(d.c.year)) > 1)
        )
        q = select(pr.c.id).where(pr.c.id.in_(multi))
    q = q.order_by(code_point_order(conn, pr.c.name), pr.c.id).limit(limit)
    return projects(conn, [int(i) for i in conn.execute(q).scalars()])


def project_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(schema.projects)).scalar_one())


def project_groups(conn: Connection, document_ids: Iterable[int]) -> list[list[int]]:
    """The current documents of every project holding one of ``document_ids``, each project's by id."""
    ln, d = schema.links, schema.documents
    wanted = sorted(set(document_ids))
    pids: set[int] = set()
    for batch in _chunks(wanted):
        pids.update(
            int(x) for x in conn.execute(select(ln.c.project_id).where(ln.c.document_id.in_(batch))).scalars()
        )
    groups: dict[int, list[int]] = defaultdict(list)
    for batch in _chunks(sorted(pids)):
        q = (
            select(ln.c.project_id, ln.c.document_id)
            .join(d, d.c.id == ln.c.document_id)
            .where(ln.c.project_id.in_(batch), d.c.current.is_(True))
            .order_by(ln.c.document_id)
        )
        for pid, doc_id in conn.execute(q):
            groups[int(pid)].append(int(doc_id))
    return [groups[p] for p in sorted(groups)]


def unlinked(conn: Connection) -> int:
    """Current documents without a project (a run stopped before it linked, or linking never ran)."""
    d, ln = schema.documents, schema.links
    q = (
        select(func.count())
        .select_from(d.outerjoin(ln, ln.c.document_id == d.c.id))
        .where(d.c.current.is_(True), ln.c.document_id.is_(None))
    )
    return int(conn.execute(q).scalar_one())


def _holds(conn: Connection, column: Any, part: str) -> Any:
    """``part in column``, case-sensitive as Python's ``in`` (LIKE is not, in SQLite)."""
    fn = func.strpos if conn.dialect.name == "postgresql" else func.instr
    return fn(column, part) > 0


_REF = re.compile(r"^[PpDd]?(\d+)$")


def resolve_project(conn: Connection, ref: str) -> list[ProjectEntry]:
    """Projects a user means by ``ref``: ``P3``/``3`` (id), ``D12`` (the project of document 12), or a name
    (exact first, then containing it)."""
    m = _REF.match(ref.strip())
    if m:
        n = int(m.group(1))
        if ref.strip()[:1] in "Dd":
            ln = schema.links
            pid = conn.execute(select(ln.c.project_id).where(ln.c.document_id == n)).scalar()
            return projects(conn, [int(pid)]) if pid is not None else []
        return projects(conn, [n])
    pr, d, ln = schema.projects, schema.documents, schema.links
    printed = select(ln.c.project_id).join(d, d.c.id == ln.c.document_id).where(d.c.current.is_(True))
    exact = select(pr.c.id).where(pr.c.name == ref).union(printed.where(d.c.project_name == ref))
    ids = [int(i) for i in conn.execute(exact).scalars()]
    if not ids:
        near = (
            select(pr.c.id)
            .where(_holds(conn, pr.c.name, ref))
            .union(printed.where(_holds(conn, d.c.project_name, ref)))
        )
        ids = [int(i) for i in conn.execute(near).scalars()]
    return projects(conn, ids)


# --- counts -------------------------------------------------------------------------------------------------------


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table (what a re-ingest must leave unchanged)."""
    out: dict[str, int] = {}
    for name in (
        "source_files",
        "file_paths",
        "documents",
        "funds",
        "indicators",
        "subprojects",
        "findings",
        "organisations",
        "projects",
        "links",
    ):
        table = schema.metadata.tables[name]
        out[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return out
