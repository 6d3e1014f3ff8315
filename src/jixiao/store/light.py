"""Reading one project straight through the database driver (``sqlite3``, or psycopg for ``postgresql://``):
what ``jixiao show`` prints, without SQLAlchemy, pydantic or the document model, so that the command answers in a
fraction of the time those take to import.

Every statement here is the one :mod:`jixiao.store.query` and :mod:`jixiao.store.search` build with SQLAlchemy
(the same tables, joins, conditions and order), written out for the two dialects; tests run both over the same
stores and compare their rows.  Documents are rebuilt as their v1 JSON objects (what
:func:`jixiao.model.to_v1` gives for the document :mod:`jixiao.store.codec` loads) from :data:`FIELDS`, the
model's fields in order with their types and defaults (a test derives it from the model and compares).

The reader answers only what it is sure of: a store that is not plainly a healthy jixiao store at the schema
head, documents left unlinked, or a name that matches no project or several, raise :class:`Unsure`, and the
caller runs the full command instead, which says what is wrong (or links first) exactly as it always has.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

HEAD = "0012"  # the schema this reader knows (tests check it against jixiao.store.engine.HEAD)
DEFAULT_FILE = "jixiao.db"
ENV_VAR = "JIXIAO_DB"
QUICK_CHECK_MAX_BYTES = int(os.environ.get("JIXIAO_QUICK_CHECK_MB", "256")) * 2**20
CONNECT_TIMEOUT_S = 10
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 120.0
# the store's tables (tests check them against jixiao.store.schema.metadata): a store missing one is refused
TABLES = frozenset(
    {
        "alembic_version",
        "api_tokens",
        "audit_log",
        "campaign_extensions",
        "campaigns",
        "cycle_orgs",
        "documents",
        "draft_comments",
        "draft_files",
        "draft_reviews",
        "draft_versions",
        "drafts",
        "file_paths",
        "findings",
        "funds",
        "indicators",
        "ingest_runs",
        "link_decisions",
        "links",
        "login_failures",
        "login_links",
        "login_locks",
        "organisations",
        "projects",
        "run_files",
        "source_files",
        "subprojects",
        "user_grants",
        "users",
        "web_sessions",
    }
)
_CHUNK = 500

KIND_ORDER = ("target_declaration", "self_evaluation", "evaluation_result")
KIND_SHORT = {"target_declaration": "申报", "self_evaluation": "自评", "evaluation_result": "评价"}
KIND_TITLE = {
    "target_declaration": "绩效目标申报表",
    "self_evaluation": "绩效自评表",
    "evaluation_result": "绩效评价结果信息表",
}


class Unsure(Exception):
    """The light reader cannot answer this for certain: run the full command."""


# --- the statements -----------------------------------------------------------------------------------------------
# Written with ``?`` placeholders and ``{true}`` for the boolean literal; :class:`Reader` adapts them to the dialect.

REVISION = "SELECT version_num FROM alembic_version"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
PG_TABLES = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"

# search.snapshot: the store's generation beside the one the facts were refreshed at, and whether a project is marked
SNAPSHOT = (
    "SELECT (SELECT coalesce(max(ingest_runs.id), 0) FROM ingest_runs), "
    "(SELECT count(ingest_runs.finished_at) FROM ingest_runs), "
    "(SELECT coalesce(max(link_decisions.id), 0) FROM link_decisions), "
    "kept.run, kept.finished, kept.decision, "
    "EXISTS (SELECT search_dirty.project_id FROM search_dirty) "
    "FROM (SELECT 1 AS one) AS one LEFT OUTER JOIN "
    "(SELECT search_facts_state.run AS run, search_facts_state.finished AS finished, "
    "search_facts_state.decision AS decision FROM search_facts_state WHERE search_facts_state.id = 1) AS kept "
    "ON {true}"
)

# query.unlinked: current documents without a project
UNLINKED = (
    "SELECT count(*) FROM documents LEFT OUTER JOIN links ON links.document_id = documents.id "
    'WHERE documents."current" = {true} AND links.document_id IS NULL'
)

# query.resolve_project
PROJECT_OF_DOCUMENT = "SELECT links.project_id FROM links WHERE links.document_id = ?"
_PRINTED = (
    "SELECT links.project_id FROM links JOIN documents ON documents.id = links.document_id "
    'WHERE documents."current" = {true} AND '
)
EXACT_NAME = (
    "SELECT projects.id FROM projects WHERE projects.name = ? UNION "
    + _PRINTED
    + "documents.project_name = ?"
)
NAME_PART = (
    "SELECT projects.id FROM projects WHERE {holds}(projects.name, ?) > 0 UNION "
    + _PRINTED
    + "{holds}(documents.project_name, ?) > 0"
)

# query._entries_query: projects with their current documents, in list order; the finding counts and newest
# paths from the facts when they hold the store (``fresh``), else counted per document (search.counted_figures)
_FINDINGS_COUNTED = "(SELECT count(*) FROM findings WHERE findings.document_id = d.id)"
_PATH_COUNTED = (
    "(SELECT file_paths.path FROM file_paths WHERE file_paths.sha256 = d.sha256 "
    "ORDER BY file_paths.seen_at DESC, file_paths.id DESC LIMIT 1)"
)
ENTRIES = (
    "SELECT pr.id, pr.name, pu.name, pd.name, d.id, d.kind, d.year, d.project_name, du.name, dd.name, "
    "{path}, d.sha256, ln.score, ln.method, ln.reason, ln.via_document_id, {findings} "
    "FROM projects AS pr "
    "LEFT OUTER JOIN organisations AS pu ON pu.id = pr.unit_id "
    "LEFT OUTER JOIN organisations AS pd ON pd.id = pr.department_id "
    "LEFT OUTER JOIN links AS ln ON ln.project_id = pr.id "
    'LEFT OUTER JOIN documents AS d ON d.id = ln.document_id AND d."current" = {true} '
    "LEFT OUTER JOIN organisations AS du ON du.id = d.unit_id "
    "LEFT OUTER JOIN organisations AS dd ON dd.id = d.department_id "
    "{figures}"
    "WHERE pr.id IN ({ids}) "
    "ORDER BY pr.name{collate}, pr.id, coalesce(d.year, 0), "
    "CASE d.kind WHEN 'target_declaration' THEN 0 WHEN 'self_evaluation' THEN 1 "
    "WHEN 'evaluation_result' THEN 2 ELSE 9 END, d.id"
)
_FIGURES_JOIN = "LEFT OUTER JOIN search_document_figures AS df ON df.document_id = d.id "

# query.load_documents: the rows a document is rebuilt from
DOCUMENT_ROWS = "SELECT * FROM documents WHERE documents.id IN ({ids})"
ORGANISATION_NAMES = (
    "SELECT organisations.id, organisations.name FROM organisations WHERE organisations.id IN ({ids})"
)
CHILD_ROWS = (
    "SELECT * FROM {table} WHERE {table}.document_id IN ({ids}) ORDER BY {table}.document_id, {table}.ordinal"
)
FINDING_ROWS = "SELECT * FROM findings WHERE findings.document_id IN ({ids}) ORDER BY findings.document_id, findings.ordinal"


# --- opening --------------------------------------------------------------------------------------------------------


def resolve_url(db: str | None = None) -> str:
    """As :func:`jixiao.store.engine.resolve_url`: ``--db``, else ``JIXIAO_DB``, else ``jixiao.db``."""
    raw = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in raw:
        return f"sqlite:///{raw}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


class Reader:
    """One read transaction over a store, through the driver."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self._true = "1" if dialect == "sqlite" else "true"
        self._holds = "instr" if dialect == "sqlite" else "strpos"

    def sql(self, statement: str, **parts: str) -> str:
        text = statement.format(true=self._true, holds=self._holds, **parts)
        return text if self.dialect == "sqlite" else text.replace("?", "%s")

    def rows(self, statement: str, params: Sequence[Any] = (), **parts: str) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(self.sql(statement, **parts), tuple(params))
            return [tuple(r) for r in cur.fetchall()]
        finally:
            cur.close()

    def records(self, statement: str, params: Sequence[Any] = (), **parts: str) -> list[dict[str, Any]]:
        """Rows as ``{column: value}``."""
        cur = self.conn.cursor()
        try:
            cur.execute(self.sql(statement, **parts), tuple(params))
            names = [c[0] for c in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        finally:
            cur.close()

    def json(self, value: Any) -> Any:
        """A JSON column's value: SQLite hands back the text, psycopg the parsed value."""
        return json.loads(value) if isinstance(value, str) and self.dialect == "sqlite" else value


@contextmanager
def open_reader(db: str | None) -> Iterator[Reader]:
    """A read transaction over the store ``db`` (as ``--db`` names it) once it is plainly a healthy jixiao
    store at :data:`HEAD`; :class:`Unsure` for anything else (a URL of another kind, a file that is not there or
    not whole, a damaged or older store, a driver error), which the full command then reports."""
    url = resolve_url(db)
    try:
        if url.startswith("sqlite:///"):
            conn, dialect = _sqlite(url[len("sqlite:///") :]), "sqlite"
        elif url.startswith("postgresql+psycopg://"):
            conn, dialect = _postgresql(url), "postgresql"
        else:
            raise Unsure(url)
    except Unsure:
        raise
    except Exception as exc:  # whatever the driver raises: the full command says what it means
        raise Unsure(str(exc)) from exc
    try:
        reader = Reader(conn, dialect)
        if dialect == "sqlite":
            conn.execute("BEGIN")
        tables = {str(r[0]) for r in reader.rows(SQLITE_TABLES if dialect == "sqlite" else PG_TABLES)}
        if not tables >= TABLES:
            raise Unsure("tables")
        if reader.rows(REVISION) != [(HEAD,)]:
            raise Unsure("revision")
        yield reader
    except Unsure:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlite3", "psycopg")):
            raise Unsure(str(exc)) from exc
        raise
    finally:
        conn.close()


def _sqlite(database: str) -> Any:
    """The file opened read-only, once it looks whole (as ``open_store`` checks it before opening)."""
    import sqlite3
    from urllib.parse import quote

    if not database or database == ":memory:" or database.startswith("file:") or "?" in database:
        raise Unsure(database)
    path = os.path.abspath(os.path.expanduser(database))
    with open(path, "rb") as f:  # a missing file or a folder: OSError, the full command's to explain
        head = f.read(4096)
    size = os.stat(path).st_size
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        raise Unsure("not SQLite")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = int.from_bytes(head[92:96], "big") == int.from_bytes(head[24:28], "big")
    if valid and pages and page_size >= 512 and size < page_size * pages:
        raise Unsure("truncated")
    conn = sqlite3.connect(
        f"file:{quote(path)}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
    )
    try:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if size <= QUICK_CHECK_MAX_BYTES and [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")] != [
            "ok"
        ]:
            raise Unsure("damaged")
    except BaseException:
        conn.close()
        raise
    return conn


def _postgresql(url: str) -> Any:
    import psycopg

    conninfo = "postgresql://" + url[len("postgresql+psycopg://") :]
    if "connect_timeout" in conninfo:
        return psycopg.connect(conninfo)
    return psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT_S)


