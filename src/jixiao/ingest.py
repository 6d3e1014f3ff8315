"""Ingest: files and folders → the pipeline (in worker processes) → the store, then linking, then the
cross-document checks over each linked project.

The one place that puts the pipeline and the store together, so that the store holds exactly the findings that
``jixiao check`` gives for the same files, profile, selection and waivers::

    report = ingest_files(engine, ["../shared/seeds"], options=Options.build(profile="national"))

Each file is read, parsed and checked by the *local* checks in a worker (:func:`jixiao.pipeline.check_local`);
its rows are written by :mod:`jixiao.store.ingest` (one file whole or not at all).  After linking, the
*cross-document* checks run over every project a stored document belongs to, across files and earlier runs
(:func:`jixiao.pipeline.check_across`), and replace the cross-document findings of that project's documents.
What is not a performance document (unreadable, or nothing recognised in it) is refused with its reason and
never stored.  Ctrl-C stops the run between files: what was committed stays, linking and the cross-document
pass still run over it, and :class:`Interrupted` says what was stored and what was not.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine

from jixiao import pipeline, readers
from jixiao.model import Finding
from jixiao.pipeline import Options
from jixiao.store import codec, search
from jixiao.store.engine import open_store
from jixiao.store.ingest import (
    FileJob,
    FileOutcome,
    GroupWriter,
    IngestReport,
    Parsed,
    documents_of_run,
    finish_run,
    replace_findings,
    sha256,
    start_run,
    stored_hashes,
)
from jixiao.store.link import ensure_linked, link_documents
from jixiao.store.query import load_documents, project_groups

__all__ = [
    "SUFFIXES",
    "Interrupted",
    "check_projects",
    "discover",
    "ingest_files",
    "prepare_job",
    "read_job",
]

# What a folder walk picks up: every suffix the readers read (a file named on the command line is always tried).
SUFFIXES = frozenset(
    {
        *(s for s in readers.TEXT_SUFFIXES if s),
        *readers.HTML_SUFFIXES,
        *readers.LEGACY_SUFFIXES,
        *readers._SUFFIX_FORMAT,
    }
)
_PARALLEL_MIN_FILES = 3  # below this, starting worker processes costs more than it saves
_LOOKUP_FILES = 16  # files read ahead and asked about in one query (are their bytes stored already?)
_TASK_FILES = (
    4  # files a worker prepares per task: a round trip (pickling, a future, the manager thread) per task
)
_AHEAD_FILES = 12  # files in flight per worker: enough that a pause of the writer (a commit) leaves none idle
_CHECK_DOCUMENTS = 400  # documents loaded at once for the cross-document checks
# How long the writer waits for a worker's file with its batch still open before it commits and waits on: the
# workers are the bottleneck, so the next file is usually a few milliseconds away, and committing before every
# such wait made a commit (and a fresh BEGIN, savepoint state and organisation cache) every two files.  Another
# SQLite writer waits at most this long beyond the batch's own time limit.
_PATIENCE_S = 0.05


class Interrupted(Exception):
    """Ctrl-C stopped an ingest between files; ``report`` holds what was stored and what was not
    (``report.not_stored``); linking and the cross-document checks ran over what was stored."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(f"入库被中断：已入库 {len(report.files)} 个文件，未入库 {len(report.not_stored)} 个")
        self.report = report


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest (folders walked recursively for :data:`SUFFIXES`, hidden entries skipped) and the paths
    that do not exist."""
    files: list[Path] = []
    missing: list[FileOutcome] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw).expanduser().resolve()
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.exists():
            found = [p]
        else:
            missing.append(FileOutcome(str(p), "refused", f"{raw}: 文件不存在"))
            continue
        for f in found:
            if f not in seen:
                seen.add(f)
                files.append(f)
    return files, missing


def read_job(path: Path) -> FileJob | FileOutcome:
    """A file's bytes and hash, or its refusal when it cannot be opened."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(str(path), "refused", f"{path}: 无法读取（{exc.strerror or exc}）")
    return FileJob(str(path), data, sha256(data))


# --- one file, in a worker ------------------------------------------------------------------------------------

_OPTIONS: Options | None = None  # the run's options in a worker process (None: no checks)
_SETTLED = False  # whether a worker has frozen what its first task loaded (parsers, validators)

# The cyclic collector during ingest: parsing a file allocates tens of thousands of objects that die young, and
# with the default thresholds (700, 10, 10) a collection ran every few hundred of them, rescanning every module,
# validator and cache the run had loaded (a tenth of a worker's time; measured with gc.callbacks).  What
# start-up loaded is frozen out of the scans and young collections run every 10,000 allocations instead.
_GC_THRESHOLDS = (10_000, 50, 100)


def _settle_gc() -> None:
    """Objects alive now (modules, compiled validators, caches) leave the collector's scans; collections rarer."""
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """:func:`_settle_gc` for the length of a run in this process, the collector as it was afterwards."""
    before = gc.get_threshold()
    _settle_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _init_worker(options: Options | None) -> None:
    global _OPTIONS, _SETTLED
    _OPTIONS, _SETTLED = options, False
    _settle_gc()


