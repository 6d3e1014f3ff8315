"""Ingest: idempotent, versioned, each file whole or not at all, safe with two processes at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import jixiao.ingest as ingest_module
import jixiao.store.ingest as store_ingest
from jixiao import parse_file
from jixiao.ingest import ingest_files
from jixiao.store import codec, projects_of, schema
from jixiao.store.query import table_counts


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return table_counts(conn)


def _current(engine: Engine) -> int:
    d = schema.documents
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(d.c.current.is_(True))).scalar_one())


def test_ingest_twice_changes_nothing(engine: Engine, seeds: list[Path]) -> None:
    first = ingest_files(engine, seeds)
    assert first.count("added") == 5
    assert first.documents == 27
    before = _counts(engine)
    assert before["documents"] == 27
    assert before["source_files"] == 5
    assert before["projects"] == 19
    second = ingest_files(engine, [seeds[0].parent])  # the folder this time: same files, same bytes
    assert [f.outcome for f in second.files] == ["unchanged"] * 5
    assert second.documents == 0
    assert _counts(engine) == before


def test_changed_file_is_a_new_version_and_the_old_one_stays(
    engine: Engine, seeds: list[Path], tmp_path: Path
) -> None:
    f = tmp_path / "seed.txt"
    original = seeds[0].read_bytes()
    f.write_bytes(original)
    assert ingest_files(engine, [f]).files[0].outcome == "added"
    f.write_bytes(original.replace(b"9,280,000", b"9,380,000", 1))
    report = ingest_files(engine, [f])
    assert report.files[0].outcome == "new_version"
    assert report.documents == 2
    counts = _counts(engine)
    assert counts["source_files"] == 2
    assert counts["documents"] == 4
    assert counts["file_paths"] == 2
    assert _current(engine) == 2
    assert sum(len(p.documents) for p in projects_of(engine)) == 2  # projects list current documents only
    f.write_bytes(original)  # back to the first bytes: the first version is current again, nothing re-parsed
    assert ingest_files(engine, [f]).files[0].outcome == "copy"
    d = schema.documents
    with engine.connect() as conn:
        live = conn.execute(select(d.c.sha256).where(d.c.current.is_(True)).distinct()).scalars().all()
    assert live == [store_ingest.sha256(original)]
    assert _counts(engine)["documents"] == 4


def test_same_bytes_elsewhere_only_records_the_path(
    engine: Engine, seeds: list[Path], tmp_path: Path
) -> None:
    ingest_files(engine, seeds[:1])
    copy = tmp_path / "copy.txt"
    shutil.copy(seeds[0], copy)
    report = ingest_files(engine, [copy])
    assert report.files[0].outcome == "copy"
    assert report.documents == 0
    counts = _counts(engine)
    assert counts["documents"] == 2
    assert counts["source_files"] == 1
    assert counts["file_paths"] == 2


def test_refused_files_leave_nothing_and_say_why(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("会议纪要：没有任何表格。\n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    report = ingest_files(engine, [tmp_path, tmp_path / "missing.txt"])
    reasons = {Path(f.path).name: f.reason for f in report.refused}
    assert set(reasons) == {"notes.txt", "broken.pdf", "missing.txt"}
    assert all(r and "\n" not in r for r in reasons.values())
    assert "notes.txt" in (reasons["notes.txt"] or "")
    counts = _counts(engine)
    assert counts["source_files"] == counts["documents"] == counts["file_paths"] == 0
    rf = schema.run_files
    with engine.connect() as conn:
        logged = conn.execute(select(rf.c.outcome, rf.c.reason).where(rf.c.run_id == report.run_id)).all()
    assert sorted(o for o, _r in logged) == ["refused"] * 3


def test_a_failing_write_rolls_the_whole_file_back(
    engine: Engine, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = codec.finding_rows

    def broken(findings: object, sha: str, document_id: int | None) -> list[dict[str, object]]:
        rows = real(findings, sha, document_id)  # type: ignore[arg-type]
        return [*rows, {"sha256": sha, "document_id": document_id, "ordinal": 99, "code": None}]

    monkeypatch.setattr(codec, "finding_rows", broken)
    report = ingest_files(engine, seeds[:1], check=False)
    (outcome,) = report.files
    assert outcome.outcome == "refused"
    assert "写入数据库失败" in (outcome.reason or "")
    counts = _counts(engine)
    assert (
        counts["documents"] == counts["indicators"] == counts["source_files"] == counts["organisations"] == 0
    )
    monkeypatch.undo()
    assert ingest_files(engine, seeds[:1], check=False).files[0].outcome == "added"


def _variants(seeds: list[Path], folder: Path, copies: int) -> int:
    """Distinct files (each seed with a marker line per copy); returns how many documents they hold."""
    folder.mkdir()
    total = 0
    for k in range(copies):
        for s in seeds:
            target = folder / f"{k:02d}_{s.name}"
            target.write_bytes(s.read_bytes() + f"\n附注 {k}\n".encode())
            if k == 0:
                total += len(parse_file(s).documents)
    return total * copies


def test_two_processes_ingest_one_database(db_url: str, seeds: list[Path], tmp_path: Path) -> None:
    """Two ``jixiao ingest`` processes on the same files and database at once: every document stored once."""
    folder = tmp_path / "docs"
    expected = _variants(seeds, folder, 4)
    env = {**os.environ, "JIXIAO_DB": db_url}
    cmd = [sys.executable, "-m", "jixiao", "ingest", str(folder), "--quiet", "--no-check", "--workers", "1"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, (out.decode(), err.decode())
    from jixiao.store import open_engine

    engine = open_engine(db_url)
    try:
        counts = _counts(engine)
        assert counts["documents"] == expected
        assert counts["source_files"] == counts["file_paths"] == 4 * len(seeds)
        d = schema.documents
        with engine.connect() as conn:
            dup = conn.execute(
                select(d.c.sha256, d.c.ordinal).group_by(d.c.sha256, d.c.ordinal).having(func.count() > 1)
            ).all()
        assert dup == []
        assert sum(len(p.documents) for p in projects_of(engine)) == expected
    finally:
        engine.dispose()


def _die(job: object) -> object:
    os._exit(3)  # a parsing worker killed mid-file


def test_a_dying_worker_refuses_its_files_and_the_run_goes_on(
    engine: Engine, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "_worker_jobs", _die)
    monkeypatch.setattr(ingest_module, "_submit", _submit_only)
    report = ingest_files(engine, seeds, workers=2, check=False)
    assert [f.outcome for f in report.files] == ["refused"] * len(seeds)
    assert all("解析进程失败" in (f.reason or "") for f in report.files)
    assert _counts(engine)["documents"] == 0


def _submit_only(pool: object, jobs: object, options: object) -> object:
    """Always hand the files to the (dying) pool, never parse in this process."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    assert isinstance(pool, ProcessPoolExecutor)
    try:
        return pool.submit(_die, jobs)
    except BrokenProcessPool as exc:
        failed: Future[object] = Future()
        failed.set_exception(exc)
        return failed