# --- the project --------------------------------------------------------------------------------------------------


def facts_fresh(reader: Reader) -> bool:
    """search.snapshot's ``fresh``: the maintained figures hold the store as it is."""
    (row,) = reader.rows(SNAPSHOT)
    store = (int(row[0]), int(row[1]), int(row[2]))
    return row[3] is not None and (int(row[3]), int(row[4]), int(row[5])) == store and not row[6]


def unlinked(reader: Reader) -> int:
    return int(reader.rows(UNLINKED)[0][0])


def _ref_match(ref: str) -> tuple[str, int] | None:
    """``P3``/``3`` → ("P", 3), ``D12`` → ("D", 12) (query._REF), else None."""
    s = ref.strip()
    body = s[1:] if s[:1] in "PpDd" else s
    if body and body.isascii() and body.isdigit():
        return ("D" if s[:1] in "Dd" else "P", int(body))
    return None


def project_ids(reader: Reader, ref: str) -> list[int]:
    """The projects a user means by ``ref`` (query.resolve_project): an id, a document's project, or a name
    (exact first, then containing it)."""
    m = _ref_match(ref)
    if m is not None:
        kind, n = m
        if kind == "D":
            found = reader.rows(PROJECT_OF_DOCUMENT, (n,))
            return [int(found[0][0])] if found and found[0][0] is not None else []
        return [n]
    ids = [int(r[0]) for r in reader.rows(EXACT_NAME, (ref, ref))]
    if not ids:
        ids = [int(r[0]) for r in reader.rows(NAME_PART, (ref, ref))]
    return ids


