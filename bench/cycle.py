"""Live scoring: p50/p95/p99 of the score-on-change request (htmx autosave of one field of a 30-row
self-evaluation: edit, live score with every local check, versioned save, the live panel rendered), measured
twice on one store by one driver (``bench/web_cycle.py``'s):

* in-process (uvicorn in this process, over loopback), beside two baselines measured in the same run: the rules
  alone on the same draft (``live_score``), and a plain authenticated JSON request that scores nothing
  (``/api/v1/todo``); and the store round trips of one autosave (SQL statements, and the transactions they run
  in), which do not depend on how busy the machine is;
* out-of-process: ``jixiao serve`` in its own process, beside a trivial page interleaved request for request,
  first alone, then while other units autosave their own drafts at full speed (``--load``).

Aim (issue 11): p95 < 30 ms.

    python bench/cycle.py [--rows 30] [--seconds 10] [--load 0,4] [--only in|out] [--db URL]
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_cycle as driver  # the one score-on-change driver


def round_trips(engine: Any, change: Callable[[], None], times: int = 10) -> tuple[float, float]:
    """SQL statements and transactions (connections checked out of the pool, each one transaction here) per
    ``change()``, averaged over ``times``."""
    from sqlalchemy import event

    seen = {"statements": 0, "transactions": 0}

    def statement(*_: Any) -> None:
        seen["statements"] += 1

    def checkout(*_: Any) -> None:
        seen["transactions"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine.pool, "checkout", checkout)
    try:
        for _ in range(times):
            change()
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine.pool, "checkout", checkout)
    return seen["statements"] / times, seen["transactions"] / times


def timed(fn: Callable[[], object], seconds: float) -> list[float]:
    out: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end or len(out) < driver.MIN_SAMPLES:
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def in_process(db: str, rows: int, seconds: float) -> None:
    """The app served by uvicorn in this process on the store ``db``; unit U1's draft (login b1)."""
    import uvicorn

    from jixiao.store import open_engine
    from jixiao.web import create_app
    from jixiao.web.cycle import live_score

    engine = open_engine(db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        c, token = driver.signed_in(f"http://127.0.0.1:{port}", "b1")
        me = driver.open_draft(c, token, rows)
        body = c.get(f"/drafts/{me.draft}.json").json()
        print(f"in-process (uvicorn in this process): draft {me.draft}, {rows} indicator rows; {seconds:g} s")
        statements, transactions = round_trips(engine, me.change)
        print(
            f"store round trips per autosave: {statements:g} SQL statements in {transactions:g} transactions"
        )
        rules = timed(lambda: live_score(body), seconds / 2)
        plain = timed(lambda: c.get("/api/v1/todo").raise_for_status(), seconds / 2)
        saves = timed(me.change, seconds)
        print(f"score-on-change (POST /drafts/{{id}}/save, htmx)  {driver.percentiles(saves)}")
        print(f"baseline: the rules in-process (live_score)     {driver.percentiles(rules)}")
        print(f"baseline: GET /api/v1/todo (no scoring)          {driver.percentiles(plain)}")
        print(driver.aim(saves))
    finally:
        server.should_exit = True
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument(
        "--seconds", type=float, default=10.0, help="in-process; out-of-process: half of it per load level"
    )
    ap.add_argument(
        "--load", default="0,4", help="out-of-process: other units autosaving meanwhile, comma-separated"
    )
    ap.add_argument("--only", choices=("in", "out"), default=None, help="one of the two measurements only")
    ap.add_argument(
        "--db", default=None, help="a SQLAlchemy URL for an empty store (default: a temporary SQLite file)"
    )
    args = ap.parse_args()
    loads = [int(x) for x in args.load.split(",")]
    db = driver.store_for(args.db, args.rows, 1 + max(loads), "jixiao-bench-cycle-")
    if args.only != "out":
        in_process(db, args.rows, args.seconds)
    if args.only != "in":
        driver.out_of_process(db, args.rows, args.seconds / 2, loads)


if __name__ == "__main__":
    main()
