"""Link: the database side of which documents are one project (the rules and their evidence: :mod:`jixiao.store.cluster`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from jixiao.store import schema
from jixiao.store.cluster import (
    AMBIGUITY_MARGIN,
    OPEN_UNIT_THRESHOLD,
    SAME_UNIT_THRESHOLD,
    Cluster,
    DocInfo,
    Edge,
    Link,
    Node,
    ProjectPlan,
    cluster,
    compatible,
    name_key,
    numbers,
    pair_key,
    reach,
    strip_year,
    unit_aliases,
)
from jixiao.store.engine import StoreError, writing
from jixiao.store.query import projects, resolve_project, unlinked

__all__ = [
    "AMBIGUITY_MARGIN",
    "OPEN_UNIT_THRESHOLD",
    "SAME_UNIT_THRESHOLD",
    "Cluster",
    "DocInfo",
    "Edge",
    "Link",
    "LinkError",
    "Node",
    "ProjectPlan",
    "cluster",
    "compatible",
    "current_documents",
    "decisions",
    "ensure_linked",
    "link_documents",
    "link_documents_in",
    "merge",
    "name_key",
    "numbers",
    "record_merge",
    "record_split",
    "relink",
    "relink_in",
    "resolve_refs",
    "split",
    "strip_year",
    "unit_aliases",
]


# --- database -----------------------------------------------------------------------------------------------------


def current_documents(conn: Connection, ids: Iterable[int] | None = None) -> list[DocInfo]:
    """What linking needs of every current document (or of those with the given ids)."""
    d, org = schema.documents, schema.organisations
    unit, dept = org.alias("unit"), org.alias("dept")
    q = (
        select(d.c.id, d.c.kind, d.c.year, d.c.project_name, unit.c.name, dept.c.name)
        .select_from(
            d.outerjoin(unit, unit.c.id == d.c.unit_id).outerjoin(dept, dept.c.id == d.c.department_id)
        )
        .where(d.c.current.is_(True))
    )
    if ids is not None:
        q = q.where(d.c.id.in_(list(ids)))
    return [DocInfo(int(r[0]), str(r[1]), r[2], r[3] or "", r[4], r[5]) for r in conn.execute(q)]


def decisions(conn: Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    ld = schema.link_decisions
    merges: list[tuple[str, str]] = []
    splits: list[tuple[str, str]] = []
    for action, a, b in conn.execute(select(ld.c.action, ld.c.key_a, ld.c.key_b).order_by(ld.c.id)):
        (merges if action == "merge" else splits).append((str(a), str(b)))
    return merges, splits


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":  # one linker at a time; SQLite's BEGIN IMMEDIATE already is
        conn.execute(text("SELECT pg_advisory_xact_lock(7242002)"))


def relink(engine: Engine) -> int:
    """Recompute every project from the current documents and the user's decisions; returns the project count."""
    with writing(engine) as conn:
        _lock(conn)
        return relink_in(conn)


def ensure_linked(engine: Engine) -> None:
    """Link when some current document has no project yet (e.g. an ingest stopped before it linked)."""
    with engine.connect() as conn:
        missing = unlinked(conn)
    if missing:
        link_documents(engine, ())


@dataclass(frozen=True, slots=True)
class Linked:
    """What linking new documents did: the projects it wrote, the documents it reclustered (the new ones, the
    documents they may link with, and the rest of those documents' projects) and the name scores it computed."""

    projects: int
    documents: int
    comparisons: int


def link_documents(engine: Engine, ids: Iterable[int]) -> Linked:
    """Link new documents (``ids``, and any current document without a project) into the store's projects,
    incrementally: see :func:`link_documents_in`."""
    with writing(engine) as conn:
        _lock(conn)
        return link_documents_in(conn, ids)


def link_documents_in(conn: Connection, ids: Iterable[int]) -> Linked:
    """Link new documents without relinking the store: each is scored only against the documents of its
    blocks (its unit's, and those naming no unit: :func:`jixiao.store.cluster.reach`), and only the documents
    it may join, with the whole of their projects, are clustered again and saved.  Documents no longer
    current (a path's older version) leave their projects, which are clustered again too.  On a fresh
    store this is :func:`relink_in`; later runs keep every other project as it is (``jixiao link`` relinks
    all)."""
    docs = current_documents(conn)
    by_id = {d.id: d for d in docs}
    ln = schema.links
    old = {int(d): int(p) for d, p in conn.execute(select(ln.c.document_id, ln.c.project_id))}
    members: dict[int, list[int]] = defaultdict(list)
    for doc_id, pid in old.items():
        members[pid].append(doc_id)
    stale = [i for i in old if i not in by_id]
    new = {i for i in ids if i in by_id} | {i for i in by_id if i not in old}
    for i in stale:
        new.update(x for x in members[old[i]] if x in by_id)
    if not new and not stale:
        return Linked(0, 0, 0)
    if (
        not old
    ):  # nothing linked yet (a fresh store): every document is new, and reaching them all is relinking
        plans = cluster(docs, *decisions(conn))
        _save(conn, plans, set(by_id))
        return Linked(len(plans), len(docs), 0)
    found = reach(docs, new)
    touched = {old[i] for i in found.documents if i in old} | {old[i] for i in stale}
    scope = set(found.documents)
    for pid in touched:
        scope.update(members[pid])
    current = {i for i in scope if i in by_id}
    merges, splits = decisions(conn)
    plans = cluster([by_id[i] for i in sorted(current)], merges, splits)
    _save(conn, plans, current, scope)
    return Linked(len(plans), len(current), found.comparisons)