def entries(reader: Reader, ids: Sequence[int], *, fresh: bool) -> list[dict[str, Any]]:
    """Projects with their current documents as ``projects --json`` lists them (ProjectEntry.to_dict)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = reader.rows(
        ENTRIES,
        wanted,
        ids=", ".join("?" * len(wanted)),
        findings="df.findings" if fresh else _FINDINGS_COUNTED,
        path="df.path" if fresh else _PATH_COUNTED,
        figures=_FIGURES_JOIN if fresh else "",
        collate=' COLLATE "C"' if reader.dialect == "postgresql" else "",
    )
    out: list[dict[str, Any]] = []
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
        if not out or out[-1]["id"] != pid:
            out.append(
                {"id": int(pid), "name": str(pname), "unit": punit, "department": pdept, "documents": []}
            )
        if i is None:
            continue
        out[-1]["documents"].append(
            {
                "id": int(i),
                "kind": str(kind),
                "year": year,
                "name": name or "",
                "unit": dunit,
                "department": ddept,
                "score": score,
                "method": method,
                "reason": why,
                "via": via,
                "findings": int(n or 0),
                "path": path,
                "sha256": str(sha),
            }
        )
    return out


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _marks(batch: Sequence[int]) -> str:
    return ", ".join("?" * len(batch))


# --- documents as v1 JSON -----------------------------------------------------------------------------------------
# The model's fields in order: (name, type, default).  Types: "i" int, "f" float, "s" str, "b" bool, "d" date,
# "[s]" list of str, "{i}" dict of int, "ref" a source reference, "cells" references by field, "findings", "kind";
# a class name: one traced object of that class; "[Class]": a list of them.  None as default: None; "[]", "{}":
# an empty list or dict.

FIELDS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "self_evaluation": (
        ("year", "i", None),
        ("project", "s", None),
        ("money_unit", "s", None),
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("findings", "findings", "[]"),
        ("kind", "kind", "self_evaluation"),
        ("department", "s", None),
        ("implementing_unit", "s", None),
        ("funds", "[FundLine]", "[]"),
        ("goal", "Goal", None),
        ("indicators", "[Indicator]", "[]"),
        ("level_weights", "[LevelWeight]", "[]"),
        ("total_weight", "f", None),
        ("total_score", "f", None),
        ("grade", "s", None),
        ("total_source", "ref", None),
    ),
    "target_declaration": (
        ("year", "i", None),
        ("project", "s", None),
        ("money_unit", "s", None),
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("findings", "findings", "[]"),
        ("kind", "kind", "target_declaration"),
        ("unit", "s", None),
        ("department", "s", None),
        ("project_type", "[s]", "[]"),
        ("fund_use", "[s]", "[]"),
        ("start", "d", None),
        ("end", "d", None),
        ("period_in_months", "b", False),
        ("total_budget", "f", None),
        ("annual_budget", "f", None),
        ("previous_budget", "f", None),
        ("previous_executed", "f", None),
        ("subprojects", "[Subproject]", "[]"),
        ("overall_goal", "s", None),
        ("annual_goal", "s", None),
        ("indicators", "[Indicator]", "[]"),
    ),
    "evaluation_result": (
        ("year", "i", None),
        ("project", "s", None),
        ("money_unit", "s", None),
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("findings", "findings", "[]"),
        ("kind", "kind", "evaluation_result"),
        ("department", "s", None),
        ("evaluator", "s", None),
        ("funds_amount", "f", None),
        ("final_accounts", "f", None),
        ("score", "f", None),
        ("self_score", "f", None),
        ("conclusion", "s", None),
        ("conclusion_printed", "s", None),
        ("rating", "s", None),
        ("items", "[EvaluationItem]", "[]"),
        ("rubric_items", "[RubricItem]", "[]"),
        ("grade_counts", "{i}", "{}"),
        ("performance", "s", None),
        ("problems", "[s]", "[]"),
        ("suggestions", "[s]", "[]"),
        ("rectification", "[s]", "[]"),
        ("framework", "[Indicator]", None),
    ),
    "FundLine": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("line", "s", None),
        ("initial_budget", "f", None),
        ("annual_budget", "f", None),
        ("executed", "f", None),
        ("weight", "f", None),
        ("execution_rate", "f", None),
        ("score", "f", None),
    ),
    "Goal": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("expected", "s", None),
        ("actual", "s", None),
    ),
    "Indicator": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("level1", "s", None),
        ("level2", "s", None),
        ("name", "s", None),
        ("target", "s", None),
        ("actual", "s", None),
        ("weight", "f", None),
        ("score", "f", None),
        ("deviation", "s", None),
    ),
    "LevelWeight": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("level1", "s", None),
        ("level2", "s", None),
        ("weight", "f", None),
    ),
    "Subproject": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("name", "s", None),
        ("amount", "f", None),
    ),
    "EvaluationItem": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("department", "s", None),
        ("project", "s", None),
        ("funds_amount", "f", None),
        ("score", "f", None),
        ("conclusion", "s", None),
    ),
    "RubricItem": (
        ("source", "ref", None),
        ("cells", "cells", "{}"),
        ("name", "s", None),
        ("weight", "f", None),
        ("score", "f", None),
    ),
}
# a finding's fields (Finding), each with its type: "ef" float or str
FINDING_FIELDS: tuple[tuple[str, str], ...] = (
    ("code", "s"),
    ("severity", "s"),
    ("message", "s"),
    ("source", "ref"),
    ("subject", "s"),
    ("expected", "ef"),
    ("actual", "ef"),
    ("tolerance", "f"),
    ("name", "s"),
)
REF_FIELDS = ("path", "table", "line", "row", "col", "page", "sheet", "cell", "bbox")

# codec: document field → documents column; organisation fields → their column; the row lists and their tables
DOC_COLUMNS: dict[str, str] = {
    "year": "year",
    "project": "project_name",
    "money_unit": "money_unit",
    "source": "source",
    "goal": "goal",
    "total_weight": "total_weight",
    "total_score": "total_score",
    "grade": "grade",
    "total_source": "total_source",
    "project_type": "project_type",
    "fund_use": "fund_use",
    "start": "start_date",
    "end": "end_date",
    "total_budget": "total_budget",
    "annual_budget": "annual_budget",
    "previous_budget": "previous_budget",
    "previous_executed": "previous_executed",
    "overall_goal": "overall_goal",
    "annual_goal": "annual_goal",
    "final_accounts": "final_accounts",
    "score": "score",
    "conclusion": "conclusion",
    "performance": "performance",
    "problems": "problems",
    "suggestions": "suggestions",
    "rectification": "rectification",
}
ORG_COLUMNS = {"department": "department_id", "implementing_unit": "unit_id", "unit": "unit_id"}
ROW_TABLES = {"funds": "funds", "indicators": "indicators", "subprojects": "subprojects"}
JSON_COLUMNS = frozenset(
    {
        "goal",
        "total_source",
        "project_type",
        "fund_use",
        "problems",
        "suggestions",
        "rectification",
        "source",
        "extra",
    }
)
_ROW_META = frozenset({"id", "document_id", "ordinal", "extra"})
_ROW_JSON = frozenset({"source", "cells", "extra"})
_FINDING_META = frozenset({"id", "sha256", "document_id", "ordinal", "extra"})
_FINDING_JSON = frozenset({"expected", "actual", "source", "extra"})


def number(v: Any) -> Any:
    """model._number: integral floats print as integers."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def ref_dict(data: Any) -> dict[str, Any] | None:
    """A stored source reference as SourceRef.to_dict gives it: its fields in order, None left out."""
    if data is None:
        return None
    out: dict[str, Any] = {}
    for k in REF_FIELDS:
        v = data.get(k)
        if v is not None:
            out[k] = [float(x) for x in v] if k == "bbox" else v
    return out