def test_a_failing_file_mid_batch_rolls_back_alone(
    engine: Engine, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Group commit: five files in one transaction, the third fails; it leaves no row at all (its savepoint
    rolled back), is logged as refused with the reason, and the other four are stored whole."""
    bad = store_ingest.sha256(seeds[2].read_bytes())
    real = codec.finding_rows

    def broken(findings: object, sha: str, document_id: int | None) -> list[dict[str, object]]:
        rows = real(findings, sha, document_id)  # type: ignore[arg-type]
        if sha == bad and document_id is not None:  # fails at the last table the file writes
            rows.append({"sha256": sha, "document_id": document_id, "ordinal": 99, "code": None})
        return rows

    monkeypatch.setattr(codec, "finding_rows", broken)
    run_id = store_ingest.start_run(engine, ["test"])
    seen: list[store_ingest.FileOutcome] = []
    with store_ingest.GroupWriter(
        engine, run_id, on_file=seen.append, max_files=100, max_seconds=3600
    ) as writer:
        for path in seeds:
            job = ingest_module.read_job(path)
            assert isinstance(job, store_ingest.FileJob)
            writer.add(job, ingest_module.prepare_job(job))
        assert seen == []  # one batch, not committed yet
    assert [f.outcome for f in seen] == ["added", "added", "refused", "added", "added"]
    assert "写入数据库失败" in (seen[2].reason or "")
    assert seen[2].documents == 0
    stored = sum(f.documents for f in seen)
    assert stored == 27 - len(parse_file(seeds[2]).documents)
    counts = _counts(engine)
    assert counts["documents"] == stored
    assert counts["source_files"] == counts["file_paths"] == 4
    with engine.connect() as conn:
        for table in (schema.source_files, schema.file_paths, schema.documents, schema.findings):
            left = conn.execute(select(func.count()).where(table.c.sha256 == bad)).scalar_one()
            assert left == 0, table.name
        rf = schema.run_files
        logged = conn.execute(select(rf.c.outcome, rf.c.reason).where(rf.c.run_id == run_id)).all()
    assert sorted(o for o, _r in logged) == ["added"] * 4 + ["refused"]
    assert [r for o, r in logged if o == "refused"] == [seen[2].reason]


def test_ctrl_c_says_what_was_stored_and_links_it(
    engine: Engine, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after two files: those two are stored, linked and checked across; the rest are named as not
    stored; a re-run stores the rest."""
    real_add = store_ingest.GroupWriter.add
    calls: list[object] = []

    def add(self: store_ingest.GroupWriter, job: object, parsed: object = None) -> None:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(job)
        real_add(self, job, parsed)  # type: ignore[arg-type]

    monkeypatch.setattr(store_ingest.GroupWriter, "add", add)
    with pytest.raises(ingest_module.Interrupted) as stop:
        ingest_files(engine, seeds, workers=1)
    report = stop.value.report
    assert report.interrupted
    assert [f.outcome for f in report.files] == ["added", "added"]
    assert report.not_stored == [str(p) for p in seeds[2:]]
    assert "已入库 2 个文件，未入库 3 个" in str(stop.value)
    assert sum(len(p.documents) for p in projects_of(engine)) == sum(f.documents for f in report.files)
    monkeypatch.setattr(store_ingest.GroupWriter, "add", real_add)
    again = ingest_files(engine, seeds, workers=1)
    assert [f.outcome for f in again.files] == ["unchanged", "unchanged", "added", "added", "added"]
