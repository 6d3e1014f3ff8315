"""Live scoring: p50/p95/p99 of the score-on-change request (htmx autosave of one field of a 30-row
self-evaluation: edit, live score with every local check, versioned save, the live panel rendered), beside two
baselines measured in the same run: the rules alone on the same draft in-process (``live_score``), and a plain
authenticated JSON request that scores nothing (``/api/v1/todo``).  Aim (issue 11): p95 < 30 ms.  It also counts
the store round trips of one autosave (SQL statements, and the transactions they run in), which do not depend on
how busy the machine is.

    python bench/cycle.py [--rows 30] [--seconds 10] [--db URL]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PW = "bench horse 9"
ORGS = """编码,名称,类型,上级编码,归口处室
F,某市财政局,财政局,,
F1,教科文处,业务处室,F,
D1,某市教育局,主管部门,F,F1
U1,第一中学,实施单位,D1,
"""


def declaration(rows: int) -> str:
    groups = [("产出指标", "数量指标", "人次"), ("产出指标", "质量指标", "%"), ("效益指标", "社会效益指标", "项"),
              ("满意度指标", "服务对象满意度指标", "%")]  # fmt: skip
    lines = [
        "2025年度项目支出绩效目标申报表", "",
        "| 项目名称 | 基准测试项目 | | |", "|---|---|---|---|",
        "| 主管部门 | 某市教育局 | 实施单位 | 第一中学 |",
        "| 项目资金（万元） | 年度资金总额 | 100 | |",
        "| 年度总体目标 | 完成全部任务 | | |",
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
    ]  # fmt: skip
    for i in range(rows):
        l1, l2, unit = groups[i * len(groups) // rows]
        target = f"≥{90 + i % 10}{unit}" if unit == "%" else f"≥{(i + 1) * 10}{unit}"
        lines.append(f"| {l1} | {l2} | 指标{i + 1:02d} | {target} |")
    return "\n".join(lines) + "\n"


def percentiles(xs: list[float]) -> str:
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=100, method="inclusive")
    return (
        f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms  (n={len(xs)})"
    )


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument(
        "--db", default=None, help="a SQLAlchemy URL for an empty store (default: a temporary SQLite file)"
    )
    args = ap.parse_args()

    import uvicorn

    from jixiao.cycle.access import Grant, Role
    from jixiao.cycle.orgs import read_rows
    from jixiao.ingest import ingest_files
    from jixiao.store import open_engine
    from jixiao.store.people import add_user, import_orgs
    from jixiao.web import create_app
    from jixiao.web.cycle import live_score

    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-cycle-"))
    (folder / "decl.txt").write_text(declaration(args.rows), encoding="utf-8")
    engine = open_engine(args.db or str(folder / "bench.db"))
    ingest_files(engine, [folder / "decl.txt"], workers=1)
    import_orgs(engine, read_rows(ORGS), actor="bench")
    add_user(engine, "bench", "bench", [Grant(Role.UNIT_FILER, "U1")], password=PW, actor="bench")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    c.get("/login")
    token = c.cookies["csrftoken"]
    c.post("/login", data={"login": "bench", "password": PW, "csrftoken": token})
    decl = c.get("/api/v1/drafts/new").json()["declarations"][0]["document_id"]
    made = c.post("/api/v1/drafts", data={"declaration": decl}, headers={"x-csrftoken": token}).json()
    draft = made["id"]
    data = c.get(f"/api/v1/drafts/{draft}").json()
    rows = len(data["document"]["indicators"])
    fill = {
        "annual_budget": "100",
        "executed": "95",
        **{f"actual_{n}": f"{n * 10}" for n in range(1, rows + 1)},
    }
    version = c.post(f"/api/v1/drafts/{draft}/save", data={"expected": str(data["version"]), **fill},
                     headers={"x-csrftoken": token}).json()["version"]  # fmt: skip
    body = c.get(f"/drafts/{draft}.json").json()
    print(f"draft {draft}: {rows} indicator rows; {args.seconds:.0f} s per measurement, one client")

    def timed(fn: object, seconds: float) -> list[float]:
        out: list[float] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            t = time.perf_counter()
            fn()  # type: ignore[operator]
            out.append(time.perf_counter() - t)
        return out

    state = {"version": version, "n": 0}

    def change() -> None:
        state["n"] += 1
        got = c.post(
            f"/drafts/{draft}/save",
            data={
                "expected": str(state["version"]),
                f"actual_{1 + state['n'] % rows}": f"{state['n'] % 400}",
            },
            headers={"x-csrftoken": token, "hx-request": "true"},
        )
        assert got.status_code == 200, got.text[:300]
        assert "已自动保存" in got.text, got.text[:300]
        state["version"] += 1

    statements, transactions = round_trips(engine, change)
    print(f"store round trips per autosave: {statements:g} SQL statements in {transactions:g} transactions")
    rules = timed(lambda: live_score(body), args.seconds / 2)
    plain = timed(lambda: c.get("/api/v1/todo").raise_for_status(), args.seconds / 2)
    saves = timed(change, args.seconds)
    print(f"score-on-change (POST /drafts/{{id}}/save, htmx)  {percentiles(saves)}")
    print(f"baseline: the rules in-process (live_score)     {percentiles(rules)}")
    print(f"baseline: GET /api/v1/todo (no scoring)          {percentiles(plain)}")
    q95 = statistics.quantiles(saves, n=100, method="inclusive")[94] * 1000
    print(f"aim p95 < 30 ms: {'met' if q95 < 30 else 'NOT met'} ({q95:.1f} ms)")
    server.should_exit = True
    engine.dispose()


if __name__ == "__main__":
    main()