def _cell_ref(diff: Any, base: dict[str, Any]) -> dict[str, Any]:
    """codec._cell_ref: a cell's stored difference from its row's source, as a reference."""
    if isinstance(diff, int):
        return {**base, "col": diff}
    return {k: v for k, v in {**base, **diff}.items() if v is not None}


def _value(kind: str, value: Any, default: Any) -> Any:
    """A field's v1 value (model._v1_value of what the model would hold) from a stored value, None if absent."""
    if value is None:
        return [] if default == "[]" else {} if default == "{}" else default
    if kind == "f":
        return number(float(value))
    if kind == "d":
        return value if isinstance(value, str) else value.isoformat()
    if kind == "[s]" or kind == "{i}":
        return list(value) if kind == "[s]" else dict(value)
    if kind.startswith("["):
        return [traced(kind[1:-1], item) for item in value]
    if kind[:1].isupper():
        return traced(kind, value)
    return value


def traced(cls: str, data: dict[str, Any]) -> dict[str, Any]:
    """model._v1_obj of a row-like object (``data``: its fields as stored in JSON, or a row's columns)."""
    out: dict[str, Any] = {}
    for name, kind, default in FIELDS[cls]:
        if kind not in ("ref", "cells"):
            out[name] = _value(kind, data.get(name), default)
    source = ref_dict(data.get("source"))
    if source is not None:
        out["provenance"] = {"source": source}
        cells = data.get("cells") or {}
        if cells:
            out["provenance"]["cells"] = {k: ref_dict(c) for k, c in cells.items()}
    return out


