"""Parse throughput over the seed documents and the real corpus, on one core.

Prints tables (documents) per second of the full text route (decode → grid → forms → model), beside a
baseline measured in the same run: the reader alone (decode → grid), so the ratio shows what the form
parsers cost on top of reading.  Each side repeats its files until at least --seconds of work.

    .venv/bin/python bench/parse.py [--seconds 2] [--real ../shared/corpus/real]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from jixiao import parse_bytes
from jixiao.readers import read_bytes


def _measure(work: Callable[[], int], seconds: float) -> tuple[float, int, int]:
    work()  # warm caches (opencc, regexes) outside the timing
    done = rounds = 0
    start = time.perf_counter()
    while True:
        done += work()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed, done, rounds


GOAL = 1000  # tables/s on one core (issue 14)


def _bench(label: str, files: list[tuple[str, bytes]], seconds: float) -> float:
    """Full-route and reader-only rates over ``files``; prints them and returns the full-route rate."""
    tables = max(1, sum(len(parse_bytes(data, name).documents) for name, data in files))

    def read_only() -> int:
        for name, data in files:
            read_bytes(data, name)
        return tables

    def full() -> int:
        return sum(len(parse_bytes(data, name).documents) for name, data in files)

    b_elapsed, b_done, _ = _measure(read_only, seconds)
    f_elapsed, f_done, rounds = _measure(full, seconds)
    base_rate = b_done / b_elapsed
    rate = f_done / f_elapsed
    print(f"{label}: {len(files)} files, {tables} tables; {rounds} rounds in {f_elapsed:.2f} s")
    print(f"  baseline (read only):   {base_rate:10.0f} tables/s")
    print(
        f"  full parse:             {rate:10.0f} tables/s   ({base_rate / rate:.2f}x the baseline's time per table)"
    )
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument(
        "--real",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real",
        help="folder of real documents (r*.txt) measured beside the seeds; skipped when absent",
    )
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    root = resources.files("jixiao.samples")
    seeds = [
        (p.name, Path(str(p)).read_bytes())
        for p in sorted(root.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".txt")
    ]
    rates = {"seeds": _bench("seeds", seeds, args.seconds)}
    real = sorted(args.real.glob("r*.txt")) if args.real.is_dir() else []
    if real:
        rates["real"] = _bench(f"real ({args.real})", [(p.name, p.read_bytes()) for p in real], args.seconds)
    for label, rate in rates.items():
        print(f"goal ≥ {GOAL} tables/s ({label}): {'met' if rate >= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
