"""``jixiao db check`` and ``jixiao db upgrade``: is the store sound, and bring its schema to the newest.

The check has two halves.  The database's own: SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``;
on PostgreSQL a catalog sanity check (every table of the schema present with its columns, no index left invalid
by an interrupted ``CREATE INDEX``).  Then the store's invariants, which hold after any interrupted command
because every file is written in one transaction: every document has its source file and its bytes (whose
SHA-256 and size match the key), every finding, fund, indicator, subproject and link its document, every path
its bytes.  An ingest that was killed before it finished leaves its run without ``finished_at``: that is noted,
not an error (nothing half-written remains, and re-running the ingest completes it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select, text

from jixiao.store import schema
from jixiao.store.engine import HEAD, current_revision, is_sqlite, migrate, table_names

MAX_LISTED = 5  # problems of one kind named in full; the rest are counted


@dataclass(slots=True)
class CheckReport:
    """What ``jixiao db check`` found: problems (the store is not sound) and notes (worth knowing, harmless)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(engine: Engine, *, hashes: bool = True) -> CheckReport:
    """Run the database's integrity check and the store's invariants; ``hashes`` re-hashes every source file."""
    report = CheckReport()
    with engine.connect() as conn:
        if is_sqlite(conn):
            _sqlite_checks(conn, report)
        elif conn.dialect.name == "postgresql":
            _postgres_checks(conn, report)
        revision = current_revision(conn)
        if revision != HEAD:
            report.problems.append(
                f"数据库架构版本为 {revision or '（无）'}，本程序需要 {HEAD}；请运行 jixiao db upgrade"
            )
        present = table_names(conn)
        missing = set(schema.metadata.tables) - present
        if missing:
            report.problems.append(f"缺少表：{'、'.join(sorted(missing))}")
        else:
            _invariants(conn, report, hashes=hashes)
        conn.rollback()
    return report


def _sqlite_checks(conn: Connection, report: CheckReport) -> None:
    rows = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check(20)"))]
    if rows != ["ok"]:
        lines = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip()]
        report.problems.append(f"SQLite 完整性检查未通过：{_listed(lines)}")
    fk = list(conn.execute(text("PRAGMA foreign_key_check")))
    if fk:
        tables = sorted({str(r[0]) for r in fk})
        report.problems.append(f"{len(fk)} 行的外键指向不存在的行（表：{'、'.join(tables)}）")


def _postgres_checks(conn: Connection, report: CheckReport) -> None:
    """Catalog sanity: the schema's tables and their columns exist, and no index is invalid or not ready."""
    cols = conn.execute(
        text(
            "SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a "
            "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
        )
    )
    have: dict[str, set[str]] = {}
    for table, column in cols:
        have.setdefault(str(table), set()).add(str(column))
    for name, table in schema.metadata.tables.items():
        if name in have:
            lost = {c.name for c in table.columns} - have[name]
            if lost:
                report.problems.append(f"表 {name} 缺少列：{'、'.join(sorted(lost))}")
    bad = [
        str(r[0])
        for r in conn.execute(
            text(
                "SELECT ic.relname FROM pg_catalog.pg_index i "
                "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)"
            )
        )
    ]
    if bad:
        report.problems.append(f"索引无效（可能是建索引时被中断）：{_listed(bad)}；可用 REINDEX 重建")


def _orphans(conn: Connection, child: str, column: str, parent: str, key: str) -> tuple[int, list[str]]:
    """How many rows of ``child`` have a ``column`` (when set) that names no row of ``parent``, and a few of
    the values."""
    c, p = schema.metadata.tables[child], schema.metadata.tables[parent]
    where = (c.c[column].is_not(None), ~select(p.c[key]).where(p.c[key] == c.c[column]).exists())
    count = int(conn.execute(select(func.count()).select_from(c).where(*where)).scalar_one())
    if not count:
        return 0, []
    sample = select(c.c[column]).where(*where).distinct().limit(MAX_LISTED)
    return count, [str(v) for v in conn.execute(sample).scalars()]