def finding(data: dict[str, Any]) -> dict[str, Any]:
    """Finding.to_dict (``model_dump(mode="json", exclude_none=True)``) of a finding as stored."""
    out: dict[str, Any] = {}
    for name, kind in FINDING_FIELDS:
        v = data.get(name)
        if v is None:
            continue
        if kind == "ref":
            v = ref_dict(v)
        elif kind == "f" or (kind == "ef" and isinstance(v, int | float) and not isinstance(v, bool)):
            v = float(v)
        out[name] = v
    return out


def document(
    row: dict[str, Any],
    orgs: dict[int, str],
    children: dict[str, list[dict[str, Any]]],
    found: list[dict[str, Any]],
) -> dict[str, Any]:
    """to_v1(codec.load_document(...)) of one stored document: its fields from their columns (organisations by
    name), its rows, its findings, and what the row's ``extra`` holds."""
    kind = str(row["kind"])
    spec = FIELDS[kind]
    names = {n for n, _k, _d in spec}
    data: dict[str, Any] = {}
    for field, column in DOC_COLUMNS.items():
        if field in names and row[column] is not None:
            data[field] = row[column]
    for field, column in ORG_COLUMNS.items():
        if field in names and row[column] is not None:
            data[field] = orgs[int(row[column])]
    for field in ROW_TABLES:
        if field in names:
            data[field] = children.get(field, [])
    if row["extra"]:
        data.update(row["extra"])
    out: dict[str, Any] = {"kind": kind}
    for name, k, default in spec:
        if k in ("kind", "ref", "cells", "findings"):
            continue
        out[name] = _value(k, data.get(name), default)
    if out.pop("period_in_months", False):
        out.update({k: out[k][:7] for k in ("start", "end") if out.get(k)})
    prov: dict[str, Any] = {}
    for name in ("source", "total_source"):
        ref = ref_dict(data.get(name))
        if ref is not None:
            prov[name] = ref
    if data.get("cells"):
        prov["cells"] = {k: ref_dict(c) for k, c in data["cells"].items()}
    if prov:
        out["provenance"] = prov
    if found:
        out["findings"] = found
    return out


