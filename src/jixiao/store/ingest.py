"""The database side of ingest: parsed files → the store, many files per transaction, each in a savepoint.

A file goes in whole (its bytes, every document with all rows, every finding) or not at all, and the reason is
recorded in ``run_files`` and returned.  Bytes already stored at the same path are a no-op; the same bytes at a new
path only record the path; new bytes at a known path become that path's next version and the old version's
documents stay, marked not current.  Reading, parsing and checking are :mod:`jixiao.ingest`'s (the pipeline, in
worker processes); this module only keeps what it is given, and imports no reader, parser or rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.sql import sqltypes

from jixiao.model import Finding
from jixiao.store import codec, schema
from jixiao.store.engine import _BEGIN_OPTION, is_sqlite, writing

Outcome = Literal["added", "new_version", "copy", "unchanged", "refused"]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file.

    Attributes:
        path: the file as named (absolute).
        outcome: ``added`` (new bytes), ``new_version`` (new bytes at a known path), ``copy`` (known bytes at a
            new path), ``unchanged`` (known bytes at this path) or ``refused`` (nothing stored).
        reason: why a file was refused (one line), else None.
        documents: documents stored from this file.
        sha256: the file's SHA-256 when it could be read.
    """

    path: str
    outcome: Outcome
    reason: str | None = None
    documents: int = 0
    sha256: str | None = None


@dataclass(slots=True)
class IngestReport:
    """One ingest run: its id, what happened to each file, and whether it was cut short (Ctrl-C).

    Attributes:
        run_id: the ``ingest_runs`` row.
        files: the outcome of each file whose fate is committed, in order.
        not_stored: files found but never written because the run was interrupted.
        interrupted: whether the run was stopped before its last file.
    """

    run_id: int
    files: list[FileOutcome] = field(default_factory=list)
    not_stored: list[str] = field(default_factory=list)
    interrupted: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def documents(self) -> int:
        return sum(f.documents for f in self.files)

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == "refused"]


@dataclass(frozen=True, slots=True)
class FileJob:
    path: str
    data: bytes
    sha256: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@cache
def installed_version() -> str:
    """The installed jixiao's version, recorded with each run (read from the package metadata: the store does not
    import the package's top level, which loads the parsers)."""
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:
        return "未安装"


def start_run(engine: Engine, args: Sequence[str]) -> int:
    with writing(engine) as conn:
        run_id: int = conn.execute(
            insert(schema.ingest_runs)
            .values(
                started_at=_now(),
                version=installed_version(),
                host=socket.gethostname(),
                pid=os.getpid(),
                args=list(args),
                files_added=0,
                files_unchanged=0,
                files_refused=0,
                documents_added=0,
            )
            .returning(schema.ingest_runs.c.id)
        ).scalar_one()
    return run_id


def finish_run(engine: Engine, report: IngestReport) -> None:
    with writing(engine) as conn:
        conn.execute(
            update(schema.ingest_runs)
            .where(schema.ingest_runs.c.id == report.run_id)
            .values(
                finished_at=_now(),
                files_added=report.count("added") + report.count("new_version"),
                files_unchanged=report.count("unchanged") + report.count("copy"),
                files_refused=report.count("refused"),
                documents_added=report.documents,
            )
        )


# --- one file, one transaction ---------------------------------------------------------------------------------


_SF, _FP, _DOC, _ORG = schema.source_files, schema.file_paths, schema.documents, schema.organisations
_ORGS = select(_ORG.c.id, _ORG.c.name, _ORG.c.parent_id).where(
    _ORG.c.name.in_(bindparam("names", expanding=True))
)
_SET_PARENT = (
    update(_ORG)
    .where(_ORG.c.id == bindparam("unit"), _ORG.c.parent_id.is_(None))
    .values(parent_id=bindparam("dept"))
)
_STORED = select(_SF.c.sha256).where(_SF.c.sha256 == bindparam("sha"))

_DOC_COLUMNS = tuple(c.name for c in _DOC.columns if c.name != "id")
_DOC_VALUES = itemgetter(*_DOC_COLUMNS)
_DOC_DATES = tuple(i for i, c in enumerate(_DOC_COLUMNS) if isinstance(_DOC.c[c].type, sqltypes.Date))


