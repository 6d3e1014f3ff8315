"""Start-up time: ``jixiao --help`` and ``jixiao parse`` of one small file, beside ``python -c pass``; with
``--db FILE``, also the store's read commands over that store (``summary``, ``show`` of a project with the most
documents, ``projects --json``), beside ``python -c "import sqlalchemy"`` and the libraries every command imports,
each with its CPU time and peak RSS (the process's own, from ``wait4``) as well as its wall time.

Each command runs several times in a fresh process; the best time counts (the others measure the machine's other
load).  The package's bytecode is compiled first, as ``pip install`` does: a machine that sets
``PYTHONDONTWRITEBYTECODE`` (this one does) would otherwise compile every module from source at every start.
Run: ``python bench/startup.py [--runs N] [--db FILE | --projects N]``; exits 1 when ``jixiao --help`` or the
parse takes 0.3 s or more (the read commands' aims, ``summary`` < 1 s and ``show`` < 0.2 s, are printed beside
them, not enforced: their figures depend on the store).  ``--projects N`` generates the store as ``bench/web.py``
does (SQLite cached under /tmp/jixiao-bench-web; with ``--db postgresql://…``, in a schema of that database,
dropped after); ``--db`` alone takes any store.

``show`` is timed as users run it (the console script, which answers it without the Typer app: by id, by a
project's name and with ``--json``) beside the Typer command itself over the same store (``show`` as it ran
before the console script answered it), each beside ``python -c pass`` in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

LIMIT_S = 0.3
SAMPLE = sorted((Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples").glob("*.txt"))[0]


READS = {
    "summary": "aim < 1 s",
    "show": "aim < 0.2 s",
    "show NAME": "aim < 0.2 s",
    "show --json": "aim < 0.2 s",
    "projects --json": "memory bounded",
}
FULL = "from jixiao.cli import app; app()"  # the Typer app itself, without the console script's light show


def run_once(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one run of ``cmd``, its own figures."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = 0  # reaped here: Popen must not wait for it again
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def medians(cmd: list[str], runs: int) -> tuple[float, float, float]:
    """The median wall, CPU and peak RSS over ``runs`` runs after one warm-up (a shared machine: read CPU)."""
    run_once(cmd)
    done = sorted(run_once(cmd) for _ in range(runs))
    walls, cpus, rss = (sorted(x[i] for x in done) for i in range(3))
    mid = runs // 2
    return walls[mid], cpus[mid], rss[mid]


def fullest_project(db: str) -> str:
    """The project with the most current documents, by id (``P12``), and its name when no other project is
    named so (else the id again): what ``show`` has the most to print."""
    from sqlalchemy import func, select

    from jixiao.store import schema
    from jixiao.store.engine import open_store

    engine = open_store(db, write=False)
    ln, d = schema.links, schema.documents
    q = (
        select(ln.c.project_id)
        .join(d, d.c.id == ln.c.document_id)
        .where(d.c.current.is_(True))
        .group_by(ln.c.project_id)
        .order_by(func.count().desc(), ln.c.project_id)
        .limit(1)
    )
    with engine.connect() as conn:
        pid = conn.execute(q).scalar_one()
        name = conn.execute(select(schema.projects.c.name).where(schema.projects.c.id == pid)).scalar_one()
        alike = conn.execute(
            select(func.count()).select_from(schema.projects).where(schema.projects.c.name == name)
        ).scalar_one()
    engine.dispose()
    return f"P{pid}\n{name if alike == 1 else f'P{pid}'}"


def reads(exe: str, db: str, runs: int) -> None:
    """The read commands over ``db`` beside the interpreter and the imports they cannot avoid."""
    # found by a child: a process's peak RSS counts the pages it was forked with, so this one stays small
    found = subprocess.run(
        [sys.executable, __file__, "--fullest-of", db], capture_output=True, text=True, check=True
    )
    project, name = found.stdout.strip().split("\n")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
        "python -c 'import sqlalchemy, typer, rich'": [sys.executable, "-c", "import sqlalchemy, typer, rich.table"],
        "summary": [exe, "summary", "--db", db],
        "show": [exe, "show", project, "--db", db],
        "show NAME": [exe, "show", name, "--db", db],
        "show --json": [exe, "show", project, "--json", "--db", db],
        "show (the Typer command)": [sys.executable, "-c", FULL, "show", project, "--db", db],
        "projects --json": [exe, "projects", "--json", "--db", db],
    }  # fmt: skip
    print(f"\nover {db} (median of {runs}; show {project}, by name {name}):")
    for name, cmd in cases.items():
        wall, cpu, rss = medians(cmd, runs)
        label = name if name.startswith("python") else f"jixiao {name}"
        print(
            f"  {label:44s} {wall:6.2f} s wall  {cpu:5.2f} s CPU  peak RSS {rss:4.0f} MB  {READS.get(name, '')}"
        )


def best_of(cmd: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="a store to time summary, show and projects --json over")
    parser.add_argument(
        "--projects", type=int, help="generate a store of about this many projects (bench/web.py)"
    )
    parser.add_argument("--fullest-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fullest_of:
        print(fullest_project(args.fullest_of))
        return 0
    exe = shutil.which("jixiao") or str(Path(sys.executable).with_name("jixiao"))
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "jixiao --help": [exe, "--help"],
        f"jixiao parse {SAMPLE.name}": [exe, "parse", str(SAMPLE)],
    }
    import compileall

    import jixiao

    compileall.compile_dir(str(Path(jixiao.__file__).parent), quiet=1)
    times = {name: best_of(cmd, args.runs) for name, cmd in cases.items()}
    base = times["python -c pass"]
    for name, t in times.items():
        print(f"{name:40s} {t * 1000:7.0f} ms   (+{(t - base) * 1000:.0f} ms over python)")
    slow = [name for name, t in times.items() if name != "python -c pass" and t >= LIMIT_S]
    for name in slow:
        print(f"{name}: {times[name] * 1000:.0f} ms ≥ {LIMIT_S * 1000:.0f} ms")
    if args.projects:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import web  # the generated store of bench/web.py: SQLite cached by size, PostgreSQL a schema of --db

        built = argparse.Namespace(db=args.db, projects=args.projects, fresh=False, keep=False)
        with web.store(built) as url:
            reads(exe, url, max(3, args.runs // 2))
    elif args.db:
        reads(exe, args.db, max(3, args.runs // 2))
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
