"""Seconds per page of the full PDF route against pdfplumber's bare ``extract_tables``, in one run, on one core.

The baseline opens each PDF and calls ``page.extract_tables()`` on every page.  The full route is
``parse_bytes``: the PDF reader (tables, free text, continuations, split rows) into the grid, then the form
parsers into the model.  The sides take turns on each file, and each file's best round per side counts, so a
busy moment on the machine does not favour one side.

    .venv/bin/python bench/pdf.py [--rounds 3] [PDF ...]      (default: shared/corpus/rendered/*.pdf)
"""

from __future__ import annotations

import argparse
import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from jixiao import parse_bytes
from jixiao.readers import read_bytes

GOAL = 1.3
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "rendered"


def bare(name: str, data: bytes) -> int:
    pages = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            pages += 1
    return pages


def reader(name: str, data: bytes) -> int:
    read_bytes(data, name)
    return 0


def full(name: str, data: bytes) -> int:
    return len(parse_bytes(data, name).documents)


def timed(work: Callable[[str, bytes], int], name: str, data: bytes) -> float:
    start = time.perf_counter()
    work(name, data)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    paths = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not paths:
        raise SystemExit(f"no PDF given and none in {CORPUS}")
    files = [(str(p), p.read_bytes()) for p in paths]
    pages = sum(bare(n, d) for n, d in files)
    docs = sum(full(n, d) for n, d in files)  # warm caches (opencc, regexes, fonts) outside the timing
    sides: dict[str, Callable[[str, bytes], int]] = {"bare": bare, "reader": reader, "full": full}
    total = dict.fromkeys(sides, 0.0)
    for name, data in files:  # each file's best round per side, the sides interleaved
        runs: dict[str, list[float]] = {k: [] for k in sides}
        for _ in range(args.rounds):
            for k, work in sides.items():
                runs[k].append(timed(work, name, data))
        for k in sides:
            total[k] += min(runs[k])
    b, r, f = total["bare"], total["reader"], total["full"]
    print(
        f"{len(files)} PDFs, {pages} pages, {docs} documents; best of {args.rounds} interleaved rounds per file"
    )
    print(f"pdfplumber extract_tables: {b / pages:7.4f} s/page")
    print(f"jixiao reader (grid):      {r / pages:7.4f} s/page   ({r / b:.2f}x)")
    print(f"jixiao full parse:         {f / pages:7.4f} s/page   ({f / b:.2f}x)")
    print(f"goal ≤ {GOAL}x for the full route: {'met' if f / b <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