def load_documents(reader: Reader, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """query.load_documents, as v1 JSON objects by id."""
    wanted = list(ids)
    rows: dict[int, dict[str, Any]] = {}
    for batch in _chunks(wanted):
        for r in reader.records(DOCUMENT_ROWS, batch, ids=_marks(batch)):
            for c in JSON_COLUMNS:
                r[c] = reader.json(r[c])
            rows[int(r["id"])] = r
    org_ids = sorted(
        {int(v) for r in rows.values() for v in (r["unit_id"], r["department_id"]) if v is not None}
    )
    orgs: dict[int, str] = {}
    for batch in _chunks(org_ids):
        orgs.update({int(i): str(n) for i, n in reader.rows(ORGANISATION_NAMES, batch, ids=_marks(batch))})
    children: dict[int, dict[str, list[dict[str, Any]]]] = {}
    doc_ids = sorted(rows)
    for field, table in ROW_TABLES.items():
        for batch in _chunks(doc_ids):
            for r in reader.records(CHILD_ROWS, batch, ids=_marks(batch), table=table):
                data = {
                    c: reader.json(v) if c in _ROW_JSON else v for c, v in r.items() if c not in _ROW_META
                }
                data = {c: v for c, v in data.items() if v is not None}
                if "cells" in data:
                    base = data.get("source") or {}
                    data["cells"] = {k: _cell_ref(v, base) for k, v in data["cells"].items()}
                extra = reader.json(r["extra"])
                if extra:
                    data.update(extra)
                children.setdefault(int(r["document_id"]), {}).setdefault(field, []).append(data)
    found: dict[int, list[dict[str, Any]]] = {}
    for batch in _chunks(doc_ids):
        for r in reader.records(FINDING_ROWS, batch, ids=_marks(batch)):
            data = {
                c: reader.json(v) if c in _FINDING_JSON else v for c, v in r.items() if c not in _FINDING_META
            }
            data = {c: v for c, v in data.items() if v is not None}
            extra = reader.json(r["extra"])
            if extra:
                data.update(extra)
            found.setdefault(int(r["document_id"]), []).append(finding(data))
    return {i: document(rows[i], orgs, children.get(i, {}), found.get(i, [])) for i in wanted if i in rows}


# --- what show prints of them (jixiao.store.views over the v1 objects) -------------------------------------------


def fmt(v: float | None) -> str:
    """query.fmt: thousands separated, at most two decimals, ``—`` when missing."""
    if v is None:
        return "—"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def doc_label(e: dict[str, Any]) -> str:
    """query.doc_label: ``2022 自评``."""
    return f"{e['year'] or '?'} {KIND_SHORT.get(e['kind'], e['kind'])}"


def headline(doc: dict[str, Any]) -> str:
    """views.headline: one line per document, the key numbers in words."""
    unit = doc.get("money_unit") or ""
    kind = doc["kind"]
    if kind == "self_evaluation":
        total = next((f for f in doc["funds"] if f["line"].startswith("年度资金总额")), None)
        money = ""
        if total is not None:
            money = f"执行 {fmt(total['executed'])} / 预算 {fmt(total['annual_budget'])} {unit}"
            if total["execution_rate"] is not None:
                money += f"（{fmt(total['execution_rate'])}%）"
        grade = f" {doc['grade']}" if doc["grade"] else ""
        return (
            f"自评 {fmt(doc['total_score'])}/{fmt(doc['total_weight'])} 分{grade}；{money}；"
            f"指标 {len(doc['indicators'])} 项"
        )
    if kind == "target_declaration":
        return (
            f"当年预算 {fmt(doc['annual_budget'])} {unit}；目标 {len(doc['indicators'])} 项；"
            f"{(doc['annual_goal'] or '')[:40]}"
        )
    return (
        f"评价 {fmt(doc['score'])} 分 {doc['conclusion'] or ''}；决算 {fmt(doc['final_accounts'])} {unit}；"
        f"问题 {len(doc['problems'])} 条"
    )


def _cell_text(ind: dict[str, Any], declared: bool) -> str:
    """views.MatrixCell.text: the target (申报), or target → actual with score/weight (自评)."""
    if declared:
        return ind["target"] or ""
    return f"{ind['target'] or ''} → {ind['actual'] or ''}  {fmt(ind['score'])}/{fmt(ind['weight'])}"


def indicator_matrix(
    documents: list[dict[str, Any]], docs: dict[int, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[str, str, dict[int, str]]]] | None:
    """views.indicator_matrix as text: the columns (entries) and per indicator (一级, 三级, text by document);
    None when no document has indicators.  Copies of one form add no column."""
    cols = [
        e
        for e in documents
        if e["method"] != "copy"
        and e["id"] in docs
        and docs[e["id"]]["kind"] in ("self_evaluation", "target_declaration")
    ]
    if not cols:
        return None
    rows: dict[tuple[str, str], tuple[str, str, dict[int, str]]] = {}
    for e in cols:
        doc = docs[e["id"]]
        for ind in doc["indicators"]:
            key = (ind["level1"] or "", ind["name"])
            row = rows.setdefault(key, (key[0], key[1], {}))
            row[2][e["id"]] = _cell_text(ind, doc["kind"] == "target_declaration")
    return cols, list(rows.values())


def finding_text(f: dict[str, Any]) -> str:
    """Finding.render: ``where: code severity message`` (SourceRef.label)."""
    src = f.get("source")
    where = "<input>"
    if src is not None:
        where = src.get("path") or "<input>"
        if src.get("sheet") is not None:
            where = f"{where}:{src['sheet']}!{src.get('cell') or ''}".rstrip("!")
        elif src.get("page") is not None:
            where = f"{where}:p{src['page']}"
        elif src.get("line") is not None:
            where = f"{where}:{src['line']}"
        elif src.get("table") is not None:
            where = f"{where}:table{src['table']}"
    return f"{where}: {f['code']} {f['severity']} {f['message']}"
