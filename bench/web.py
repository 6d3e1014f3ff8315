"""Web latency: jixiao serve beside datasette over the same SQLite file.

Builds a store of generated projects (the seeds' forms under new names, with their documents and findings),
serves it with ``jixiao serve --read-only`` and with ``datasette --immutable``, and drives each with concurrent
clients on loopback for a bounded time over a realistic mix; prints p50/p95/p99 and requests/s per page kind.

    python bench/web.py [--projects 100000] [--clients 20] [--seconds 20] [--db URL]

``--db`` benches an existing store (e.g. PostgreSQL); datasette is then skipped unless it is a SQLite file.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def generate(folder: Path, projects: int) -> list[Path]:
    """Seed files whose project names are made unique per copy, until about ``projects`` projects."""
    from jixiao.cli.parse import sample_paths
    from jixiao.pipeline import read

    seeds = [(p, p.read_text(encoding="utf-8"), sorted({d.project for d in read(p).documents if d.project}, key=len, reverse=True)) for p in sample_paths()]
    per_copy = len({n for _p, _t, names in seeds for n in names})
    out: list[Path] = []
    for i in range(max(1, projects // max(per_copy, 1))):
        for path, text, names in seeds:
            t = text
            for n in names:
                t = t.replace(n, f"{n}{i:06d}")
            f = folder / f"g{i:06d}_{path.name}"
            f.write_text(t, encoding="utf-8")
            out.append(f)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def drive(base: str, mix: dict[str, list[str]], clients: int, seconds: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        kinds = list(mix)
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.monotonic() < stop:
                kind = rnd.choice(kinds)
                url = rnd.choice(mix[kind])
                t0 = time.perf_counter()
                r = c.get(url)
                dt = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    kind += f" [{r.status_code}]"
                with lock:
                    times[kind].append(dt)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def report(title: str, times: dict[str, list[float]], seconds: float) -> None:
    print(f"\n{title}")
    print(f"{'page':34} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for kind, ts in sorted(times.items()):
        q = statistics.quantiles(ts, n=100) if len(ts) > 1 else ts * 99
        print(f"{kind:34} {len(ts):7d} {q[49]:8.1f} {q[94]:8.1f} {q[98]:8.1f} {len(ts) / seconds:8.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", default=None, help="bench this existing store instead of generating one")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-web-"))
    db = args.db
    if db is None:
        from jixiao.ingest import ingest_files
        from jixiao.store import open_engine

        db = str(tmp / "bench.db")
        (tmp / "docs").mkdir()
        files = generate(tmp / "docs", args.projects)
        t0 = time.perf_counter()
        engine = open_engine(db)
        ingest_files(engine, files)
        engine.dispose()
        print(f"store: {len(files)} files ingested in {time.perf_counter() - t0:.0f} s → {db}")
    from sqlalchemy import func, select

    from jixiao.store import schema
    from jixiao.store.engine import open_store

    engine = open_store(db, write=False)
    with engine.connect() as conn:
        pids = [int(x) for x in conn.execute(select(schema.projects.c.id).order_by(func.random()).limit(200)).scalars()]
        dids = [
            int(x)
            for x in conn.execute(
                select(schema.documents.c.id).where(schema.documents.c.kind == "self_evaluation").order_by(func.random()).limit(200)
            ).scalars()
        ]
        years = [int(y) for y in conn.execute(select(schema.documents.c.year).distinct()).scalars() if y is not None]
        n_projects = conn.execute(select(func.count()).select_from(schema.projects)).scalar_one()
    engine.dispose()
    print(f"{n_projects} projects")
    words = ["工作经费", "培训", "运维", "党建", "在线学习", "干部"]
    ours = {
        "project list + facets": [f"/projects?year={y}" for y in years] + ["/projects"],
        "search": [f"/projects?q={w}" for w in words],
        "timeline": [f"/projects/{p}" for p in pids],
        "document form": [f"/documents/{d}" for d in dids],
        "dashboard JSON": ["/api/v1/dashboards"],
    }
    port = free_port()
    env = {**os.environ, "JIXIAO_DB": db}
    server = subprocess.Popen(
        [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", "--read-only", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait(f"http://127.0.0.1:{port}/api/v1/rules")
        drive(f"http://127.0.0.1:{port}", ours, 2, 2)  # warm up
        report(f"jixiao serve ({args.workers} workers, {args.clients} clients, {args.seconds:.0f} s)",
               drive(f"http://127.0.0.1:{port}", ours, args.clients, args.seconds), args.seconds)  # fmt: skip
    finally:
        server.terminate()
        server.wait(10)
    if not Path(db).is_file():
        print("\ndatasette: skipped (the store is not a SQLite file)")
        return
    try:
        import datasette  # noqa: F401
    except ImportError:
        print("\ndatasette: not installed (pip install -e '.[bench]')")
        return
    dport = free_port()
    stem = Path(db).stem
    theirs = {
        "datasette table + filter": [f"/{stem}/documents?year={y}&_size=50" for y in years],
        "datasette search (like)": [f"/{stem}/projects?name__contains={w}&_size=50" for w in words],
        "datasette row": [f"/{stem}/projects/{p}" for p in pids],
    }
    ds = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", db, "-p", str(dport), "--setting", "sql_time_limit_ms", "20000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait(f"http://127.0.0.1:{dport}/-/versions.json")
        drive(f"http://127.0.0.1:{dport}", theirs, 2, 2)
        report(f"datasette (same file, {args.clients} clients, {args.seconds:.0f} s)",
               drive(f"http://127.0.0.1:{dport}", theirs, args.clients, args.seconds), args.seconds)  # fmt: skip
    finally:
        ds.terminate()
        ds.wait(10)


if __name__ == "__main__":
    main()
