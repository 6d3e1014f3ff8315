"""Each page's data, computed once for both its HTML page and its JSON twin (``/api/v1…``).

Every function takes the reader's :class:`~jixiao.web.access.Scope` and asks it for what may be shown; none
decides visibility itself.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from jixiao.model import AnyDocument, Finding
from jixiao.store import schema, search
from jixiao.store.query import load_documents
from jixiao.store.views import KIND_TITLE, timeline
from jixiao.web.access import Scope
from jixiao.web.grid import Mark, grid, indicator_rule_scores


class NotFound(Exception):
    """The page's object does not exist or the reader may not see it (the same answer for both)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(Exception):
    """A request the page cannot answer as asked (422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


FACET_NAMES = {
    "year": "年度",
    "kind": "文档类型",
    "grade": "等级 / 结论",
    "department": "主管部门",
    "unit": "实施单位",
    "code": "检查代码",
}


class Memo:
    """Aggregates (工作台, facets, counts, dashboards) kept until the store changes: keyed by the reader's
    scope, the arguments and :func:`~jixiao.store.search.generation` (which moves with every ingest run and
    link decision).  A bounded LRU, safe across the server's threads."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(
        self,
        conn: Connection,
        scope: Scope,
        key: tuple[Any, ...],
        compute: Callable[[], Any],
        generation: search.Generation | None = None,
    ) -> Any:
        # the store itself is part of the key: two stores (tests, a second app) can share a generation
        gen = search.generation(conn) if generation is None else generation
        full = (str(conn.engine.url), id(conn.engine), scope.reader, key, gen)
        with self.lock:
            if full in self.data:
                self.data.move_to_end(full)
                return self.data[full]
        value = compute()
        with self.lock:
            self.data[full] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


MEMO = Memo()


def filters_dict(f: search.ProjectFilter) -> dict[str, Any]:
    return {k: v for k, v in asdict(f).items() if k != "within" and v is not None}


def overview(conn: Connection, scope: Scope) -> dict[str, Any]:
    result: dict[str, Any] = MEMO.get(
        conn, scope, ("overview",), lambda: search.overview(conn, within=scope.within).to_dict()
    )
    return result


def project_list(
    conn: Connection, scope: Scope, f: search.ProjectFilter, after: int | None, limit: int
) -> dict[str, Any]:
    f = scope.projects(f)
    gen, fresh = search.snapshot(conn)  # asked once for the page
    page = search.project_page(conn, f, after=after, limit=limit, fresh=fresh)
    chosen = filters_dict(f)
    found = MEMO.get(conn, scope, ("facets", f.key()), lambda: search.facets(conn, f, fresh=fresh), gen)
    facets = {
        name: [
            {"value": v.value, "label": v.label, "count": v.count, "selected": chosen.get(name) == v.value}
            for v in values
        ]
        for name, values in found.items()
    }
    return {
        "total": MEMO.get(
            conn, scope, ("count", f.key()), lambda: search.count_projects(conn, f, fresh=fresh), gen
        ),
        "filters": chosen,
        "rows": [r.to_dict() for r in page.rows],
        "facets": facets,
        "next": page.after,
    }


def all_projects(
    conn: Connection, scope: Scope, f: search.ProjectFilter, cap: int = 200_000
) -> Iterator[search.ProjectRow]:
    """Every matching project in list order, by keyset pages (for the CSV export)."""
    f = scope.projects(f)
    after: int | None = None
    seen = 0
    while seen < cap:
        page = search.project_page(conn, f, after=after, limit=500)
        yield from page.rows
        seen += len(page.rows)
        if page.after is None:
            return
        after = page.after


def project_timeline(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any]:
    result: dict[str, Any] = MEMO.get(
        conn, scope, ("timeline", project_id), lambda: _timeline(conn, scope, project_id)
    )
    return result


def _timeline(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any]:
    if not scope.sees_project(conn, project_id):
        raise NotFound(f"没有编号为 {project_id} 的项目")
    t = timeline(conn, project_id)
    if t is None:
        raise NotFound(f"没有编号为 {project_id} 的项目")
    return t.to_dict()


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    from jixiao.rules.registry import default_registry

    return {c.code: c for c in default_registry().checks}


def rule_summary(code: str) -> str:
    check = _rules().get(code)
    return check.summary() if check is not None else ""


def _marks(conn: Connection, document_id: int, found: list[Finding]) -> list[tuple[Finding, Mark]]:
    fi = schema.findings
    ids = [
        int(i)
        for i in conn.execute(
            select(fi.c.id).where(fi.c.document_id == document_id).order_by(fi.c.ordinal)
        ).scalars()
    ]
    out = []
    for n, f in enumerate(found):
        out.append(
            (
                f,
                Mark(
                    ids[n] if n < len(ids) else None,
                    f.code,
                    f.severity.value,
                    f.message,
                    f.expected,
                    f.actual,
                    rule_summary(f.code),
                ),
            )
        )
    return out


def load_document(conn: Connection, scope: Scope, document_id: int) -> AnyDocument:
    if not scope.sees_document(conn, document_id):
        raise NotFound(f"没有编号为 {document_id} 的文档")
    docs = load_documents(conn, [document_id])
    if document_id not in docs:
        raise NotFound(f"没有编号为 {document_id} 的文档")
    return docs[document_id]


