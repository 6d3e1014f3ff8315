"""Engines: which database, how SQLite is tuned (WAL, busy timeout, BEGIN IMMEDIATE for writes), migrations,
and the one opener every command uses (:func:`open_store`).

The database is ``jixiao.db`` in the working directory unless ``--db`` or ``JIXIAO_DB`` names another: any
SQLAlchemy URL, or a plain file path for SQLite.  ``postgresql://`` URLs use psycopg 3.

:func:`open_store` refuses what is not a jixiao store and says what it found instead (random bytes, a text file,
another application's SQLite database and its tables, a truncated or corrupted SQLite file), checks the schema
version (an older one is upgraded by ``jixiao db upgrade``, never behind the user's back), never creates a store
for a read, opens a read-only SQLite file read-only, and turns every driver, dialect and connection error into
one :class:`StoreError` line naming the store and the cause.  Errors the database raises later (a page found
corrupted mid-command, a lost connection, a write to a read-only file) become :class:`StoreError` too.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, ProgrammingError

DEFAULT_FILE = "jixiao.db"
ENV_VAR = "JIXIAO_DB"
HEAD = "0012"  # the newest migration; tests check it against the migration scripts
BUSY_TIMEOUT_S = 120.0
CACHE_KIB = 32768  # SQLite page cache per connection: large files' rows and indexes stay in memory
_BEGIN_OPTION = "jixiao_begin"
QUICK_CHECK_MAX_BYTES = (
    int(os.environ.get("JIXIAO_QUICK_CHECK_MB", "256")) * 2**20
)  # SQLite quick_check on open
CONNECT_TIMEOUT_S = 10  # PostgreSQL: an unreachable server is an error after this long, not a hang
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be opened or migrated; the message is one line naming the cause."""


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` (or ``JIXIAO_DB``, or ``jixiao.db`` here); plain paths mean SQLite."""
    raw = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in raw:
        return f"sqlite:///{raw}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_text(value: Any) -> str:
    """JSON columns: compact, and Chinese as UTF-8 rather than \\u escapes (half the bytes)."""
    return _ENCODER.encode(value)


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a long busy timeout and explicit BEGIN control.

    Raises :class:`StoreError` for a URL that is not one, an unknown dialect or a driver that is not installed.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, readonly=readonly)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        return create_engine(url, pool_pre_ping=True, json_serializer=json_text, connect_args=connect_args)
    except NoSuchModuleError as exc:
        raise StoreError(
            f"{_safe(url)}: 不支持的数据库类型「{parsed.drivername}」（jixiao 支持 SQLite 文件与 postgresql://）"
        ) from exc
    except ImportError as exc:
        module = getattr(exc, "name", None) or str(exc)
        raise StoreError(
            f"{_safe(url)}: 缺少数据库驱动 {module}（未安装；jixiao 支持 SQLite 文件与 postgresql://）"
        ) from exc


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url}: 不是有效的数据库地址（应为 SQLite 文件路径或 postgresql://…）") from exc


def _sqlite_engine(url: str, database: str | None, *, readonly: bool = False) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"{database}: 目录不存在")
        if readonly:
            url = f"sqlite:///file:{quote(str(Path(database).expanduser().resolve()))}?mode=ro&uri=true"
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "isolation_level": None}, json_serializer=json_text
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: on SQLite it takes the write lock at BEGIN (``BEGIN IMMEDIATE``), so two
    processes never both read, then both try to write; everything inside commits or rolls back together."""
    with engine.connect() as conn:
        if is_sqlite(conn):
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            yield conn


def migrations_dir() -> Path:
    return Path(str(resources.files("jixiao.store") / "migrations"))


def current_revision(conn: Connection) -> str | None:
    """The migration the database is at, or None for an empty database."""
    try:
        with conn.begin_nested() if conn.in_transaction() else _null():
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):
        return None
    return None if row is None else str(row[0])


@contextmanager
def _null() -> Iterator[None]:
    yield


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, safely when several processes start at once."""
    with engine.connect() as probe:
        if current_revision(probe) == HEAD:
            probe.rollback()
            return
        probe.rollback()
    from alembic import command
    from alembic.config import Config

    with writing(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7242001)"))  # one migrator at a time
        if current_revision(conn) == HEAD:
            return
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir()))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(db: str | None = None, *, upgrade: bool = True) -> Engine:
    """The library's opener (kept for callers that predate :func:`open_store`): a store for writing, created
    and brought to the newest schema when ``upgrade`` (the default)."""
    return open_store(db, write=True, create=upgrade, upgrade=upgrade)


def open_store(
    db: str | None, *, write: bool, create: bool = False, upgrade: bool = False, verify: bool = True
) -> Engine:
    """Open the store ``db`` (see :func:`resolve_url`) for reading or writing, or raise :class:`StoreError`.

    Args:
        db: ``--db``: a SQLAlchemy URL or a SQLite file path; None for ``JIXIAO_DB`` or ``./jixiao.db``.
        write: the caller writes; a read-only store is refused with the reason instead of failing mid-way.
        create: a missing (or empty) store may be created, at the newest schema; reads never create.
        upgrade: an older schema is migrated to the newest (``jixiao db upgrade``); otherwise it is an error
            that says to run it.
        verify: check pages (SQLite ``quick_check``) and the schema version on open; ``jixiao db check`` and
            ``jixiao db upgrade`` turn it off, to report or repair what the check would refuse.  What is not a
            jixiao store is refused either way.
    """
    url = resolve_url(db)
    parsed = _parse(url)
    readonly = False
    if parsed.get_backend_name() == "sqlite":
        readonly = _sqlite_precheck(parsed.database, write=write, create=create)
    file = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        file = Path(str(parsed.database)).expanduser()
    if (
        file is not None
        and write
        and create
        and not file.exists()
        and not str(parsed.database).startswith("file:")
    ):
        _create_sqlite(file, _label(url))
    existing = file is not None and file.exists()
    # an existing SQLite file is looked at read-only first: another application's database is not switched to
    # WAL (which rewrites its header) before it is known to be a jixiao store
    engine = make_engine(url, readonly=readonly or existing)
    label = _label(url)
    try:
        with engine.connect() as conn:
            if file is not None and existing and verify:
                _sqlite_health(conn, label, file)
            tables = table_names(conn)
            conn.rollback()
        if existing and not readonly and (tables or (write and create)):
            engine.dispose()
            engine = make_engine(url)
        _check_schema(
            engine, label, tables, write=write, create=create, upgrade=upgrade, db=db, verify=verify
        )
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(_db_message(label, exc)) from exc
    except Exception as exc:  # a driver raises its own types before SQLAlchemy wraps them (e.g. a bad option)
        engine.dispose()
        raise StoreError(f"{label}: 无法打开数据库（{_first_line(exc)}）") from exc
    _watch(engine, label)
    return engine


def _create_sqlite(file: Path, label: str) -> None:
    """Create a new SQLite store whole or not at all: built at the newest schema under a temporary name in the
    same folder, then linked into place (``link`` never replaces a file, so when another process created the
    store meanwhile, that one is kept).  A process killed while creating leaves no half-made store behind, only
    a ``.jixiao-new-*`` file, which a later creation removes once it is an hour old."""
    folder = file.expanduser().resolve().parent
    _remove_stale(folder)
    tmp = folder / f".jixiao-new-{os.getpid()}-{file.name}"
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        migrate(engine)
    except DBAPIError as exc:
        raise StoreError(_db_message(label, exc)) from exc
    finally:
        engine.dispose()  # the last connection closes: SQLite checkpoints the WAL into the file and removes it
    try:
        os.link(tmp, file)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: rename, unless another process was first
        if not file.exists():
            os.replace(tmp, file)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    import time

    for old in folder.glob(".jixiao-new-*"):
        try:
            if time.time() - old.stat().st_mtime > 3600:
                old.unlink()
        except OSError:
            pass


def _label(url: str) -> str:
    """The store as the user named it: the path of a SQLite file, else the URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return _safe(url)


def table_names(conn: Connection) -> set[str]:
    """The tables of the store's schema (SQLite: the main database; PostgreSQL: the current schema)."""
    if is_sqlite(conn):
        q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    elif conn.dialect.name == "postgresql":
        q = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
    else:
        from sqlalchemy import inspect

        return set(inspect(conn).get_table_names())
    return {str(r[0]) for r in conn.execute(text(q))}


def _sqlite_precheck(database: str | None, *, write: bool, create: bool) -> bool:
    """What the file is before SQLite touches it; True when it is to be opened read-only."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return False
    path = Path(database).expanduser()
    if path.is_dir():
        raise StoreError(f"{database}: 是一个文件夹，不是数据库文件")
    if not path.exists():
        if not path.parent.is_dir():
            raise StoreError(f"{database}: 目录不存在")
        if not (write and create):
            raise StoreError(
                f"{database}: 数据库不存在（用 jixiao ingest 文件… --db {database} 创建，或用 --db 指定已有的库）"
            )
        if not os.access(path.parent, os.W_OK):
            raise StoreError(f"{database}: 所在目录只读，无法创建数据库")
        return False
    try:
        size = path.stat().st_size
        if size == 0 and write and create:
            # another process may have just created it and not yet written the header: wait for it briefly,
            # so two concurrent first ingests both succeed; a file that stays empty is refused below
            for _ in range(40):
                time.sleep(0.05)
                if (size := path.stat().st_size) > 0:
                    break
        with path.open("rb") as f:
            head = f.read(4096)
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"{database}: 无法读取（{exc.strerror or exc}）") from exc
    if size == 0:
        raise StoreError(
            f"{database}: 是空文件（0 字节），不是 jixiao 数据库；请删除它或用 --db 指定其他路径"
        )
    if not head.startswith(SQLITE_MAGIC):
        raise StoreError(f"{database}: 不是 SQLite 数据库（{describe_bytes(head)}），不是 jixiao 数据库")
    expected = _sqlite_expected_size(head)
    if expected is not None and size < expected:
        raise StoreError(
            f"{database}: SQLite 文件不完整（应有 {expected} 字节，实有 {size} 字节，可能复制时被截断）"
        )
    writable = os.access(path, os.W_OK)
    if write and not writable:
        raise StoreError(
            f"{database}: 数据库文件只读（没有写权限），无法写入；请检查文件权限，或复制一份再操作"
        )
    if write and not os.access(path.parent, os.W_OK):
        raise StoreError(f"{database}: 数据库所在目录只读（SQLite 写入时需要在其中建立日志文件），无法写入")
    return not writable


def _sqlite_expected_size(head: bytes) -> int | None:
    """The file size a SQLite header announces (page size × page count), when the header says it reliably."""
    if len(head) < 100:
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    changes = int.from_bytes(head[24:28], "big")
    if valid_for != changes or pages == 0 or page_size < 512:
        return None
    return page_size * pages


def describe_bytes(head: bytes) -> str:
    """What a file that is not a SQLite database holds, in a few words."""
    sample = head[:1024]
    try:
        decoded = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        decoded = sample[: exc.start].decode("utf-8") if exc.start > len(sample) - 4 else ""
    printable = decoded and sum(ch.isprintable() or ch in "\r\n\t" for ch in decoded) >= 0.95 * len(decoded)
    if printable:
        first = next((ln.strip() for ln in decoded.splitlines() if ln.strip()), "")[:30]
        return f"是文本文件，开头为「{first}」"
    if sample.startswith(b"PK\x03\x04"):
        return "是 ZIP 压缩包"
    if sample.startswith(b"%PDF"):
        return "是 PDF 文件"
    return f"内容是未知的二进制数据，开头为 {sample[:8].hex(' ')}"


def _sqlite_health(conn: Connection, label: str, path: Path) -> None:
    """Refuse a SQLite file whose pages are damaged (``PRAGMA quick_check``; skipped for large files, which
    ``jixiao db check`` covers, so that opening stays fast)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > QUICK_CHECK_MAX_BYTES:
        return
    rows = [str(r[0]) for r in conn.execute(text("PRAGMA quick_check(3)"))]
    if rows != ["ok"]:
        found = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip() and not ln.startswith("***")]
        raise StoreError(
            f"{label}: 数据库文件已损坏（{'；'.join(found)[:160]}）；可运行 jixiao db check 查看"
        )


@lru_cache(maxsize=1)
def known_revisions() -> tuple[str, ...]:
    """The revisions of the migration scripts shipped with this version, oldest first (by file name)."""
    found: list[str] = []
    for f in sorted((migrations_dir() / "versions").glob("*.py")):
        m = re.search(r"^revision\s*=\s*[\"']([^\"']+)", f.read_text(encoding="utf-8"), re.MULTILINE)
        if m:
            found.append(m.group(1))
    return tuple(found)


def schema_tables() -> set[str]:
    from jixiao.store.schema import metadata

    return set(metadata.tables)


def _check_schema(
    engine: Engine,
    label: str,
    tables: set[str],
    *,
    write: bool,
    create: bool,
    upgrade: bool,
    db: str | None,
    verify: bool = True,
) -> None:
    hint = f" --db {db}" if db else ""
    if not tables:
        if write and create:
            migrate(engine)
            return
        raise StoreError(f"{label}: 是空数据库，还没有 jixiao 的表；用 jixiao ingest 文件…{hint} 入库后再用")
    if "alembic_version" not in tables or not {"documents", "source_files"} & tables:
        listed = "、".join(sorted(tables)[:8]) + ("…" if len(tables) > 8 else "")
        raise StoreError(f"{label}: 不是 jixiao 数据库（是其他程序的数据库，其中的表：{listed}）")
    if not verify:
        return
    with engine.connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    if revision != HEAD:  # (the migration scripts are read only then: at HEAD, opening reads the one row)
        known = known_revisions()
        if revision is None:
            raise StoreError(
                f"{label}: jixiao 数据库缺少架构版本记录（alembic_version 为空）；可运行 jixiao db check 查看"
            )
        if revision not in known:
            raise StoreError(f"{label}: 数据库架构版本 {revision} 比本程序（{HEAD}）新；请升级 jixiao 后再用")
        if not upgrade:
            raise StoreError(
                f"{label}: 数据库架构版本 {revision} 较旧（本程序需要 {HEAD}）；请先运行 jixiao db upgrade{hint}"
            )
        migrate(engine)
        return
    missing = schema_tables() - tables
    if missing:
        raise StoreError(
            f"{label}: jixiao 数据库不完整（缺少表：{'、'.join(sorted(missing))}）；可运行 jixiao db check 查看"
        )


# SQLite's result codes (extended, by name) and PostgreSQL's SQLSTATE classes that mean the store itself cannot
# go on: turned into one StoreError line wherever they happen.  Constraint clashes, locks and the like are left to
# the code that retries them.
_FATAL_SQLITE = {
    "SQLITE_READONLY": "数据库只读，无法写入",
    "SQLITE_CORRUPT": "数据库文件已损坏",
    "SQLITE_NOTADB": "不是 SQLite 数据库",
    "SQLITE_IOERR": "读写数据库文件出错",
    "SQLITE_FULL": "磁盘已满，无法写入",
    "SQLITE_CANTOPEN": "无法打开数据库文件",
    "SQLITE_PERM": "没有访问数据库文件的权限",
}
_FATAL_PG = {"08": "与数据库服务器的连接中断", "53": "数据库服务器资源不足", "57": "数据库服务器停止了操作"}


def _fatal(exc: BaseException) -> str | None:
    """The Chinese cause when ``exc`` (a DBAPI error) means the store cannot be used, else None."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    for prefix, why in _FATAL_SQLITE.items():
        if name.startswith(prefix):
            return why
    state = str(getattr(exc, "sqlstate", "") or "")
    if state[:2] in _FATAL_PG:
        return _FATAL_PG[state[:2]]
    if type(exc).__name__ == "OperationalError" and getattr(exc, "sqlstate", None) is None and not name:
        low = str(exc).lower()
        if "malformed" in low or "not a database" in low:
            return "数据库文件已损坏"
        if "readonly" in low or "read-only" in low:
            return "数据库只读，无法写入"
        if "connection" in low or "server" in low:
            return "无法连接数据库服务器"
    return None


def _db_message(label: str, exc: DBAPIError) -> str:
    orig = exc.orig if exc.orig is not None else exc
    why = _fatal(orig)
    return f"{label}: 无法打开数据库（{why + '：' if why else ''}{_first_line(orig)}）"


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    return (lines[0] if lines else type(exc).__name__)[:200]


def _watch(engine: Engine, label: str) -> None:
    """Errors that mean the store cannot go on (see :data:`_FATAL_SQLITE`) become :class:`StoreError`."""

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx: ExceptionContext) -> None:
        orig = ctx.original_exception
        why = _fatal(orig)
        if why is None:
            return
        hint = (
            "；请检查文件权限" if "只读" in why else "；可运行 jixiao db check 查看" if "损坏" in why else ""
        )
        raise StoreError(f"{label}: {why}（{_first_line(orig)}）{hint}") from orig


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