def prepare_job(job: FileJob, options: Options | None = None) -> codec.PreparedFile | str:
    """One file through the pipeline (read, parse, local checks with ``options``; none when None), as rows for
    the store, or the reason it is refused (unreadable, or no performance document in it)."""
    file = pipeline.read_data(job.data, job.path)
    if file.refusal is not None:
        return file.refusal
    if options is not None:
        checked = pipeline.check_local(file, options)
        file = pipeline.FileResult(file.path, checked.stored(), checked.file_kept)
    return codec.prepare(file, job.sha256)


def _worker_jobs(jobs: list[FileJob]) -> list[codec.PreparedFile | str]:
    """A task of a worker: a few files, prepared in order (one round trip for them all)."""
    global _SETTLED
    out = [prepare_job(job, _OPTIONS) for job in jobs]
    if not _SETTLED:  # the parsers and validators the first files loaded stay for the worker's life
        _SETTLED = True
        gc.collect()
        gc.freeze()
    return out


_Result = codec.PreparedFile | str
# Where a file's rows come from: known already (None, a refusal, rows prepared here) or a worker's task and the
# file's place in it.
_Slot = tuple["Future[list[_Result]]", int] | _Result | None
_Item = tuple[FileJob | FileOutcome, _Slot]


def _stream(
    engine: Engine,
    files: list[Path],
    workers: int,
    options: Options | None,
    before_wait: Callable[[], None] | None = None,
) -> Iterator[tuple[FileJob | FileOutcome, Parsed]]:
    """Each file read, and prepared unless its bytes are stored already, in file order.  Preparing runs in
    ``workers`` processes, :data:`_TASK_FILES` files a task, with a bounded number of files in flight (memory
    stays flat on large folders); ``before_wait`` is called before anything that waits for a worker longer
    than :data:`_PATIENCE_S`, so the writer commits rather than hold the write lock meanwhile."""
    pool: ProcessPoolExecutor | None = None
    if workers > 1 and len(files) >= _PARALLEL_MIN_FILES:
        methods = multiprocessing.get_all_start_methods()
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
            initializer=_init_worker,
            initargs=(options,),
        )
    window: deque[_Item] = deque()
    ahead = _AHEAD_FILES * workers if pool is not None else 2  # in this process: prepared as written
    try:
        for chunk in _chunks(files, _LOOKUP_FILES):
            jobs = [read_job(f) for f in chunk]
            known = stored_hashes(engine, [j.sha256 for j in jobs if isinstance(j, FileJob)])
            todo = [j for j in jobs if isinstance(j, FileJob) and j.sha256 not in known]
            slots: dict[int, _Slot] = {}
            if pool is not None:
                for i in range(0, len(todo), _TASK_FILES):
                    task = todo[i : i + _TASK_FILES]
                    done = _submit(pool, task, options)
                    slots.update(
                        (id(j), (done, k) if isinstance(done, Future) else done[k])
                        for k, j in enumerate(task)
                    )
            for job in jobs:
                if isinstance(job, FileOutcome) or job.sha256 in known:
                    window.append((job, None))
                elif pool is None:
                    if before_wait is not None:
                        before_wait()  # prepared right here, now
                    window.append((job, prepare_job(job, options)))
                else:
                    window.append((job, slots[id(job)]))
                while len(window) > ahead:
                    yield _resolve(window.popleft(), before_wait)
        while window:
            yield _resolve(window.popleft(), before_wait)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _submit(
    pool: ProcessPoolExecutor, jobs: list[FileJob], options: Options | None
) -> Future[list[_Result]] | list[_Result]:
    """Prepare in a worker, or here when its workers died."""
    try:
        return pool.submit(_worker_jobs, jobs)
    except BrokenProcessPool:
        return [prepare_job(job, options) for job in jobs]


def _resolve(
    item: _Item, before_wait: Callable[[], None] | None = None
) -> tuple[FileJob | FileOutcome, Parsed]:
    job, slot = item
    if not isinstance(slot, tuple):
        return job, slot
    task, k = slot
    if before_wait is not None and not task.done():
        wait([task], timeout=_PATIENCE_S)
        if not task.done():
            before_wait()
    try:
        return job, task.result()[k]
    except Exception as exc:  # a worker process died (e.g. killed): its files are refused, the run goes on
        return job, f"{job.path}: 解析进程失败（{type(exc).__name__}）"


# --- after linking --------------------------------------------------------------------------------------------