def relink_in(conn: Connection) -> int:
    docs = current_documents(conn)
    merges, splits = decisions(conn)
    plans = cluster(docs, merges, splits)
    _save(conn, plans, {d.id for d in docs})
    return len(plans)


def _org_ids(conn: Connection, names: set[str]) -> dict[str, int]:
    org = schema.organisations
    out: dict[str, int] = {}
    items = sorted(names)
    for i in range(0, len(items), 500):
        q = select(org.c.name, org.c.id).where(org.c.name.in_(items[i : i + 500]))
        out.update({str(n): int(x) for n, x in conn.execute(q)})
    return out


def _save(
    conn: Connection, plans: list[ProjectPlan], current: set[int], scope: set[int] | None = None
) -> None:
    """Write plans as projects and links, keeping each project's id where it keeps most of its documents.
    With ``scope`` (document ids, holding every document of each project they are linked to) only the links
    and projects of those documents are looked at and replaced; else every one."""
    ln, pr = schema.links, schema.projects
    link_cols = (ln.c.project_id, ln.c.via_document_id, ln.c.score, ln.c.method, ln.c.reason)
    old_rows: dict[int, tuple[Any, ...]] = {}
    if scope is None:
        old_rows = {int(r[0]): tuple(r[1:]) for r in conn.execute(select(ln.c.document_id, *link_cols))}
    else:
        for batch in _chunks(sorted(scope), 500):
            q = select(ln.c.document_id, *link_cols).where(ln.c.document_id.in_(batch))
            old_rows.update({int(r[0]): tuple(r[1:]) for r in conn.execute(q)})
    old = {d: int(row[0]) for d, row in old_rows.items()}
    overlap: list[tuple[int, int, int]] = []  # (-shared documents, plan index, old project id)
    for k, plan in enumerate(plans):
        counts: dict[int, int] = defaultdict(int)
        for link in plan.links:
            if link.document_id in old:
                counts[old[link.document_id]] += 1
        overlap.extend((-n, k, pid) for pid, n in counts.items())
    overlap.sort()
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _n, k, pid in overlap:
        if k not in assigned and pid not in used:
            assigned[k] = pid
            used.add(pid)
    orgs = _org_ids(conn, {x for p in plans for x in (p.unit, p.department) if x})
    now = dt.datetime.now(dt.UTC)
    project_cols = (pr.c.name, pr.c.name_key, pr.c.unit_id, pr.c.department_id)
    existing: dict[int, tuple[Any, ...]] = {}
    if scope is None:
        existing = {int(r[0]): tuple(r[1:]) for r in conn.execute(select(pr.c.id, *project_cols))}
    else:
        for batch in _chunks(sorted(set(old.values())), 500):
            q = select(pr.c.id, *project_cols).where(pr.c.id.in_(batch))
            existing.update({int(r[0]): tuple(r[1:]) for r in conn.execute(q)})
    new_rows: list[tuple[int, Link]] = []
    for k, plan in enumerate(plans):
        values = {
            "name": plan.name,
            "name_key": plan.name_key,
            "unit_id": orgs.get(plan.unit) if plan.unit else None,
            "department_id": orgs.get(plan.department) if plan.department else None,
        }
        kept = assigned.get(k)
        if kept is None:
            pid = int(
                conn.execute(insert(pr).values(**values, updated_at=now).returning(pr.c.id)).scalar_one()
            )
        else:
            pid = kept
        if kept is not None and existing.get(pid) != tuple(values.values()):
            conn.execute(update(pr).where(pr.c.id == pid).values(**values, updated_at=now))
        for link in plan.links:
            new = (pid, link.via_document_id, link.score, link.method, link.reason)
            if old_rows.get(link.document_id) != new:
                new_rows.append((pid, link))
    stale = [d for d in old_rows if d not in current]
    changed = [link.document_id for _pid, link in new_rows if link.document_id in old_rows]
    for batch in _chunks(stale + changed, 500):
        conn.execute(delete(ln).where(ln.c.document_id.in_(batch)))
    if new_rows:
        conn.execute(
            insert(ln),
            [
                {
                    "document_id": link.document_id,
                    "project_id": pid,
                    "via_document_id": link.via_document_id,
                    "score": link.score,
                    "method": link.method,
                    "reason": link.reason,
                }
                for pid, link in new_rows
            ],
        )
    gone = set(existing) - set(assigned.values())
    for batch in _chunks(sorted(gone), 500):
        conn.execute(delete(pr).where(pr.c.id.in_(batch)))


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# --- user decisions ---------------------------------------------------------------------------------------------


