"""The benchmarks run, on a small input, and print their figures: a benchmark that rots is found here, not on the
day someone needs its numbers.  Their speed is not asserted (speed goals live in the benchmarks, not in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    ("script", "args", "expect"),
    [
        ("check.py", ["--rows", "2000", "--repeat", "1"], "rows/s (median of 1"),
        ("parse.py", ["--seconds", "0.2"], "tables/s"),
        ("ingest.py", ["--docs", "60"], "documents/s"),
        ("live.py", ["--runs", "20"], "score_draft, warm"),
        ("forms.py", ["--forms", "6"], "forms/s"),
        ("cycle.py", ["--seconds", "0.5"], "score-on-change"),
        ("web_cycle.py", ["--seconds", "0.5", "--load", "0,1"], "score-on-change"),
    ],
)
def test_benchmark_runs_and_reports(script: str, args: list[str], expect: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expect in done.stdout, done.stdout