def check_projects(engine: Engine, document_ids: Sequence[int], options: Options, workers: int = 1) -> int:
    """The cross-document checks over every project holding one of ``document_ids`` (all its current
    documents, from any file or run), their findings stored in place of the earlier ones; returns how many.
    With ``workers`` > 1 the projects are checked in that many processes, each reading the store itself.

    Projects are loaded, checked and written a batch at a time (memory stays flat however many there are).
    A project of one document is not loaded: a cross-document check compares a document with the others of
    its project and finds nothing without them (tests/rules holds every such check to that), so the
    document's cross-document findings from when it had company are only removed."""
    with engine.connect() as conn:
        groups = project_groups(conn, document_ids)
    codes = options.cross_codes
    alone = [g[0] for g in groups if len(g) == 1]
    written = replace_findings(engine, dict.fromkeys(alone, ()), codes) if alone else 0
    batches = list(_batches([g for g in groups if len(g) > 1], _CHECK_DOCUMENTS))
    url = engine.url
    shared = url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")
    if workers > 1 and len(batches) > 1 and shared and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init_checker,
            initargs=(url.render_as_string(hide_password=False), options),
        ) as pool:
            for part in pool.map(_check_batch, batches):  # results in order, as each batch is done
                written += replace_findings(engine, part, codes)
    else:
        with engine.connect() as conn:
            for batch in batches:
                part = _check_in(conn, batch, options)
                written += replace_findings(engine, part, codes)
    return written


def _check_in(conn: Connection, batch: list[list[int]], options: Options) -> dict[int, list[Finding]]:
    """The cross-document findings of each document of these projects (each a list of document ids)."""
    docs = load_documents(conn, [i for ids in batch for i in ids], findings=False)
    found: dict[int, list[Finding]] = {}
    for ids in batch:
        order = [i for i in ids if i in docs]
        checked = pipeline.check_across([docs[i] for i in order], options)
        found.update(zip(order, checked.kept, strict=True))
    return found


_CHECKER: tuple[Engine, Options] | None = None  # a checking worker's own engine and the run's options


def _init_checker(url: str, options: Options) -> None:
    global _CHECKER
    _CHECKER = (open_store(url, write=False, verify=False), options)  # checked already, by the parent
    _settle_gc()


def _check_batch(batch: list[list[int]]) -> dict[int, list[Finding]]:
    assert _CHECKER is not None
    engine, options = _CHECKER
    with engine.connect() as conn:
        return _check_in(conn, batch, options)


def _chunks(items: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _batches(groups: Sequence[list[int]], size: int) -> Iterator[list[list[int]]]:
    """Consecutive groups together, up to ``size`` ids a batch (a larger group alone)."""
    batch: list[list[int]] = []
    n = 0
    for g in groups:
        if batch and n + len(g) > size:
            yield batch
            batch, n = [], 0
        batch.append(g)
        n += len(g)
    if batch:
        yield batch


def _cpu() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def ingest_files(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    workers: int | None = None,
    check: bool = True,
    options: Options | None = None,
    args: Sequence[str] = (),
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    """Ingest files and folders, link projects, then run the cross-document checks over the linked projects;
    ``on_start(total)`` and ``on_file(outcome)`` drive a progress display.  With ``check``, each file's
    documents are checked with ``options`` (the default profile, no selection, no waivers when None) and the
    findings stored with them.  Raises :class:`Interrupted` on Ctrl-C (after linking what was stored)."""
    with _quiet_gc():
        return _ingest(engine, paths, workers, check, options, args, on_start, on_file)


def _ingest(
    engine: Engine,
    paths: Iterable[str | Path],
    workers: int | None,
    check: bool,
    options: Options | None,
    args: Sequence[str],
    on_start: Callable[[int], None] | None,
    on_file: Callable[[FileOutcome], None] | None,
) -> IngestReport:
    opts = (options or Options()) if check else None
    files, missing = discover(paths)
    run_id = start_run(engine, args)
    report = IngestReport(run_id)
    if on_start:
        on_start(len(files) + len(missing))

    def done(outcome: FileOutcome) -> None:
        report.files.append(outcome)
        if on_file:
            on_file(outcome)

    def parse(job: FileJob) -> codec.PreparedFile | str:
        return prepare_job(job, opts)

    try:
        with GroupWriter(engine, run_id, parse=parse, on_file=done) as writer:
            for m in missing:
                writer.add(m)
            for job, parsed in _stream(engine, files, workers or _cpu(), opts, writer.flush):
                writer.add(job, parsed)
    except KeyboardInterrupt:
        report.interrupted = True
        seen = {f.path for f in report.files}
        report.not_stored = [str(f) for f in files if str(f) not in seen]
    finish_run(engine, report)
    if any(f.outcome in ("added", "new_version", "copy") for f in report.files):
        with engine.connect() as conn:
            ids = documents_of_run(conn, run_id)
        link_documents(engine, ids)  # only the new documents' blocks searched, their projects reclustered
        if opts is not None:
            check_projects(engine, ids, opts, workers or _cpu())
    else:
        ensure_linked(engine)
    # the web's facet counts, keyset lists and the summary's figures follow: the projects the run touched
    search.refresh_store_facts(engine)
    if report.interrupted:
        raise Interrupted(report)
    return report