_REFERENCES = (  # (child table, column, parent table, key, what the child is)
    ("documents", "sha256", "source_files", "sha256", "文档的原始文件"),
    ("findings", "document_id", "documents", "id", "检查结果所属的文档"),
    ("findings", "sha256", "source_files", "sha256", "检查结果所属的原始文件"),
    ("funds", "document_id", "documents", "id", "资金行所属的文档"),
    ("indicators", "document_id", "documents", "id", "指标行所属的文档"),
    ("subprojects", "document_id", "documents", "id", "子项目所属的文档"),
    ("links", "document_id", "documents", "id", "项目关联的文档"),
    ("links", "project_id", "projects", "id", "项目关联的项目"),
    ("file_paths", "sha256", "source_files", "sha256", "文件路径对应的原始文件"),
    ("documents", "run_id", "ingest_runs", "id", "文档的入库记录"),
    ("run_files", "run_id", "ingest_runs", "id", "入库文件记录的入库批次"),
)


def _invariants(conn: Connection, report: CheckReport, *, hashes: bool) -> None:
    for name in ("source_files", "documents", "findings", "projects", "ingest_runs"):
        table = schema.metadata.tables[name]
        report.counts[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    for child, column, parent, key, what in _REFERENCES:
        count, sample = _orphans(conn, child, column, parent, key)
        if count:
            report.problems.append(f"{count} 行 {child}.{column} 指向不存在的{what}（{'、'.join(sample)}…）")
    bad = list(_bad_contents(conn, hashes=hashes))
    if bad:
        report.problems.append(f"原始文件内容与记录不符：{_listed(bad)}")
    runs = schema.ingest_runs
    open_runs = [
        int(r)
        for r in conn.execute(
            select(runs.c.id).where(runs.c.finished_at.is_(None)).order_by(runs.c.id)
        ).scalars()
    ]
    if open_runs:
        report.notes.append(
            f"{len(open_runs)} 次入库没有正常结束（第 {_listed([str(r) for r in open_runs])} 次，可能被中断）；"
            "已入库的文件都是完整的，重新运行同样的 jixiao ingest 即可补全"
        )


def _bad_contents(conn: Connection, *, hashes: bool) -> Iterator[str]:
    """Source files whose stored bytes are missing, or whose size or SHA-256 differ from the row's key."""
    sf = schema.source_files
    if not hashes:
        q = select(sf.c.sha256, sf.c.name).where(
            (func.length(sf.c.content) != sf.c.size) | sf.c.content.is_(None)
        )
        for sha, name in conn.execute(q):
            yield f"{name}（{str(sha)[:12]}）"
        return
    last = ""
    while True:  # in batches by key, so that a large store is not held in memory at once
        q = (
            select(sf.c.sha256, sf.c.name, sf.c.size, sf.c.content)
            .where(sf.c.sha256 > last)
            .order_by(sf.c.sha256)
            .limit(64)
        )
        rows = list(conn.execute(q))
        if not rows:
            return
        for row in rows:
            content: bytes | None = row[3]
            data = bytes(content) if content is not None else b""
            if content is None or len(data) != row[2] or hashlib.sha256(data).hexdigest() != row[0]:
                yield f"{row[1]}（{str(row[0])[:12]}）"
        last = str(rows[-1][0])


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:MAX_LISTED])
    return shown + (f" 等 {len(items)} 项" if len(items) > MAX_LISTED else "")


def upgrade_store(engine: Engine) -> tuple[str | None, str]:
    """Migrate the store to the newest schema; returns (revision before, revision after)."""
    with engine.connect() as conn:
        before = current_revision(conn)
        conn.rollback()
    migrate(engine)
    with engine.connect() as conn:
        after = current_revision(conn)
        conn.rollback()
    return before, after or HEAD
