"""The cycle under concurrency, over loopback (uvicorn, real sockets), on SQLite and PostgreSQL.

Twenty 单位填报 users, each of their own unit, keep saving their own draft with the version they last saw, while
two users of one more unit race on ONE draft: each round both send a save built on the same version at the same
moment (a barrier), so exactly one of the two may win.  Then, per draft: every accepted save is one stored
version (none missing, none extra, no two sharing a version number), every refused save was answered 409 as stale
with the change that won, the final draft is the last accepted save, and the audit log holds one entry per
accepted act, by its actor, with the version's snapshot hash.  The editors of their own drafts are never refused.

Bounded: ``JIXIAO_RACE_SECONDS`` (default 2) of editing per database; set it higher for a longer run.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from jixiao.cycle.access import Grant, Role
from jixiao.cycle.orgs import read_rows
from jixiao.ingest import ingest_files
from jixiao.model import TargetDeclaration
from jixiao.store import drafts, open_engine, schema
from jixiao.store.people import add_user, import_orgs, load_tree
from jixiao.store.query import load_documents
from jixiao.web.cycle import self_evaluation_from
from tests.pg import fresh_schema
from tests.web.test_cycle import DECLARATION, PW, serving

SECONDS = float(os.environ.get("JIXIAO_RACE_SECONDS", "2"))
EDITORS = 20
RACE_UNIT = "U99"
MIN_ROUNDS = 5  # the racers go on past the deadline until they have collided this often


def _orgs() -> str:
    lines = ["编码,名称,类型,上级编码,归口处室", "F,某市财政局,财政局,,", "F1,教科文处,业务处室,F,",
             "D1,某市教育局,主管部门,F,F1"]  # fmt: skip
    lines += [f"U{k:02d},第{k}中学,实施单位,D1," for k in range(1, EDITORS + 1)]
    lines.append(f"{RACE_UNIT},竞争中学,实施单位,D1,")
    return "\n".join(lines) + "\n"


@dataclass
class Store:
    engine: Engine
    editors: dict[str, int] = field(default_factory=dict)  # login -> the draft only that user edits
    race: int = 0  # the draft both racers edit


def _build(engine: Engine, folder: Path) -> Store:
    (folder / "declaration.txt").write_text(DECLARATION, encoding="utf-8")
    ingest_files(engine, [folder / "declaration.txt"], workers=1)
    import_orgs(engine, read_rows(_orgs()), actor="t")
    with engine.connect() as conn:
        decl_id = conn.execute(
            select(schema.documents.c.id).where(schema.documents.c.kind == "target_declaration")
        ).scalar_one()
        decl = load_documents(conn, [int(decl_id)])[int(decl_id)]
    assert isinstance(decl, TargetDeclaration)
    body = self_evaluation_from(decl)
    tree = load_tree(engine)
    store = Store(engine)
    owners = {f"w{k:02d}": f"U{k:02d}" for k in range(1, EDITORS + 1)} | {"r1": RACE_UNIT, "r2": RACE_UNIT}
    for login, unit in owners.items():
        user = add_user(
            engine, login, f"{login} 姓名", [Grant(Role.UNIT_FILER, unit)], password=PW, actor="t"
        )
        if login == "r2":
            continue  # r1 made the shared draft
        made = drafts.create(engine, org=unit, project=f"{unit} 项目", kind="self_evaluation", year=2025,
                             body=body, actor=user.actor(), tree=tree)  # fmt: skip
        assert isinstance(made, drafts.Draft), made
        if login == "r1":
            store.race = made.id
        else:
            store.editors[login] = made.id
    return store


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Store]]:
    folder = tmp_path_factory.mktemp(f"race-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'race.db'}"
        else:  # a schema of its own in the session's PostgreSQL database (dropped after)
            url = stack.enter_context(fresh_schema(request.getfixturevalue("pg_database")))
        engine = open_engine(url)
        stack.callback(engine.dispose)
        store = _build(engine, folder)
        with serving(engine) as base:
            yield base, store


def signed_in(base: str, login: str) -> httpx.Client:
    # idle connections are dropped by the client before uvicorn's keep-alive (5 s) closes them under a request
    c = httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(keepalive_expiry=2))
    c.get("/login")
    got = c.post("/login", data={"login": login, "password": PW, "csrftoken": c.cookies["csrftoken"]})
    assert got.status_code in (200, 303), got.text
    assert c.get("/api/v1/todo").status_code == 200, got.text
    return c


@dataclass(frozen=True)
class Attempt:
    login: str
    expected: int
    value: str
    status: int
    body: dict[str, Any]


def save(c: httpx.Client, login: str, draft_id: int, expected: int, value: str) -> Attempt:
    got = c.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": str(expected), "actual_1": value},
                 headers={"x-csrftoken": c.cookies["csrftoken"]})  # fmt: skip
    body = (
        got.json()
        if got.headers.get("content-type", "").startswith("application/json")
        else {"raw": got.text}
    )
    return Attempt(login, expected, value, got.status_code, body)


def seen_after(a: Attempt) -> int:
    """The version the client learns from the answer: its own new one, or the one that beat it."""
    return int(a.body["version"])


def editor(c: httpx.Client, login: str, draft_id: int, until: float, out: list[Attempt]) -> None:
    seen = int(c.get(f"/api/v1/drafts/{draft_id}").json()["version"])
    n = 0
    while time.monotonic() < until:
        a = save(c, login, draft_id, seen, f"{login}-{n}")
        out.append(a)
        if a.status not in (200, 409):
            return
        seen, n = seen_after(a), n + 1


class Rounds:
    """Both racers start each round together; the decision to stop is taken once, for both."""

    def __init__(self, until: float) -> None:
        self.until, self.stop, self.done = until, False, -1
        self.barrier = threading.Barrier(2, action=self._decide, timeout=60)

    def _decide(self) -> None:
        self.done += 1
        self.stop = time.monotonic() >= self.until and self.done >= MIN_ROUNDS


def racer(c: httpx.Client, login: str, draft_id: int, rounds: Rounds, out: list[Attempt]) -> None:
    seen = int(c.get(f"/api/v1/drafts/{draft_id}").json()["version"])
    n = 0
    while True:
        rounds.barrier.wait()
        if rounds.stop:
            return
        a = save(c, login, draft_id, seen, f"{login}-{n}")
        out.append(a)
        if a.status not in (200, 409):
            rounds.barrier.abort()
            return
        seen, n = seen_after(a), n + 1


def run(target: Any, *args: Any, errors: list[str]) -> threading.Thread:
    def guarded() -> None:
        try:
            target(*args)
        except Exception as exc:  # the test fails naming it
            errors.append(f"{args[1]}: {exc!r}")

    return threading.Thread(target=guarded)


def check_draft(
    store: Store, draft_id: int, attempts: list[Attempt], final: dict[str, Any]
) -> tuple[int, int]:
    """Every claim of the module's docstring for one draft; (accepted, refused)."""
    assert attempts, draft_id
    odd = [a for a in attempts if a.status not in (200, 409)]
    assert not odd, odd[:3]
    won = sorted((a for a in attempts if a.status == 200), key=seen_after)
    refused = [a for a in attempts if a.status == 409]
    assert all(a.body["saved"] is True and a.body["stale"] is False for a in won), won[:3]
    numbers = [seen_after(a) for a in won]
    assert len(set(numbers)) == len(numbers), "two accepted saves share a version"
    assert all(seen_after(a) == a.expected + 1 for a in won)  # each built on the version it names

    stored = drafts.versions(store.engine, draft_id)
    assert [v.version for v in stored] == [1, *numbers]  # none lost, none extra
    by_number = {v.version: v for v in stored}
    for a in won:
        v = by_number[seen_after(a)]
        assert v.document()["indicators"][0]["actual"] == a.value
        assert v.author == a.login
        assert a.body["snapshot"] == v.snapshot

    winners = {a.value for a in won}
    for a in refused:  # told it is stale, with the change that came first: a stored, accepted one
        assert a.body["stale"] is True, a
        assert a.body["saved"] is False, a
        assert "未保存" in a.body["message"], a
        other = by_number[int(a.body["version"])]
        assert int(a.body["version"]) > a.expected
        assert a.body["other"] == other.document()
        assert a.body["other_author"] == other.author
        assert a.body["other"]["indicators"][0]["actual"] in winners

    last = by_number[numbers[-1]] if numbers else by_number[1]
    assert final == last.document()  # the draft is the last accepted save
    current = drafts.get(store.engine, draft_id)
    assert current is not None
    assert current.version == last.version

    log = drafts.audit(store.engine, drafts.AuditFilter(subjects={f"draft:{draft_id}"}, limit=10_000))
    acts = sorted(log, key=lambda e: e["id"])
    assert [e["action"] for e in acts] == ["create"] + ["save"] * len(won)
    assert [e["version"] for e in acts] == [v.version for v in stored]
    assert [(e["actor"], e["snapshot"]) for e in acts] == [(v.author, v.snapshot) for v in stored]
    return len(won), len(refused)


