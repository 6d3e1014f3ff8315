"""The users' path at scale: ``jixiao ingest`` of N generated documents from files on disk, then the queries and
exports over the store it made, each beside a baseline measured in the same run.

The corpus is generated from the seeds and the real corpus (the files whose project names, units and years can
be found in their text): each generated file is one of them with the project names, implementing units and years
rewritten (a project recurs over seven years under a place's name; units get the place too) and its amounts
scaled, so linking and the checks have real work; a file holds one to eight forms as its template does.  The
corpus is cached in the temp folder (``jixiao-bench-ingest/``), keyed by N and the generator's version.

Figures per N (1k and 10k by default; ``--docs 100000`` adds 100k):

* ``read``: the files read from disk and hashed, nothing else (the floor of touching the input at all);
* ``raw``: ``executemany`` of the very rows jixiao stores (the generated documents as models, serialised
  beforehand), one transaction: the floor of writing them (SQLite; with ``--db`` the same rows through psycopg);
* ``jixiao ingest``: the CLI in a subprocess (discovery, parsing workers, local checks, group commit, linking,
  cross-document checks), wall time and the peak RSS of its largest process;

then the growth exponent of ingest time between the sizes, and over the largest store: ``summary``, ``show``,
``projects --json`` and each export's wall time and peak RSS.

    .venv/bin/python bench/ingest.py [--docs 1000 --docs 10000] [--db postgresql://127.0.0.1/test] [--no-queries]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON

from jixiao import parse_file
from jixiao.cli.parse import sample_paths
from jixiao.model import AnyDocument, SelfEvaluation, TargetDeclaration
from jixiao.store import codec, open_engine, schema
from jixiao.store.engine import CACHE_KIB

GENERATOR = "v4"  # bump when the generated corpus changes (the cache is keyed by it)
REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
JIXIAO = [str(Path(sys.executable).with_name("jixiao"))]
PLACES = [a + b for a in "东南西北中上下前后新" for b in "江河湖山川林原岭州坪"]  # 100 place names
_AMOUNT = re.compile(r"(?<![\d.])(\d{2,6})\.(\d{2})(?![\d.])")

# The peak RSS of a command and all it waited for: measured from a fresh interpreter, so that one command's
# peak is not another's (RUSAGE_CHILDREN keeps the largest ever).
_RSS = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb'))\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


@dataclass(frozen=True)
class Template:
    """A file whose documents' names, units and years can be rewritten in its text."""

    path: Path
    text: str
    documents: list[AnyDocument]


def _unit(doc: AnyDocument) -> str | None:
    unit = None
    if isinstance(doc, SelfEvaluation):
        unit = doc.implementing_unit
    elif isinstance(doc, TargetDeclaration):
        unit = doc.unit
    return unit if isinstance(unit, str) else None


def templates() -> list[Template]:
    paths = [*sample_paths(), *sorted(REAL.glob("*.txt"))]
    out: list[Template] = []
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace")
        docs = parse_file(p).documents
        names = [d.project for d in docs]
        if not docs or any(not n or n not in text for n in names) or len(set(names)) != len(names):
            continue
        if any(u and u not in text for d in docs if (u := _unit(d))):
            continue
        if any(d.year is None or str(d.year) not in text for d in docs):
            continue
        out.append(Template(p, text, list(docs)))
    return out