@lru_cache(maxsize=8)
def _state_sql(dialect: Any) -> str:
    """One round trip for every file: are these bytes stored, and what does the path hold now."""
    mark = _PLACEHOLDER.get(str(dialect.paramstyle), "?")
    return (
        f"SELECT 'stored', sha256, 0 FROM source_files WHERE sha256 = {mark} UNION ALL "
        f"SELECT 'latest', sha256, version FROM (SELECT sha256, version FROM file_paths WHERE path = {mark} "
        "ORDER BY version DESC LIMIT 1) AS latest"
    )


def file_state(conn: Connection, job: FileJob) -> tuple[bool, tuple[str, int] | None]:
    """(whether the bytes are stored, the path's newest version as (sha256, version) or None)."""
    stored, latest = False, None
    for what, sha, version in _driver(conn, _state_sql(conn.dialect), (job.sha256, job.path)):
        if what == "stored":
            stored = True
        else:
            latest = (str(sha), int(version))
    return stored, latest


def _add_path(
    conn: Connection, run_id: int, job: FileJob, latest: tuple[str, int] | None, *, new_bytes: bool
) -> None:
    """Record ``job.path`` as holding ``job.sha256`` now (the version after ``latest``) and refresh which
    documents are current (only needed when the path held other bytes before, or these bytes were stored)."""
    version = (latest[1] + 1) if latest else 1
    _put(
        conn,
        "file_paths",
        {"path": job.path, "sha256": job.sha256, "version": version, "run_id": run_id, "seen_at": _now()},
    )
    if latest is not None or not new_bytes:
        _refresh_current(conn, {job.sha256, *([latest[0]] if latest else [])})


def _refresh_current(conn: Connection, shas: set[str]) -> None:
    """A file's documents are current while its bytes are the newest version of at least one path."""
    fp, f2 = schema.file_paths, schema.file_paths.alias("f2")
    newest = select(func.max(f2.c.version)).where(f2.c.path == fp.c.path).scalar_subquery()
    q = select(fp.c.sha256).where(fp.c.sha256.in_(shas), fp.c.version == newest)
    live = {str(s) for s in conn.execute(q).scalars()}
    d = schema.documents
    for sha in shas:
        conn.execute(
            update(d).where(d.c.sha256 == sha, d.c.current != (sha in live)).values(current=sha in live)
        )


class OrgCache:
    """Organisations a batch has looked up or made, name → (id, parent id): ids learned inside a file's savepoint
    are ``pending`` until the savepoint is released (:meth:`keep`) or rolled back (:meth:`drop`)."""

    __slots__ = ("known", "pending")

    def __init__(self) -> None:
        self.known: dict[str, tuple[int, int | None]] = {}
        self.pending: dict[str, tuple[int, int | None]] = {}

    def get(self, name: str) -> tuple[int, int | None] | None:
        return self.pending.get(name) or self.known.get(name)

    def keep(self) -> None:
        self.known.update(self.pending)
        self.pending.clear()

    def drop(self) -> None:
        self.pending.clear()


def organisation_ids(
    conn: Connection, names: Sequence[str], parents: Sequence[tuple[str, str]], cache: OrgCache | None = None
) -> dict[str, int]:
    """Ids of the organisations named, created when new; a unit learns its 主管部门 from ``parents``.  With
    ``cache``, names it knows are not asked again and what is learned goes into it."""
    if not names:
        return {}
    wanted = sorted(set(names))
    rows: dict[str, tuple[int, int | None]] = {}
    if cache is not None:
        for n in wanted:
            if (hit := cache.get(n)) is not None:
                rows[n] = hit
    ask = [n for n in wanted if n not in rows]
    if ask:
        rows.update({str(n): (int(i), p) for i, n, p in conn.execute(_ORGS, {"names": ask})})
    missing = [n for n in wanted if n not in rows]
    if missing:
        insert_ignoring_duplicates(conn, _ORG, [{"name": n} for n in missing])
        rows.update({str(n): (int(i), p) for i, n, p in conn.execute(_ORGS, {"names": missing})})
    ids = {n: i for n, (i, _p) in rows.items()}
    orphans = {i for i, p in rows.values() if p is None}
    todo = [{"unit": ids[u], "dept": ids[d]} for u, d in parents if ids[u] != ids[d] and ids[u] in orphans]
    if todo:
        conn.execute(_SET_PARENT, todo)
        for u, d in parents:
            if ids[u] != ids[d] and ids[u] in orphans and rows[u][1] is None:
                rows[u] = (ids[u], ids[d])
    if cache is not None:
        for n in ask:
            cache.pending[n] = rows[n]
        for u, _d in parents:
            cache.pending[u] = rows[u]
    return ids