def document_page(conn: Connection, scope: Scope, document_id: int) -> dict[str, Any]:
    result: dict[str, Any] = MEMO.get(
        conn, scope, ("document", document_id), lambda: _document(conn, scope, document_id)
    )
    return result


def _document(conn: Connection, scope: Scope, document_id: int) -> dict[str, Any]:
    from jixiao.export.items import ExportItem
    from jixiao.export.v1json import document as v1_document

    doc = load_document(conn, scope, document_id)
    pid = search.linked_project(conn, document_id)
    project = None
    if pid is not None:
        project = conn.execute(select(schema.projects.c.name).where(schema.projects.c.id == pid)).scalar()
    file = search.document_file(conn, document_id)
    file_out = None
    if file is not None:
        sha, ordinal, path = file
        name = conn.execute(
            select(schema.source_files.c.name).where(schema.source_files.c.sha256 == sha)
        ).scalar()
        file_out = {
            "name": None if name is None else str(name),
            "path": path,
            "sha256": sha,
            "ordinal": ordinal,
            "download": f"/files/{sha}",
        }
    item = ExportItem(
        doc, document_id, pid, None if project is None else str(project), file[0] if file else None
    )
    g = grid(doc, _marks(conn, document_id, list(doc.findings)), indicator_rule_scores(doc))
    return {
        "id": document_id,
        "kind": doc.kind,
        "kind_title": KIND_TITLE.get(doc.kind, doc.kind),
        "year": doc.year,
        "project_id": pid,
        "project": None if project is None else str(project),
        "file": file_out,
        "document": v1_document(item),
        "grid": g.to_dict(),
    }


def original(conn: Connection, scope: Scope, sha256: str) -> tuple[str, bytes]:
    if not scope.sees_file(conn, sha256):
        raise NotFound("没有这个原始文件")
    found = search.source_file(conn, sha256)
    if found is None:
        raise NotFound("没有这个原始文件")
    name, data = found
    return Path(name).name, data


def finding_list(
    conn: Connection, scope: Scope, f: search.FindingFilter, after: int | None, limit: int
) -> dict[str, Any]:
    f = scope.findings(f)
    page = search.findings_page(conn, f, after=after, limit=limit)
    return {
        "filters": {k: v for k, v in asdict(f).items() if k != "within" and v is not None},
        "counts": MEMO.get(
            conn,
            scope,
            ("finding_counts", tuple(asdict(replace(f, within=None)).items())),
            lambda: search.finding_counts(conn, f),
        ),
        "rows": [r.to_dict() for r in page.rows],
        "next": page.after,
    }


def _kind_of(check: Any) -> str:
    kinds = [getattr(t, "model_fields", {}).get("kind") for t in check.applies_to]
    names = [str(k.default) for k in kinds if k is not None]
    return ",".join(names)


def _code_counts(conn: Connection, scope: Scope, code: str | None = None) -> dict[str, int]:
    f = scope.findings(search.FindingFilter(code=code))
    counts: dict[str, int] = MEMO.get(
        conn, scope, ("code_counts", code), lambda: search.finding_counts(conn, f)["code"]
    )
    return counts


def rules(conn: Connection, scope: Scope) -> dict[str, Any]:
    counts = _code_counts(conn, scope)
    return {"rules": [_rule(c, counts.get(code, 0)) for code, c in _rules().items()]}


def _rule(check: Any, findings: int) -> dict[str, Any]:
    return {
        "code": check.code,
        "name": check.name,
        "severity": check.severity.value,
        "kind": _kind_of(check),
        "summary": check.summary(),
        "groups": list(check.groups),
        "sections": check.documentation(),
        "findings": findings,
    }


def rule(conn: Connection, scope: Scope, code: str) -> dict[str, Any]:
    check = _rules().get(code.upper())
    if check is None:
        raise NotFound(f"没有代码为 {code} 的检查规则")
    counts = _code_counts(conn, scope, check.code)
    return _rule(check, counts.get(check.code, 0))


def dashboards(conn: Connection, scope: Scope, dept: int | None) -> dict[str, Any]:
    result: dict[str, Any] = MEMO.get(
        conn, scope, ("dashboards", dept), lambda: _dashboards(conn, scope, dept)
    )
    return result


def dashboards_json(conn: Connection, scope: Scope, dept: int | None) -> bytes:
    """The dashboards' JSON twin, checked against its schema and encoded once per store generation."""
    from jixiao.web.schemas import DashboardOut

    def encode() -> bytes:
        return DashboardOut.model_validate(dashboards(conn, scope, dept)).model_dump_json().encode("utf-8")

    result: bytes = MEMO.get(conn, scope, ("dashboards.json", dept), encode)
    return result


def _dashboards(conn: Connection, scope: Scope, dept: int | None) -> dict[str, Any]:
    return search.dashboards(conn, dept, within=scope.within)


def csv_bytes(header: list[str], rows: Iterator[list[Any]]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text as it is."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def compare(conn: Connection, scope: Scope, document_ids: list[int]) -> dict[str, Any]:
    from jixiao.store.views import comparison

    if not 1 <= len(document_ids) <= 8:
        raise BadRequest("请选择 1–8 份文档进行对比（参数 d，可重复）")
    for i in document_ids:
        if not scope.sees_document(conn, i):
            raise NotFound(f"没有编号为 {i} 的文档")
    return comparison(conn, document_ids).to_dict()
