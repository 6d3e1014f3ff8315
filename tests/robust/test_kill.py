"""Ingest killed with SIGKILL at random points, on SQLite and on PostgreSQL: after each kill ``jixiao db check``
passes, and re-running the same ingest reaches the same store as one uninterrupted run.

``make test`` kills a few runs per database; ``make fuzz`` sets ``JIXIAO_KILL_RUNS`` (at least 20)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jixiao.store import schema
from jixiao.store.engine import open_store
from tests.store.conftest import pg_database  # noqa: F401  (a database of this session's own, dropped after)

ROOT = Path(__file__).resolve().parents[2]
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
RUNS = int(os.environ.get("JIXIAO_KILL_RUNS", "1"))  # make fuzz: 20 or more
ALL_INPUTS = os.environ.get("JIXIAO_KILL_RUNS") is not None  # make fuzz: the rendered DOCX and XLSX too


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files every ingest reads, copied to one folder (paths are part of the store)."""
    folder = tmp_path_factory.mktemp("inputs")
    for p in sorted((ROOT / "src" / "jixiao" / "samples").glob("*.txt")):
        shutil.copy(p, folder / p.name)
    rendered = ROOT.parent / "shared" / "corpus" / "rendered"
    if ALL_INPUTS and rendered.is_dir():
        for p in sorted(rendered.iterdir()):
            if p.suffix in (".docx", ".xlsx") and "-" not in p.stem:
                shutil.copy(p, folder / p.name)
    return folder


def _sqlite(tmp: Path, n: int) -> str:
    return str(tmp / f"k{n}.db")


def _pg(database: str) -> str:
    """A fresh schema in ``database``: the URL of a store there."""
    import psycopg

    name = f"kill_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return f"{database}?options=-csearch_path%3D{name}"


def _ingest(db: str, inputs: Path) -> list[str]:
    return [JIXIAO, "ingest", "-q", "-j", "1", "--db", db, str(inputs)]


def _state(db: str) -> dict[str, Any]:
    """What the store holds, without the run log (an interrupted run leaves its own rows there)."""
    engine = open_store(db, write=False)
    d, ln = schema.documents, schema.links
    try:
        with engine.connect() as conn:
            docs = {
                int(r.id): (str(r.sha256), int(r.ordinal))
                for r in conn.execute(select(d.c.id, d.c.sha256, d.c.ordinal))
            }
            projects: dict[int, set[tuple[str, int]]] = {}
            for doc_id, project_id in conn.execute(select(ln.c.document_id, ln.c.project_id)):
                projects.setdefault(int(project_id), set()).add(docs[int(doc_id)])
            state = {
                "files": sorted(str(s) for s in conn.execute(select(schema.source_files.c.sha256)).scalars()),
                "paths": sorted(
                    (Path(str(p)).name, str(s), int(v))
                    for p, s, v in conn.execute(
                        select(
                            schema.file_paths.c.path, schema.file_paths.c.sha256, schema.file_paths.c.version
                        )
                    )
                ),
                "documents": sorted(
                    (str(r.sha256), int(r.ordinal), str(r.kind), r.year, r.project_name, bool(r.current))
                    for r in conn.execute(select(d))
                ),
                "projects": sorted(sorted(v) for v in projects.values()),
            }
            for name in ("funds", "indicators", "subprojects", "findings", "organisations"):
                table = schema.metadata.tables[name]
                state[name] = len(conn.execute(select(table.c.id)).all())
            conn.rollback()
    finally:
        engine.dispose()
    return state


def _killed_then_rerun(db: str, inputs: Path, rng: random.Random, window: float) -> None:
    proc = subprocess.Popen(_ingest(db, inputs), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.05, window))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    created = not db.endswith(".db") or Path(db).exists()
    if created:
        check = subprocess.run(
            [JIXIAO, "db", "check", "--db", db], capture_output=True, text=True, timeout=120
        )
        # 0: sound; 2 only for a PostgreSQL schema the kill left before any table was created
        assert check.returncode == 0 or ("还没有 jixiao 的表" in check.stderr), check.stdout + check.stderr
        assert "Traceback" not in check.stderr
    again = subprocess.run(_ingest(db, inputs), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_killed_at_random_points_recovers(
    backend: str, inputs: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database: str = request.getfixturevalue("pg_database") if backend == "postgresql" else ""

    def new_store(n: int) -> str:
        return _pg(database) if backend == "postgresql" else _sqlite(tmp_path, n)

    reference = new_store(0)
    t0 = time.perf_counter()
    done = subprocess.run(_ingest(reference, inputs), capture_output=True, text=True, timeout=300)
    window = time.perf_counter() - t0
    assert done.returncode == 0, done.stdout + done.stderr
    expected = _state(reference)
    assert expected["documents"]
    rng = random.Random(int(os.environ.get("JIXIAO_KILL_SEED", "12")))
    for n in range(1, RUNS + 1):
        db = new_store(n)
        _killed_then_rerun(db, inputs, rng, window)
        assert _state(db) == expected, f"run {n}"
        check = subprocess.run(
            [JIXIAO, "db", "check", "--db", db], capture_output=True, text=True, timeout=120
        )
        assert check.returncode == 0, check.stdout + check.stderr