def insert_ignoring_duplicates(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT that leaves rows another transaction already inserted (same unique key) alone."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as lite_insert

        conn.execute(lite_insert(table).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - other databases: plain insert, a duplicate fails the file and it is retried
        conn.execute(insert(table), rows)


_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _driver(
    conn: Connection, sql: str, params: Sequence[Any] = (), *, many: bool = False
) -> list[tuple[Any, ...]]:
    """One statement on the connection's own DBAPI cursor, inside the transaction (or savepoint) ``conn`` has
    open; the rows it returns, if any.  The writer's statements are text with plain parameters (made once per
    table and columns, values processed where the rows were prepared), so SQLAlchemy's execution layer (events,
    result set-up, per call about as much as SQLite's insert of a row) did nothing for them but cost: a file
    writes about ten.  A driver error is raised as SQLAlchemy raises it (``IntegrityError`` …), so the retries
    and refusals see the same exceptions."""
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.cursor()
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description is not None else []
    except dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...]) -> str:
    return _insert_text(conn.dialect, table, columns)


@lru_cache(maxsize=64)
def _insert_text(dialect: Any, table: str, columns: tuple[str, ...]) -> str:
    mark = _PLACEHOLDER.get(str(dialect.paramstyle))
    if mark is None:  # pragma: no cover - a driver with named parameters
        mark = ":p"
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([mark] * len(columns))})"


@lru_cache(maxsize=64)
def _binders(dialect: Any, table: str, columns: tuple[str, ...]) -> tuple[Any, ...]:
    """Each column's bind processor on this dialect (None when the driver takes the value as it is): the value
    SQLAlchemy would send, e.g. SQLite's text form of a timestamp."""
    cols = schema.metadata.tables[table].c
    return tuple(cols[c].type.bind_processor(dialect) for c in columns)


def _put(conn: Connection, table: str, row: Mapping[str, Any]) -> None:
    """One row through the driver: the statement is text made once per table and columns, and the values are
    processed as SQLAlchemy would (no compiling per row; a file writes several such rows)."""
    columns = tuple(row)
    values = tuple(
        v if (bind := b) is None or v is None else bind(v)
        for v, b in zip(row.values(), _binders(conn.dialect, table, columns), strict=True)
    )
    _driver(conn, _insert_sql(conn, table, columns), values)


def _executemany(conn: Connection, table: str, bulk: codec.Bulk, ids: Sequence[int]) -> None:
    """Many plain rows at once through the driver (SQLAlchemy's per-row parameter processing skipped: the
    rows were serialised where the file was parsed); the document index in each row becomes its id."""
    rows = [(None if r[0] is None else ids[r[0]], *r[1:]) for r in bulk.rows]
    _driver(conn, _insert_sql(conn, table, bulk.columns), rows, many=True)


def _insert_documents(conn: Connection, sha: str, rows: list[dict[str, Any]]) -> list[int]:
    """The file's ``documents`` rows through the driver (JSON arrives serialised; SQLite gets dates as the
    ISO text SQLAlchemy stores), then their ids in file order, by (sha256, ordinal), which is unique."""
    values = [_DOC_VALUES(r) for r in rows]
    if conn.dialect.name == "sqlite":
        for k, row in enumerate(values):
            if any(row[i] is not None for i in _DOC_DATES):
                fixed = list(row)
                for i in _DOC_DATES:
                    if isinstance(fixed[i], dt.date):
                        fixed[i] = fixed[i].isoformat()
                values[k] = tuple(fixed)
    _driver(conn, _insert_sql(conn, "documents", _DOC_COLUMNS), values, many=True)
    mark = _PLACEHOLDER.get(str(conn.dialect.paramstyle), "?")
    q = f"SELECT id FROM documents WHERE sha256 = {mark} ORDER BY ordinal"
    return [int(i) for (i,) in _driver(conn, q, (sha,))]


