"""Live scoring: p50 / p95 of ``score_draft`` on a 30-row self-evaluation draft, beside a bare pydantic validation
of the same JSON (what any handler of the draft pays anyway) in the same run.

The draft is a seed table (公务员管理工作经费, 29 rows) with one qualitative row added, as v1 JSON with its
provenance, so each call validates, re-scores and checks 30 rows.  ``warm`` is a server's steady state (validators
built, modules imported); ``cold caches`` also clears the process-wide value-parse cache before every call, which
should change little: each call parses its draft's values afresh in its own memo, keeping nothing between requests.
Run: ``python bench/live.py [--runs N]``; exits 1 when the warm p95 is 30 ms or more.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LIMIT_MS = 30.0
SEED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples" / "001_9228f5698196810c.txt"


def the_draft() -> dict[str, Any]:
    from jixiao import parse_file
    from jixiao.model import to_v1

    doc = next(d for d in parse_file(SEED).documents if d.project == "公务员管理工作经费")
    data = to_v1(doc)
    extra = {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "窗口服务规范性", "target": "规范",
             "actual": "基本规范，个别窗口有待改进", "weight": 1, "score": 0.7, "deviation": None}  # fmt: skip
    data["indicators"].append(extra)
    assert len(data["indicators"]) == 30
    return data


def timed(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed (make bench)")
    args = parser.parse_args()
    from jixiao.cycle.live import score_draft
    from jixiao.model import from_v1
    from jixiao.rules import PROFILES
    from jixiao.rules.scoring import clear_caches

    data = the_draft()
    profile = PROFILES["national"]
    t0 = time.perf_counter()
    first = score_draft(data, profile)
    first_ms = (time.perf_counter() - t0) * 1000
    assert first.error is None
    assert len(first.rows) == 30
    gc.collect()
    cases = {
        "pydantic validation (from_v1)": timed(lambda: from_v1(data), args.runs),
        "score_draft, warm": timed(lambda: score_draft(data, profile), args.runs),
        "score_draft, cold caches": timed(lambda: score_draft(data, profile), args.runs, clear_caches),
    }
    print(f"30-row draft, {args.runs} runs each; first call {first_ms:.1f} ms (imports, validators built)")
    for name, xs in cases.items():
        print(f"{name:32s} p50 {pct(xs, 50):6.2f} ms   p95 {pct(xs, 95):6.2f} ms")
    warm = pct(cases["score_draft, warm"], 95)
    ratio = pct(cases["score_draft, warm"], 50) / pct(cases["pydantic validation (from_v1)"], 50)
    print(f"score_draft warm p50 = {ratio:.1f} × the validation's p50; goal: warm p95 < {LIMIT_MS:.0f} ms")
    if warm >= LIMIT_MS:
        print(f"score_draft warm p95 {warm:.1f} ms ≥ {LIMIT_MS:.0f} ms: NOT met")
        return 1 if args.strict else 0
    print(f"score_draft warm p95 {warm:.1f} ms: met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
