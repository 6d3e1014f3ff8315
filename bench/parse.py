"""Parse throughput over the seed documents and the real corpus, on one core.

Prints tables (documents) per second of the full route (read → grid → forms → model) for each corpus, beside a
baseline measured in the same run: reading alone (read → grid, no forms), so the ratio shows what the form
parsers cost on top of reading.  Every readable file of a corpus counts (text, HTML, DOCX, XLSX; PDF has its own
benchmark, ``bench/pdf.py``).  The sides take turns pass by pass, so a busy moment on the shared machine does not
favour one of them, and each figure is the median pass, in CPU time of this process (on a core shared with other
work, wall-clock time would count their share too).

A third side, "cold caches", clears the parsers' bounded memo caches (label keys, folded text, parsed values)
before each pass: the rate when no string of a pass was seen before, a floor under the repeated-files figure.

    .venv/bin/python bench/parse.py [--seconds 2] [--real DIR] [--rendered ../shared/corpus/rendered]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from jixiao import parse_bytes
from jixiao.readers import HTML_SUFFIXES, TEXT_SUFFIXES, read_bytes

GOAL = 1000  # tables/s on one core (issue 14), for the seeds and the real corpus
SHARED = Path(__file__).resolve().parents[2] / "shared"
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".xlsx"}
MIN_PASSES = 5


def corpus_files(folder: Path, suffixes: frozenset[str] = READABLE) -> list[tuple[str, bytes]]:
    """Every readable document of a folder (not its README, not the gold beside it), by name."""
    if not folder.is_dir():
        return []
    return [
        (p.name, p.read_bytes())
        for p in sorted(folder.iterdir())
        if p.is_file()
        and p.suffix.lower() in suffixes
        and p.suffix
        and not p.name.lower().startswith("readme")
    ]


def clear_memo_caches() -> int:
    """Clear every bounded ``lru_cache`` of the jixiao modules (loaders with maxsize 1 or unbounded stay)."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("jixiao") or module is None:
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if isinstance(value, functools._lru_cache_wrapper) and info is not None:
                maxsize = info().maxsize
                if maxsize is not None and maxsize > 1:
                    value.cache_clear()
                    cleared += 1
    return cleared


def _timed(work: Callable[[], object]) -> float:
    """CPU seconds of this process for one pass: time the shared core gave other processes does not count."""
    start = time.process_time()
    work()
    return time.process_time() - start


def bench(label: str, files: list[tuple[str, bytes]], seconds: float) -> float:
    """Reader-only, full-route and cold-cache rates over ``files``; prints them and returns the full-route rate."""
    tables = sum(len(parse_bytes(data, name).documents) for name, data in files)  # also warms the caches

    def read_only() -> None:
        for name, data in files:
            read_bytes(data, name)

    def full() -> None:
        for name, data in files:
            parse_bytes(data, name)

    def cold() -> None:
        clear_memo_caches()
        full()

    times: dict[str, list[float]] = {"read": [], "full": [], "cold": []}
    start = time.perf_counter()
    while len(times["full"]) < MIN_PASSES or time.perf_counter() - start < seconds * 3:
        times["read"].append(_timed(read_only))
        times["full"].append(_timed(full))
        cold_time = _timed(cold)
        times["cold"].append(cold_time)
        full()  # warm the caches again for the next full pass, outside the timing
    rate = {side: tables / statistics.median(ts) for side, ts in times.items()}
    kinds = ", ".join(f"{n} {s}" for s, n in sorted(_suffix_counts(files).items()))
    print(f"{label}: {len(files)} files ({kinds}), {tables} tables; median of {len(times['full'])} passes")
    print(f"  baseline (read only):   {rate['read']:10.0f} tables/s")
    print(
        f"  full parse:             {rate['full']:10.0f} tables/s"
        f"   ({rate['read'] / rate['full']:.2f}x the baseline's time per table)"
    )
    print(f"  full parse, cold caches:{rate['cold']:10.0f} tables/s")
    return rate["full"]


def _suffix_counts(files: list[tuple[str, bytes]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, _ in files:
        suffix = Path(name).suffix.lower()
        counts[suffix] = counts.get(suffix, 0) + 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="least time per side and corpus")
    ap.add_argument(
        "--real", type=Path, default=SHARED / "corpus" / "real", help="the real corpus (skipped when absent)"
    )
    ap.add_argument(
        "--rendered",
        type=Path,
        help=f"also measure, for information, the DOCX/XLSX/HTML files of a folder (e.g. {SHARED}/corpus/rendered)",
    )
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"one core; load average {load:.2f} at start")
    seeds = corpus_files(Path(str(resources.files("jixiao.samples"))))
    rates = {"seeds": bench("seeds", seeds, args.seconds)}
    real = corpus_files(args.real)
    if real:
        rates["real"] = bench(f"real ({args.real})", real, args.seconds)
    rendered = (
        corpus_files(args.rendered, frozenset({".docx", ".xlsx", *HTML_SUFFIXES})) if args.rendered else []
    )
    if rendered:
        bench(f"rendered ({args.rendered}, no goal)", rendered, args.seconds)
    for label, rate in rates.items():
        print(f"goal ≥ {GOAL} tables/s ({label}): {'met' if rate >= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