def write_prepared(
    conn: Connection, run_id: int, sha: str, prepared: codec.PreparedFile, cache: OrgCache | None = None
) -> int:
    """Insert a prepared file's documents, rows and findings; returns how many documents."""
    names = [n for orgs in prepared.organisations for n in orgs.values()]
    org_ids = organisation_ids(conn, names, prepared.parents, cache)
    doc_rows = [
        {
            **row,
            **{col: org_ids[n] for col, n in orgs.items()},
            "sha256": sha,
            "ordinal": k,
            "current": True,
            "run_id": run_id,
        }
        for k, (row, orgs) in enumerate(zip(prepared.documents, prepared.organisations, strict=True), 1)
    ]
    ids = _insert_documents(conn, sha, doc_rows) if doc_rows else []
    for table, bulk in prepared.bulk.items():
        _executemany(conn, table, bulk, ids)
    return len(ids)


# A file as the pipeline left it: its rows, the reason it is refused (a str), or None when its bytes were
# stored already (nothing to parse).
Parsed = codec.PreparedFile | str | None
# Parses a job's bytes after all (its bytes were stored when the job was made and are gone when it is written).
Parser = Callable[[FileJob], codec.PreparedFile | str]


def _unparsed(job: FileJob) -> str:
    return f"{job.path}: 入库时未解析（写入前其内容已从库中删除），请重新入库"


def store_file(
    engine: Engine, run_id: int, job: FileJob, parsed: Parsed, parse: Parser = _unparsed
) -> FileOutcome:
    """Store one file in one transaction (and log it); ``parsed`` is None when the bytes were known already.

    A database error rolls the whole file back and refuses it with the database's reason; a unique-key clash
    (another process stored the same bytes or path version first) is looked at again, twice at most.
    """
    failure: SQLAlchemyError | None = None
    for attempt in range(3):
        try:
            with writing(engine) as conn:
                outcome = _store_file(conn, run_id, job, parsed, parse)
                _put(conn, "run_files", {"run_id": run_id, **_log(outcome)})
                return outcome
        except IntegrityError as exc:
            if attempt < 2:
                continue
            failure = exc
        except SQLAlchemyError as exc:
            failure = exc
        break
    why = _db_reason(failure) if failure is not None else "未知错误"
    outcome = FileOutcome(job.path, "refused", f"{job.path}: 写入数据库失败（{why}）", sha256=job.sha256)
    with writing(engine) as conn:
        _put(conn, "run_files", {"run_id": run_id, **_log(outcome)})
    return outcome


# --- many files, one transaction (group commit) -------------------------------------------------------------------

BATCH_FILES = 100  # a batch commits after this many files …
BATCH_SECONDS = 0.5  # … or after holding the write lock this long, whichever comes first
_SQLITE_GAP_S = 0.05  # after a batch cut by time: long enough for a waiting SQLite writer (it polls ≤ 100 ms)
# PostgreSQL's unique violation, serialisation failure and deadlock; SQLite's unique and primary key clashes
_RETRY_STATES = frozenset({"23505", "40001", "40P01"})
_RETRY_SQLITE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def _retryable(exc: SQLAlchemyError) -> bool:
    """A clash with another writer (the bytes or path version stored first elsewhere, a deadlock): worth one
    more look in a fresh transaction.  Other errors (a NULL where none may be, …) would only fail again."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRY_STATES:
        return True
    return isinstance(exc, IntegrityError) and getattr(orig, "sqlite_errorname", None) in _RETRY_SQLITE


class _Broken(Exception):
    """The batch's transaction cannot go on (a savepoint would not roll back)."""


