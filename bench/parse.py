"""Parse throughput over the seed documents, on one core.

Prints tables (documents) per second of the full text route (decode → grid → forms → model), beside a
baseline measured in the same run: the reader alone (decode → grid), so the ratio shows what the form
parsers cost on top of reading.  Each side repeats the seeds until at least --seconds of work.

    .venv/bin/python bench/parse.py [--seconds 2]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    root = resources.files("jixiao.samples")
    seeds = [
        (p.name, Path(str(p)).read_bytes())
        for p in sorted(root.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".txt")
    ]
    tables = sum(len(parse_bytes(data, name).documents) for name, data in seeds)

    def read_only() -> int:
        for name, data in seeds:
            read_bytes(data, name)
        return tables

    def full() -> int:
        return sum(len(parse_bytes(data, name).documents) for name, data in seeds)

    b_elapsed, b_done, _ = _measure(read_only, args.seconds)
    f_elapsed, f_done, rounds = _measure(full, args.seconds)
    base_rate = b_done / b_elapsed
    rate = f_done / f_elapsed
    print(f"seeds: {len(seeds)} files, {tables} tables; {rounds} rounds in {f_elapsed:.2f} s")
    print(f"baseline (read only):   {base_rate:10.0f} tables/s")
    print(
        f"full parse:             {rate:10.0f} tables/s   ({base_rate / rate:.2f}x the baseline's time per table)"
    )
    print(f"goal ≥ 500 tables/s:    {'met' if rate >= 500 else 'NOT met'}")


if __name__ == "__main__":
    main()