def _mutate(t: Template, group: int, shift: int) -> tuple[str, list[AnyDocument]]:
    """Template ``t`` as project group ``group`` (a place's name) in year ``shift`` after its own: the text and
    its documents as jixiao reads them (for the raw rows)."""
    place = PLACES[group % len(PLACES)] + (str(group // len(PLACES)) if group >= len(PLACES) else "")
    text = t.text
    docs: list[AnyDocument] = []
    for doc in t.documents:
        assert doc.project
        assert doc.year
        name = f"{place}{doc.project}"
        text = text.replace(doc.project, name)
        update: dict[str, Any] = {"project": name, "year": doc.year + shift}
        unit = _unit(doc)
        if unit:
            text = text.replace(unit, f"{place}{unit}")
            update["implementing_unit" if isinstance(doc, SelfEvaluation) else "unit"] = f"{place}{unit}"
        docs.append(doc.model_copy(update=update))
    for year in sorted({d.year for d in t.documents if d.year}, reverse=True):
        text = text.replace(f"{year}年", f"{year + shift}年")
    if (group + shift) % 3 == 0:  # amounts scaled in a third of the files: the checks see other numbers
        text = _AMOUNT.sub(lambda m: f"{int(m.group(1)) * 2}.{m.group(2)}", text)
    return text + f"\n\n生成编号 {group}-{shift}\n", docs


def corpus(target: int) -> tuple[Path, int, int]:
    """The generated corpus of at least ``target`` documents (cached): its folder, documents and files."""
    root = Path(tempfile.gettempdir()) / "jixiao-bench-ingest" / f"{GENERATOR}-{target}"
    done = root / "done.json"
    if done.exists():
        meta = json.loads(done.read_text())
        return root / "files", int(meta["documents"]), int(meta["files"])
    shutil.rmtree(root, ignore_errors=True)
    folder = root / "files"
    folder.mkdir(parents=True)
    docs = files = 0
    for k, t, text, made in generated(target):
        sub = folder / f"{k // 1000:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{k:07d}_{t.path.stem}{t.path.suffix}").write_text(text, encoding="utf-8")
        docs += len(made)
        files += 1
    done.write_text(json.dumps({"documents": docs, "files": files}))
    return folder, docs, files


SEED_COPIES = 3  # the seeds (two to eight forms a file) weigh thrice the real corpus's one-form files


def generated(target: int) -> Iterator[tuple[int, Template, str, list[AnyDocument]]]:
    """(file number, template, text, documents) until ``target`` documents: pass ``k`` makes year ``k % 7`` of
    every template's project groups."""
    ts = templates()
    seeds = {p.name for p in sample_paths()}
    total, k, n = 0, 0, 0
    while total < target:
        for t in ts:
            for copy in range(SEED_COPIES if t.path.name in seeds else 1):
                text, docs = _mutate(t, (k // 7) * SEED_COPIES + copy, k % 7)
                yield n, t, text, docs
                n, total = n + 1, total + len(docs)
                if total >= target:
                    return
        k += 1


# --- baselines ----------------------------------------------------------------------------------------------------


def read_all(folder: Path) -> float:
    start = time.perf_counter()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            hashlib.sha256(f.read_bytes()).hexdigest()
    return time.perf_counter() - start


def _prepare(path: Path) -> int:
    from jixiao.ingest import prepare_job, read_job
    from jixiao.pipeline import Options
    from jixiao.store.ingest import FileJob

    job = read_job(path)
    assert isinstance(job, FileJob)
    prepared = prepare_job(job, Options())
    return 0 if isinstance(prepared, str) else len(prepared.documents)


def pipeline_alone(folder: Path, workers: int) -> float:
    """Every file through the pipeline (read, parse, local checks, rows) in ``workers`` processes, nothing
    written: the floor ``jixiao ingest`` cannot go below on this machine, whatever the store does."""
    from concurrent.futures import ProcessPoolExecutor

    files = sorted(f for f in folder.rglob("*") if f.is_file())
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sum(pool.map(_prepare, files, chunksize=8))
    return time.perf_counter() - start


def _json(v: Any) -> Any:
    if isinstance(v, dict | list | tuple):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return v.isoformat() if hasattr(v, "isoformat") else v


def raw_rows(target: int) -> dict[str, list[tuple[Any, ...]]]:
    """The rows jixiao writes for the generated corpus, as plain tuples (JSON serialised, ids assigned)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    orgs: dict[str, int] = {}
    doc_id = 0

    def add(table: str, row: dict[str, Any]) -> None:
        columns = [c for c in schema.metadata.tables[table].columns if c.name in row]
        cols = [c.name for c in columns]
        values = tuple(
            json.dumps(row[c.name], ensure_ascii=False, separators=(",", ":"))
            if isinstance(c.type, JSON) and row[c.name] is not None
            else _json(row[c.name])
            for c in columns
        )  # JSON columns hold JSON text, as SQLAlchemy writes them
        tables.setdefault(table + "|" + ",".join(cols), []).append(values)

    for n_file, (_k, _t, text, docs) in enumerate(generated(target)):
        data = text.encode()
        sha = hashlib.sha256(data).hexdigest()
        path = f"/bench/{n_file}.txt"
        add("source_files", {"sha256": sha, "size": len(data), "name": path, "content": data, "run_id": 1,
                             "created_at": "2024-01-01 00:00:00"})  # fmt: skip
        add("file_paths", {"path": path, "sha256": sha, "version": 1, "run_id": 1, "seen_at": "2024-01-01"})
        for n, doc in enumerate(docs, 1):
            for name in codec.organisation_names(doc).values():
                if name not in orgs:
                    orgs[name] = len(orgs) + 1
                    add("organisations", {"id": orgs[name], "name": name})
            doc_id += 1
            row = codec.document_row(doc, orgs)
            row.update({"id": doc_id, "sha256": sha, "ordinal": n, "current": True, "run_id": 1})
            add("documents", row)
            for table, items in codec.child_rows(doc, doc_id).items():
                for item in items:
                    add(table, item)
            for item in codec.finding_rows(doc.findings, sha, doc_id):
                add("findings", item)
    return tables


ORDER = [
    "source_files",
    "file_paths",
    "organisations",
    "documents",
    "funds",
    "indicators",
    "subprojects",
    "findings",
]


def run_raw(url: str, tables: dict[str, list[tuple[Any, ...]]]) -> float:
    """executemany per table in one transaction, into a store made by the same migrations."""
    open_engine(url).dispose()
    keys = sorted(tables, key=lambda k: ORDER.index(k.split("|")[0]))
    if url.startswith("sqlite"):
        conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # the settings jixiao's engine uses
        mark = "?"
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        mark = "%s"
    conn.execute("INSERT INTO ingest_runs (id, started_at, version, files_added, files_unchanged, files_refused, "
                 "documents_added) VALUES (1, '2024-01-01', 'bench', 0, 0, 0, 0)")  # fmt: skip
    start = time.perf_counter()
    if mark == "?":
        conn.execute("BEGIN")
        for key in keys:
            table, cols = key.split("|")
            marks = ",".join(mark * 1 for _ in cols.split(","))
            conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tables[key])
        conn.execute("COMMIT")
    else:
        with conn.transaction(), conn.cursor() as cur:
            for key in keys:
                table, cols = key.split("|")
                marks = ",".join(mark for _ in cols.split(","))
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tables[key])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


# --- the CLI ------------------------------------------------------------------------------------------------------


def cli(args: list[str], url: str, out: Path | None = None) -> tuple[float, float, int]:
    """``jixiao ARGS --db URL`` in a subprocess: (wall seconds, peak RSS MB of its largest process, exit code)."""
    sink = str(out) if out is not None else os.devnull
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RSS, sink, *JIXIAO, *args, "--db", url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"jixiao {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    rss_kib = int(done.stderr.strip().splitlines()[-1])
    return wall, rss_kib / 1024, done.returncode


@dataclass
class Store:
    url: str
    drop: Any  # a callable that removes it


def fresh_store(base: str | None, label: str, folder: Path) -> Store:
    """An empty store: a SQLite file in ``folder``, or a database ``jixiao_bench_<label>`` (the prefix from
    ``JIXIAO_BENCH_DB_PREFIX``) on the server of ``base``, which the bench connects to for creating it."""
    if base is None:
        path = folder / f"{label}.db"

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        remove()
        return Store(f"sqlite:///{path}", remove)
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"{os.environ.get('JIXIAO_BENCH_DB_PREFIX', 'jixiao_bench')}_{label}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Store(f"{admin.rsplit('/', 1)[0]}/{name}", drop)


def in_process(url: str, project: str) -> dict[str, float]:
    """The library calls under the commands, timed in this process (no interpreter start, no printing)."""
    from jixiao.store.query import iter_projects, resolve_project
    from jixiao.store.report import summarise
    from jixiao.store.views import timeline_of

    engine = open_engine(url)
    out: dict[str, float] = {}
    with engine.connect() as conn:
        for name, call in (
            ("summary", lambda: summarise(conn)),
            ("show", lambda: timeline_of(conn, resolve_project(conn, project)[0])),
            ("projects", lambda: sum(1 for _p in iter_projects(conn))),
        ):
            start = time.perf_counter()
            call()
            out[name] = time.perf_counter() - start
    engine.dispose()
    return out


def some_project(url: str) -> str:
    """A project of the store with documents in several years, by its id (``P12``)."""
    engine = open_engine(url)
    with engine.connect() as conn:
        from sqlalchemy import func, select

        ln, d = schema.links, schema.documents
        q = (
            select(ln.c.project_id)
            .join(d, d.c.id == ln.c.document_id)
            .group_by(ln.c.project_id)
            .order_by(func.count(func.distinct(d.c.year)).desc(), ln.c.project_id)
            .limit(1)
        )
        pid = conn.execute(q).scalar_one()
    engine.dispose()
    return f"P{pid}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--docs", type=int, action="append", help="corpus sizes (repeatable; default 1000 and 10000)"
    )
    ap.add_argument(
        "--db", help="a PostgreSQL URL: stores are made as databases beside it (default: SQLite files)"
    )
    ap.add_argument("--workers", type=int, help="jixiao ingest --workers")
    ap.add_argument(
        "--no-queries", action="store_true", help="skip the queries and exports over the largest store"
    )
    ap.add_argument("--keep", type=Path, help="keep the SQLite stores in this folder")
    args = ap.parse_args()
    sizes = sorted(set(args.docs or [1000, 10000]))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"{backend}; {cores} cores; jixiao ingest = the CLI from files on disk (workers, checks, linking)")
    times: dict[int, float] = {}
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    folder = args.keep or tmp
    folder.mkdir(parents=True, exist_ok=True)
    last: Store | None = None
    try:
        for n in sizes:
            files, docs, nfiles = corpus(n)
            read_s = read_all(files)
            parse_s = pipeline_alone(files, args.workers or cores)
            raw_store = fresh_store(args.db, f"raw{n}", folder)
            raw_s = run_raw(raw_store.url, raw_rows(n))
            raw_store.drop()
            if last is not None:
                last.drop()
            last = fresh_store(args.db, f"ingest{n}", folder)
            extra = ["--workers", str(args.workers)] if args.workers else []
            wall, rss, code = cli(["ingest", str(files), "--quiet", *extra], last.url)
            times[docs] = wall
            print(f"\n{docs} documents in {nfiles} files")
            print(
                f"  read           {docs / read_s:9.0f} documents/s  ({read_s:.2f} s: bytes read and hashed)"
            )
            print(
                f"  raw            {docs / raw_s:9.0f} documents/s  ({raw_s:.2f} s: executemany of the same rows)"
            )
            print(f"  pipeline       {docs / parse_s:9.0f} documents/s  ({parse_s:.2f} s: read, parse, local checks, "
                  f"rows in {args.workers or cores} processes, nothing stored)")  # fmt: skip
            print(
                f"  jixiao ingest  {docs / wall:9.0f} documents/s  ({wall:.2f} s, {wall / raw_s:.2f}× raw; "
                f"{wall / parse_s:.2f}× pipeline; peak RSS {rss:.0f} MB; exit {code}) aim ≥ 2000/s, ≤ 3× raw"
            )
        sized = sorted(times)
        for a, b in itertools.pairwise(sized):
            k = math.log(times[b] / times[a]) / math.log(b / a)
            print(f"growth {a} → {b}: time ∝ N^{k:.2f} (aim ≤ 1.1)")
        if last is not None and not args.no_queries:
            print(f"\nover the store of {sized[-1]} documents:")
            project = some_project(last.url)
            inside = in_process(last.url, project)
            start = time.perf_counter()
            subprocess.run([*JIXIAO, "rules"], capture_output=True, check=True)
            startup = time.perf_counter() - start
            print(f"  (starting the CLI: {startup:.2f} s, `jixiao rules`)")
            aims = {"summary": "aim < 1 s", "show": "aim < 0.2 s", "projects": ""}
            for what in (["summary"], ["show", project], ["projects", "--json"]):
                wall, rss, _code = cli(what, last.url)
                lib = inside[what[0]]
                print(f"  {' '.join(what):<16}{wall:7.2f} s  peak RSS {rss:5.0f} MB; the query itself {lib:.3f} s "
                      f"{aims[what[0]]}")  # fmt: skip
            for fmt in ("json", "csv", "parquet", "xlsx"):
                out = folder / f"export.{fmt}"
                wall, rss, _code = cli(["export", "--format", fmt, "--output", str(out)], last.url)
                size = out.stat().st_size / 1e6 if out.exists() else 0
                print(
                    f"  export {fmt:<9}{wall:7.2f} s  peak RSS {rss:5.0f} MB ({size:.0f} MB written) aim < 500 MB"
                )
                out.unlink(missing_ok=True)
    finally:
        if last is not None and args.keep is None:
            last.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