def record_merge(conn: Connection, identities: Sequence[str], note: str | None = None) -> None:
    """The user says these documents are one project: link each to the first, forget splits between them."""
    first, rest = identities[0], [k for k in identities[1:] if k != identities[0]]
    for other in rest:
        _decide(conn, "merge", first, other, note)
    for i, a in enumerate(identities):
        for b in identities[i + 1 :]:
            _forget(conn, "split", a, b)


def record_split(conn: Connection, identity: str, others: Sequence[str], note: str | None = None) -> None:
    """The user says this document is not the same project as ``others``; merges involving it are forgotten."""
    ld = schema.link_decisions
    conn.execute(
        delete(ld).where(ld.c.action == "merge", (ld.c.key_a == identity) | (ld.c.key_b == identity))
    )
    for other in others:
        if other != identity:
            _decide(conn, "split", identity, other, note)


def _decide(conn: Connection, action: str, a: str, b: str, note: str | None) -> None:
    ka, kb = pair_key(a, b)
    _forget(conn, action, ka, kb)
    conn.execute(
        insert(schema.link_decisions).values(
            action=action, key_a=ka, key_b=kb, created_at=dt.datetime.now(dt.UTC), note=note
        )
    )


def _forget(conn: Connection, action: str, a: str, b: str) -> None:
    ld = schema.link_decisions
    ka, kb = pair_key(a, b)
    conn.execute(delete(ld).where(ld.c.action == action, ld.c.key_a == ka, ld.c.key_b == kb))


# --- merge and split by reference (``P3`` a project, ``D12`` a document) -----------------------------------------


class LinkError(StoreError):
    """A merge or split the store cannot do as asked (a reference to nothing, too few references); one line."""


def resolve_refs(
    conn: Connection, refs: Sequence[str], *, documents_only: bool = False
) -> list[list[DocInfo]]:
    """Each reference (``P3`` a project, ``D12`` a document) as the current documents it stands for, by id.
    Raises :class:`LinkError` naming the reference at fault."""
    found: list[list[DocInfo]] = []
    for ref in refs:
        r = ref.strip()
        is_doc = r[:1] in "Dd"
        if documents_only and not is_doc:
            raise LinkError(f"{ref}：请给出文档编号，如 D12（用 jixiao projects 查看）")
        try:
            n = int(r.lstrip("PpDd"))
        except ValueError as exc:
            raise LinkError(f"{ref}：不是项目编号（P3）或文档编号（D12）") from exc
        if is_doc:
            ids = [n]
        else:
            listed = projects(conn, [n])
            if not listed:
                raise LinkError(f"{ref}：没有这个项目")
            ids = [d.id for d in listed[0].documents]
        infos = current_documents(conn, ids)
        if not infos:
            raise LinkError(f"{ref}：没有这份（当前版本的）文档")
        found.append(sorted(infos, key=lambda d: d.id))
    return found


def merge(engine: Engine, refs: Sequence[str], note: str | None = None) -> list[int]:
    """Record that the projects or documents ``refs`` are one project, and relink; returns the documents'
    ids.  Raises :class:`LinkError` (fewer than two references, a reference to nothing)."""
    if len(refs) < 2:
        raise LinkError("合并需要至少两个项目或文档编号")
    with writing(engine) as conn:
        groups = resolve_refs(conn, refs)
        record_merge(conn, [d.identity for g in groups for d in g], note)
    relink(engine)
    return [d.id for g in groups for d in g]


def split(engine: Engine, refs: Sequence[str], note: str | None = None) -> list[int]:
    """Record that each document of ``refs`` (``D12``) is not the same project as the others of its project
    now, and relink; returns the documents' ids.  Raises :class:`LinkError`."""
    if not refs:
        raise LinkError("拆分需要文档编号")
    with writing(engine) as conn:
        groups = resolve_refs(conn, refs, documents_only=True)
        for (doc,) in groups:
            mates = [
                i
                for p in resolve_project(conn, f"D{doc.id}")
                for i in current_documents(conn, [x.id for x in p.documents])
            ]
            record_split(conn, doc.identity, [m.identity for m in mates], note)
    relink(engine)
    return [d.id for g in groups for d in g]