class GroupWriter:
    """Files written many to a transaction, each in a SAVEPOINT of its own (group commit).

    A file that fails rolls back to its savepoint only: it is refused with the database's reason (logged in
    ``run_files`` in the same transaction) and the batch's other files still commit; every file goes in whole
    or not at all.  A batch commits after ``max_files`` files or ``max_seconds``, whichever comes first, and
    whenever :meth:`flush` is called (``ingest_files`` does before it waits for a file to be parsed), so another
    process writing the same SQLite database gets its turn.  Outcomes reach ``on_file`` once their batch has
    committed, in the order the files were added.  Should the batch's transaction itself fail, its files are
    written again one transaction each (:func:`store_file`).
    """

    def __init__(
        self,
        engine: Engine,
        run_id: int,
        *,
        parse: Parser = _unparsed,
        on_file: Callable[[FileOutcome], None] | None = None,
        max_files: int = BATCH_FILES,
        max_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.engine, self.run_id, self.parse, self.on_file = engine, run_id, parse, on_file
        self.max_files, self.max_seconds = max(1, max_files), max_seconds
        self._conn: Connection | None = None
        self._tx: Any = None
        self._since = 0.0
        self._pending: list[tuple[FileJob | FileOutcome, Parsed, FileOutcome]] = []
        self._orgs = OrgCache()

    def __enter__(self) -> GroupWriter:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is None:
            self.flush()
        else:
            self._close(commit=False)

    def add(self, job: FileJob | FileOutcome, parsed: Parsed = None) -> None:
        """Write one file (or log one already refused) in the open batch, starting one when none is open."""
        try:
            conn = self._begin()
            if isinstance(job, FileOutcome):
                outcome = job
                _put(conn, "run_files", {"run_id": self.run_id, **_log(outcome)})
            else:
                outcome = self._write(job, parsed)
        except (_Broken, SQLAlchemyError):
            self._redo(job, parsed)
            return
        self._pending.append((job, parsed, outcome))
        if len(self._pending) >= self.max_files:
            self.flush()
        elif time.monotonic() - self._since >= self.max_seconds:
            self.flush()
            if is_sqlite(self.engine):
                time.sleep(_SQLITE_GAP_S)

    def flush(self) -> None:
        """Commit the open batch (if any) and hand its outcomes on."""
        if self._tx is None:
            return
        try:
            self._close(commit=True)
        except SQLAlchemyError:
            self._redo()
            return
        self._emit()

    def _begin(self) -> Connection:
        if self._conn is None:
            conn = self.engine.connect()
            try:
                if is_sqlite(conn):
                    conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
                self._tx = conn.begin()
            except BaseException:
                conn.close()
                raise
            self._conn, self._since = conn, time.monotonic()
        return self._conn

    def _close(self, *, commit: bool) -> None:
        conn, tx = self._conn, self._tx
        self._conn, self._tx, self._orgs = None, None, OrgCache()
        if conn is None:
            return
        try:
            if commit:
                tx.commit()
            else:
                tx.rollback()
        finally:
            conn.close()

    def _write(self, job: FileJob, parsed: Parsed) -> FileOutcome:
        failure: SQLAlchemyError | None = None
        for attempt in range(3):
            conn = self._begin()
            savepoint = conn.begin_nested()
            try:
                outcome = _store_file(conn, self.run_id, job, parsed, self.parse, self._orgs)
                _put(conn, "run_files", {"run_id": self.run_id, **_log(outcome)})
                savepoint.commit()
            except SQLAlchemyError as exc:
                self._orgs.drop()
                try:
                    savepoint.rollback()
                except SQLAlchemyError as lost:
                    raise _Broken from lost
                failure = exc
                if attempt < 2 and _retryable(exc):
                    self.flush()  # our locks released, what the other writer committed seen afresh
                    continue
                break
            self._orgs.keep()
            return outcome
        why = _db_reason(failure) if failure is not None else "未知错误"
        outcome = FileOutcome(job.path, "refused", f"{job.path}: 写入数据库失败（{why}）", sha256=job.sha256)
        _put(self._begin(), "run_files", {"run_id": self.run_id, **_log(outcome)})
        return outcome

    def _redo(self, job: FileJob | FileOutcome | None = None, parsed: Parsed = None) -> None:
        """The batch's transaction failed: roll it back and write its files (and ``job``) one transaction each."""
        with suppress(SQLAlchemyError):  # a connection that is gone took its transaction with it
            self._close(commit=False)
        todo = [(j, p) for j, p, _o in self._pending]
        self._pending.clear()
        if job is not None:
            todo.append((job, parsed))
        for j, p in todo:
            if isinstance(j, FileOutcome):
                with writing(self.engine) as conn:
                    _put(conn, "run_files", {"run_id": self.run_id, **_log(j)})
                outcome = j
            else:
                outcome = store_file(self.engine, self.run_id, j, p, self.parse)
            self._pending.append((j, p, outcome))
        self._emit()

    def _emit(self) -> None:
        done, self._pending = self._pending, []
        if self.on_file is not None:
            for _j, _p, outcome in done:
                self.on_file(outcome)


def _db_reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _log(outcome: FileOutcome) -> dict[str, Any]:
    return {
        "path": outcome.path,
        "sha256": outcome.sha256,
        "outcome": outcome.outcome,
        "reason": outcome.reason,
        "documents": outcome.documents,
    }


def _store_file(
    conn: Connection, run_id: int, job: FileJob, parsed: Parsed, parse: Parser, orgs: OrgCache | None = None
) -> FileOutcome:
    stored, previous = file_state(conn, job)
    if stored and previous is not None and previous[0] == job.sha256:  # this path holds these bytes now
        return FileOutcome(job.path, "unchanged", sha256=job.sha256)
    if stored:  # stored bytes, new to this path (or an older version of it): record the path only
        _add_path(conn, run_id, job, previous, new_bytes=False)
        return FileOutcome(job.path, "copy", sha256=job.sha256)
    if parsed is None:  # the bytes were stored when the job was made and are gone now: parse them after all
        parsed = parse(job)
    if isinstance(parsed, str):
        return FileOutcome(job.path, "refused", parsed, sha256=job.sha256)
    if parsed.refusal is not None:
        return FileOutcome(job.path, "refused", parsed.refusal, sha256=job.sha256)
    _put(
        conn,
        "source_files",
        {
            "sha256": job.sha256,
            "size": len(job.data),
            "name": Path(job.path).name,
            "content": job.data,
            "run_id": run_id,
            "created_at": _now(),
        },
    )
    n = write_prepared(conn, run_id, job.sha256, parsed, orgs)
    _add_path(conn, run_id, job, previous, new_bytes=True)
    return FileOutcome(job.path, "new_version" if previous else "added", documents=n, sha256=job.sha256)


# --- after linking -----------------------------------------------------------------------------------------------


def stored(engine: Engine, sha: str) -> bool:
    """Whether these bytes are stored already (nothing to parse)."""
    with engine.connect() as conn:
        return conn.execute(_STORED, {"sha": sha}).first() is not None


def stored_hashes(engine: Engine, shas: Sequence[str]) -> set[str]:
    """Which of these bytes are stored already (one query for many files)."""
    if not shas:
        return set()
    with engine.connect() as conn:
        q = select(_SF.c.sha256).where(_SF.c.sha256.in_(sorted(set(shas))))
        return {str(s) for s in conn.execute(q).scalars()}


def documents_of_run(conn: Connection, run_id: int) -> list[int]:
    """Ids of the current documents a run stored or pointed a path at (its added and copied files)."""
    d, fp = schema.documents, schema.file_paths
    shas = select(fp.c.sha256).where(fp.c.run_id == run_id)
    q = select(d.c.id).where(d.c.current.is_(True), d.c.sha256.in_(shas)).order_by(d.c.id)
    return [int(i) for i in conn.execute(q).scalars()]


def replace_findings(
    engine: Engine, found: Mapping[int, Sequence[Finding]], codes: frozenset[str] | set[str]
) -> int:
    """Each document's findings with a code in ``codes`` replaced by ``found[document id]`` (in one
    transaction): how the cross-document findings of a linked project are kept.  Returns how many were written."""
    f, d = schema.findings, schema.documents
    written = 0
    with writing(engine) as conn:
        ids = sorted(found)
        for i in range(0, len(ids), 500):
            batch = ids[i : i + 500]
            conn.execute(f.delete().where(f.c.document_id.in_(batch), f.c.code.in_(sorted(codes))))
        ids = [i for i in ids if found[i]]  # the others only lose theirs
        if not ids:
            return 0
        shas: dict[int, str] = {}
        last: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            batch = ids[i : i + 500]
            shas.update(
                {int(k): str(v) for k, v in conn.execute(select(d.c.id, d.c.sha256).where(d.c.id.in_(batch)))}
            )
            q = (
                select(f.c.document_id, func.max(f.c.ordinal))
                .where(f.c.document_id.in_(batch))
                .group_by(f.c.document_id)
            )
            last.update({int(k): int(v) for k, v in conn.execute(q)})
        rows: list[dict[str, Any]] = []
        for doc_id in ids:
            if doc_id not in shas:
                continue
            for k, row in enumerate(codec.finding_rows(found[doc_id], shas[doc_id], doc_id), 1):
                rows.append({**row, "ordinal": last.get(doc_id, 0) + k})
        if rows:
            conn.execute(insert(f), rows)
            written = len(rows)
    return written
