"""Live scoring as deployed: p50/p95/p99 of the score-on-change request (htmx autosave of one field of a 30-row
self-evaluation) against ``jixiao serve`` in its own process over loopback, beside a trivial page of the same
server (``GET /login``, a template and no store) measured interleaved with it, request for request, so both see
the same machine; first alone, then while other units autosave their own drafts at full speed.
Aim (issue 11): p95 < 30 ms.

This module is the score-on-change driver (the store, the clients, the autosaving draft, the out-of-process
run); ``bench/cycle.py`` runs it after measuring the same request with the server in-process, which is what
``make bench`` runs.  Alone, it measures the out-of-process figures only:

    python bench/web_cycle.py [--rows 30] [--seconds 5] [--load 0,4] [--db URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PW = "bench horse 9"
MIN_SAMPLES = 5  # each figure goes on past its time until it has this many (percentiles need a few)
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


def signed_in(base: str, login: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(keepalive_expiry=2))
    c.get("/login")
    token = c.cookies["csrftoken"]
    got = c.post("/login", data={"login": login, "password": PW, "csrftoken": token})
    if got.status_code not in (200, 303):
        raise SystemExit(f"登录失败：{got.status_code} {got.text[:200]}")
    return c, token


class Autosaver:
    """One client editing one draft: each request changes one actual, built on the version it last saw."""

    def __init__(self, c: httpx.Client, token: str, draft: int, rows: int) -> None:
        self.c, self.token, self.draft, self.rows, self.n = c, token, draft, rows, 0
        self.version = int(c.get(f"/api/v1/drafts/{draft}").json()["version"])

    def change(self) -> None:
        self.n += 1
        got = self.c.post(
            f"/drafts/{self.draft}/save",
            data={"expected": str(self.version), f"actual_{1 + self.n % self.rows}": f"{self.n % 400}"},
            headers={"x-csrftoken": self.token, "hx-request": "true"},
        )
        if got.status_code != 200 or "已自动保存" not in got.text:
            raise SystemExit(f"保存失败：{got.status_code} {got.text[:300]}")
        self.version += 1


def prepare(db: str, rows: int, units: int, folder: Path) -> None:
    """The store: one declaration per unit U1..Un, one 单位填报 account each (login b1..bn)."""
    from jixiao.cycle.access import Grant, Role
    from jixiao.cycle.orgs import read_rows
    from jixiao.ingest import ingest_files
    from jixiao.store import open_engine
    from jixiao.store.people import add_user, import_orgs

    engine = open_engine(db)
    orgs = ORGS + "".join(f"U{k},第{k}单位,实施单位,D1,\n" for k in range(2, units + 1))
    import_orgs(engine, read_rows(orgs), actor="bench")
    files = []
    for k in range(1, units + 1):
        text = declaration(rows).replace("第一中学", "第一中学" if k == 1 else f"第{k}单位")
        files.append(folder / f"decl{k}.txt")
        files[-1].write_text(text.replace("基准测试项目", f"基准测试项目{k}"), encoding="utf-8")
        add_user(engine, f"b{k}", f"b{k}", [Grant(Role.UNIT_FILER, f"U{k}")], password=PW, actor="bench")
    ingest_files(engine, files, workers=1)
    engine.dispose()


def open_draft(c: httpx.Client, token: str, rows: int) -> Autosaver:
    decl = c.get("/api/v1/drafts/new").json()["declarations"][0]["document_id"]
    draft = int(
        c.post("/api/v1/drafts", data={"declaration": decl}, headers={"x-csrftoken": token}).json()["id"]
    )
    data = c.get(f"/api/v1/drafts/{draft}").json()
    n = len(data["document"]["indicators"])
    if n != rows:
        raise SystemExit(f"草稿有 {n} 行，应为 {rows} 行")
    fill = {"annual_budget": "100", "executed": "95", **{f"actual_{i}": f"{i * 10}" for i in range(1, n + 1)}}
    c.post(f"/api/v1/drafts/{draft}/save", data={"expected": str(data["version"]), **fill},
           headers={"x-csrftoken": token}).raise_for_status()  # fmt: skip
    return Autosaver(c, token, draft, n)


def churn(a: Autosaver, stop: threading.Event, failed: list[str]) -> None:
    try:
        while not stop.is_set():
            a.change()
    except (SystemExit, httpx.HTTPError) as exc:  # reported by main, which then fails
        failed.append(str(exc))


def out_of_process(db: str, rows: int, seconds: float, loads: list[int]) -> None:
    """``jixiao serve`` on the store ``db`` (made by :func:`prepare` with ``1 + max(loads)`` units) in its own
    process; per load level, ``seconds`` of score-on-change requests interleaved with a trivial page."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("jixiao")
    server = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port)], env={**os.environ},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/login", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        "服务未能启动：" + (server.stderr.read().decode()[-500:] if server.stderr else "")
                    ) from None
                time.sleep(0.2)
        me = open_draft(*signed_in(base, "b1"), rows)
        others = [open_draft(*signed_in(base, f"b{k}"), rows) for k in range(2, 2 + max(loads))]
        anonymous = httpx.Client(base_url=base, timeout=30)
        print(f"jixiao serve (own process, 1 worker); {rows}-row draft; {seconds:g} s per load level")
        for load in loads:
            stop, failed = threading.Event(), list[str]()

            before = sum(a.n for a in others[:load])
            threads = [
                threading.Thread(target=churn, args=(a, stop, failed), daemon=True) for a in others[:load]
            ]
            for t in threads:
                t.start()
            saves: list[float] = []
            page: list[float] = []
            end = time.monotonic() + seconds
            while time.monotonic() < end or len(saves) < MIN_SAMPLES:
                t0 = time.perf_counter()
                me.change()
                t1 = time.perf_counter()
                anonymous.get("/login").raise_for_status()
                saves.append(t1 - t0)
                page.append(time.perf_counter() - t1)
            stop.set()
            for t in threads:
                t.join(30)
            if failed:
                raise SystemExit(f"后台保存失败：{failed[0]}")
            busy = sum(a.n for a in others[:load]) - before
            print(f"{load} other units autosaving ({busy} saves in all):")
            print(f"  score-on-change (POST /drafts/{{id}}/save, htmx)  {percentiles(saves)}")
            print(f"  baseline: trivial page (GET /login)            {percentiles(page)}")
            print("  " + aim(saves))
    finally:
        server.terminate()
        server.wait(20)


def aim(saves: list[float]) -> str:
    q95 = statistics.quantiles(saves, n=100, method="inclusive")[94] * 1000
    return f"aim p95 < 30 ms: {'met' if q95 < 30 else 'NOT met'} ({q95:.1f} ms)"


def store_for(db: str | None, rows: int, units: int, prefix: str) -> str:
    """The benches' store: ``db`` (an empty one) or a temporary SQLite file, prepared; its URL."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    url = db or str(folder / "bench.db")
    from jixiao.store.engine import StoreError

    try:
        prepare(url, rows, units, folder)
    except StoreError as exc:
        raise SystemExit(f"错误：{exc}") from None
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=5.0, help="per load level")
    ap.add_argument(
        "--load", default="0,4", help="numbers of other units autosaving meanwhile, comma-separated"
    )
    ap.add_argument(
        "--db", default=None, help="a SQLAlchemy URL for an empty store (default: a temporary SQLite file)"
    )
    args = ap.parse_args()
    loads = [int(x) for x in args.load.split(",")]
    db = store_for(args.db, args.rows, 1 + max(loads), "jixiao-bench-web-cycle-")
    out_of_process(db, args.rows, args.seconds, loads)


if __name__ == "__main__":
    main()