def test_twenty_users_and_two_racers_lose_nothing_and_are_all_audited(served: tuple[str, Store]) -> None:
    base, store = served
    logins = [*store.editors, "r1", "r2"]
    clients = {login: signed_in(base, login) for login in logins}  # first: argon2 is slow on purpose
    errors: list[str] = []
    until = time.monotonic() + SECONDS
    own: dict[str, list[Attempt]] = {login: [] for login in store.editors}
    threads = [run(editor, clients[w], w, d, until, own[w], errors=errors) for w, d in store.editors.items()]
    rounds = Rounds(until)
    raced: dict[str, list[Attempt]] = {"r1": [], "r2": []}
    threads += [run(racer, clients[r], r, store.race, rounds, raced[r], errors=errors) for r in raced]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    totals = [0, 0]
    for login, draft_id in store.editors.items():
        final = clients[login].get(f"/drafts/{draft_id}.json").json()
        won, refused = check_draft(store, draft_id, own[login], final)
        assert refused == 0, f"{login} was refused on a draft nobody else edits"
        assert won >= 1
        totals[0] += won
    final = clients["r1"].get(f"/drafts/{store.race}.json").json()
    assert final == clients["r2"].get(f"/drafts/{store.race}.json").json()
    won, refused = check_draft(store, store.race, raced["r1"] + raced["r2"], final)
    pairs = list(zip(raced["r1"], raced["r2"], strict=True))
    assert len(pairs) >= MIN_ROUNDS
    assert all(a.expected == b.expected for a, b in pairs)  # each round built on one version
    assert all(sorted((a.status, b.status)) == [200, 409] for a, b in pairs), pairs[:3]  # one winner a round
    assert won == len(pairs)
    assert refused == len(pairs)

    # the unit's own audit page through the app agrees with the store (one entry per accepted act)
    listed = clients["r2"].get(f"/api/v1/audit?draft={store.race}").json()["entries"]
    assert len(listed) == min(1000, 1 + won)
    assert clients["w01"].get(f"/api/v1/audit?draft={store.race}").json()["entries"] == []  # not w01's unit
    for c in clients.values():
        c.close()
    print(f"{SECONDS:.0f} s: {totals[0]} saves by {EDITORS} editors; race: {won} accepted, {refused} refused")
