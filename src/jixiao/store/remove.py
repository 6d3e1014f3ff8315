"""Removing documents from the store: one document (``D12``), a project's documents (``P3``) or a file's (its path
as ingested, or its SHA-256 or a prefix of at least 8 hex digits).

:func:`plan_removal` says what a removal would take without changing anything (``jixiao rm`` shows it and stops
unless ``--yes``); :func:`remove` does it in one transaction and records it in the run log: an ``ingest_runs``
row whose ``args`` start with ``rm`` and one ``run_files`` row per file, outcome ``removed`` (or ``purged``).
The document's rows go with it (funds, indicators, subprojects, its findings and its link); a project left with no
document goes too.  The file's original bytes stay (a later ``ingest`` of the same bytes at the same path does
not bring the documents back, and the bytes are still there to look at) unless ``purge`` is set and no other
document of the file remains, in which case the bytes, the file's paths and its own findings are deleted, and
the file can be ingested again as new.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from jixiao.store import schema, search
from jixiao.store.engine import writing
from jixiao.store.ingest import installed_version

_DOC_REF = re.compile(r"^[Dd](\d+)$")
_PROJECT_REF = re.compile(r"^[Pp](\d+)$")
_SHA_REF = re.compile(r"^[0-9a-fA-F]{8,64}$")


class RemoveError(Exception):
    """A reference names nothing in the store, or more than one file; the message is one Chinese line."""


@dataclass(frozen=True, slots=True)
class Removal:
    """What one removal takes: documents by file (sha256 → ids) and which files are purged entirely."""

    documents: dict[str, list[int]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # sha256 → the file name it was first seen under
    labels: dict[int, str] = field(default_factory=dict)  # document id → kind, year and printed name
    purged: frozenset[str] = frozenset()

    @property
    def document_count(self) -> int:
        return sum(len(v) for v in self.documents.values())


def _documents_of(conn: Connection, ref: str) -> list[int]:
    d, ln, fp = schema.documents, schema.links, schema.file_paths
    raw = ref.strip()
    if m := _DOC_REF.match(raw):
        ids = [int(x) for x in conn.execute(select(d.c.id).where(d.c.id == int(m.group(1)))).scalars()]
        if not ids:
            raise RemoveError(f"{raw}: 库中没有这份文档")
        return ids
    if m := _PROJECT_REF.match(raw):
        q = select(ln.c.document_id).where(ln.c.project_id == int(m.group(1)))
        ids = [int(x) for x in conn.execute(q).scalars()]
        if not ids:
            raise RemoveError(f"{raw}: 库中没有这个项目（或它没有文档）")
        return ids
    shas = {str(s) for s in conn.execute(select(fp.c.sha256).where(fp.c.path == raw).distinct()).scalars()}
    if not shas:
        absolute = os.path.abspath(raw)
        q = select(fp.c.sha256).where(fp.c.path == absolute).distinct()
        shas = {str(s) for s in conn.execute(q).scalars()}
    if not shas and _SHA_REF.match(raw):
        q = select(schema.source_files.c.sha256).where(schema.source_files.c.sha256.startswith(raw.lower()))
        shas = {str(s) for s in conn.execute(q).scalars()}
        if len(shas) > 1:
            raise RemoveError(f"{raw}: 匹配 {len(shas)} 个文件，请给出更长的 SHA-256")
    if not shas:
        raise RemoveError(f"{raw}: 不是库中的文档（D…）、项目（P…）、文件路径或 SHA-256")
    q = select(d.c.id).where(d.c.sha256.in_(shas)).order_by(d.c.id)
    ids = [int(x) for x in conn.execute(q).scalars()]
    if not ids:
        raise RemoveError(f"{raw}: 该文件在库中没有文档")
    return ids


def plan_removal(conn: Connection, refs: Sequence[str], *, purge: bool = False) -> Removal:
    """What removing ``refs`` takes; raises :class:`RemoveError` for a reference that names nothing."""
    d, sf = schema.documents, schema.source_files
    ids: set[int] = set()
    for ref in refs:
        ids.update(_documents_of(conn, ref))
    by_file: dict[str, list[int]] = {}
    labels: dict[int, str] = {}
    q = select(d.c.id, d.c.sha256, d.c.kind, d.c.year, d.c.project_name).where(d.c.id.in_(sorted(ids)))
    for doc_id, sha, kind, year, name in conn.execute(q.order_by(d.c.id)):
        by_file.setdefault(str(sha), []).append(int(doc_id))
        labels[int(doc_id)] = f"D{doc_id} {_KINDS.get(str(kind), kind)} {year or '—'} {name or '（无名称）'}"
    names = {
        str(s): str(n)
        for s, n in conn.execute(select(sf.c.sha256, sf.c.name).where(sf.c.sha256.in_(by_file)))
    }
    purged: set[str] = set()
    if purge:
        for sha, taken in by_file.items():
            total = conn.execute(select(func.count()).select_from(d).where(d.c.sha256 == sha)).scalar_one()
            if int(total) == len(taken):
                purged.add(sha)
    return Removal(by_file, names, labels, frozenset(purged))


_KINDS = {"target_declaration": "申报", "self_evaluation": "自评", "evaluation_result": "评价"}


def remove(engine: Engine, refs: Sequence[str], *, purge: bool = False, args: Sequence[str] = ()) -> Removal:
    """Remove what ``refs`` name in one transaction and record it in the run log; returns what was removed."""
    d, ln, pr = schema.documents, schema.links, schema.projects
    with writing(engine) as conn:
        plan = plan_removal(conn, refs, purge=purge)
        ids = sorted(i for v in plan.documents.values() for i in v)
        projects = {
            int(p) for p in conn.execute(select(ln.c.project_id).where(ln.c.document_id.in_(ids))).scalars()
        }
        for table in (schema.funds, schema.indicators, schema.subprojects, schema.findings, ln):
            conn.execute(delete(table).where(table.c.document_id.in_(ids)))
        conn.execute(update(ln).where(ln.c.via_document_id.in_(ids)).values(via_document_id=None))
        conn.execute(delete(d).where(d.c.id.in_(ids)))
        if projects:
            alive = select(ln.c.project_id).where(ln.c.project_id == pr.c.id).exists()
            conn.execute(delete(pr).where(pr.c.id.in_(projects), ~alive))
        if plan.purged:
            _purge(conn, sorted(plan.purged))
        _record(conn, plan, list(args))
        # The facets, the 工作台 figures and the dashboards follow the removal in its own transaction, so no page
        # falls back to counting live (or shows the removed documents) until the next ingest.
        search.refresh_facts(conn)
    return plan


def _purge(conn: Connection, shas: list[str]) -> None:
    """Delete the files' bytes, paths and own findings; a path whose newest version was purged holds its
    previous version again, whose documents become current."""
    fp, d = schema.file_paths, schema.documents
    paths = {str(p) for p in conn.execute(select(fp.c.path).where(fp.c.sha256.in_(shas))).scalars()}
    conn.execute(delete(schema.findings).where(schema.findings.c.sha256.in_(shas)))
    conn.execute(delete(fp).where(fp.c.sha256.in_(shas)))
    conn.execute(delete(schema.source_files).where(schema.source_files.c.sha256.in_(shas)))
    if not paths:
        return
    f2 = fp.alias("f2")
    newest = select(func.max(f2.c.version)).where(f2.c.path == fp.c.path).scalar_subquery()
    affected = {str(s) for s in conn.execute(select(fp.c.sha256).where(fp.c.path.in_(paths))).scalars()}
    live = {
        str(s)
        for s in conn.execute(
            select(fp.c.sha256).where(fp.c.sha256.in_(affected), fp.c.version == newest)
        ).scalars()
    }
    for sha in affected:
        conn.execute(update(d).where(d.c.sha256 == sha).values(current=sha in live))


def _record(conn: Connection, plan: Removal, args: list[str]) -> None:
    now = dt.datetime.now(dt.UTC)
    runs = schema.ingest_runs
    run_id = conn.execute(
        insert(runs)
        .values(
            started_at=now,
            finished_at=now,
            version=installed_version(),
            host=socket.gethostname(),
            pid=os.getpid(),
            args=["rm", *args],
            files_added=0,
            files_unchanged=0,
            files_refused=0,
            documents_added=0,
        )
        .returning(runs.c.id)
    ).scalar_one()
    fp = schema.file_paths
    for sha, ids in plan.documents.items():
        path = conn.execute(select(fp.c.path).where(fp.c.sha256 == sha).order_by(fp.c.id).limit(1)).scalar()
        outcome = "purged" if sha in plan.purged else "removed"
        what = "，原始文件已一并删除" if sha in plan.purged else "，原始文件保留"
        conn.execute(
            insert(schema.run_files).values(
                run_id=run_id,
                path=str(path or plan.names.get(sha, sha)),
                sha256=None if sha in plan.purged else sha,
                outcome=outcome,
                reason=f"删除文档 {'、'.join(f'D{i}' for i in ids)}{what}",
                documents=len(ids),
            )
        )
