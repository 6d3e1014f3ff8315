"""Concurrency over loopback (uvicorn, real sockets): 20 clients editing 20 drafts and 2 clients racing on one
draft for a bounded time.  No update is lost (every stored version is one save a client was told succeeded, in
order), every refused save is reported to its client with the other change, and the audit log has one entry per
stored save."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from jixiao.model import TargetDeclaration
from jixiao.store import drafts, schema
from jixiao.store.people import get_user, load_tree
from jixiao.store.query import load_documents
from jixiao.web.cycle import self_evaluation_from
from tests.web.test_cycle import PW, build_cycle_store, serving

SECONDS = 3.0
EDITORS = 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine, list[int]]]:
    engine = build_cycle_store(tmp_path_factory.mktemp("cycle-race"))
    with engine.connect() as conn:
        decl_id = conn.execute(
            select(schema.documents.c.id).where(schema.documents.c.kind == "target_declaration").limit(1)
        ).scalar_one_or_none()
        assert decl_id is not None
        decl = load_documents(conn, [int(decl_id)])[int(decl_id)]
    assert isinstance(decl, TargetDeclaration)
    u1 = get_user(engine, "u1")
    assert u1 is not None
    tree = load_tree(engine)
    ids = []
    for i in range(EDITORS + 1):
        made = drafts.create(engine, org="U1", project=f"并发项目{i}", kind="self_evaluation", year=2025,
                             body=self_evaluation_from(decl), actor=u1.actor(), tree=tree)  # fmt: skip
        assert isinstance(made, drafts.Draft)
        ids.append(made.id)
    with serving(engine) as base_url:
        yield base_url, engine, ids
    engine.dispose()


def client(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    c.get("/login")
    token = c.cookies["csrftoken"]
    got = c.post("/login", data={"login": "u1", "password": PW, "csrftoken": token})
    assert got.status_code in (200, 303), got.text
    assert c.get("/api/v1/todo").status_code == 200
    return c


def edit_loop(c: httpx.Client, draft_id: int, tag: str, until: float, out: list[dict[str, Any]]) -> None:
    try:
        edits(c, draft_id, tag, until, out)
    except Exception as exc:  # reported to the test, which fails naming it
        out.append({"status": -1, "error": repr(exc)})


def edits(c: httpx.Client, draft_id: int, tag: str, until: float, out: list[dict[str, Any]]) -> None:
    token = c.cookies["csrftoken"]
    n = 0
    while time.monotonic() < until:
        version = c.get(f"/api/v1/drafts/{draft_id}").json()["version"]
        value = f"{tag}-{n}"
        got = c.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": str(version), "actual_1": value},
                     headers={"x-csrftoken": token})  # fmt: skip
        body = got.json()
        out.append({"status": got.status_code, "value": value, "version": body.get("version"), "body": body})
        n += 1


def test_twenty_editors_and_two_racers_lose_nothing(served: tuple[str, Engine, list[int]]) -> None:
    base, engine, ids = served
    clients = [client(base) for _ in range(EDITORS + 2)]  # signed in first: argon2 is slow on purpose
    until = time.monotonic() + SECONDS
    results: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    racers: list[list[dict[str, Any]]] = [[], []]
    threads = [
        threading.Thread(target=edit_loop, args=(clients[k], i, f"e{i}", until, results[i]))
        for k, i in enumerate(ids[:EDITORS])
    ]
    shared = ids[EDITORS]
    threads += [
        threading.Thread(target=edit_loop, args=(clients[EDITORS + k], shared, f"r{k}", until, racers[k]))
        for k in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in clients:
        c.close()
    results[shared] = racers[0] + racers[1]
    refused_total = 0
    for draft_id, attempts in results.items():
        assert attempts, draft_id
        assert {a["status"] for a in attempts} <= {200, 409}, attempts[-1]
        won = sorted((a for a in attempts if a["status"] == 200), key=lambda a: a["version"])
        refused = [a for a in attempts if a["status"] == 409]
        refused_total += len(refused)
        for a in refused:  # a refused save is told so, with the change that came first
            assert a["body"]["stale"]
            assert "未保存" in a["body"]["message"]
            assert a["body"]["other"]["indicators"]
        stored = drafts.versions(engine, draft_id)
        assert [v.version for v in stored] == [
            1,
            *(a["version"] for a in won),
        ]  # each success one version, in order
        for v, a in zip(stored[1:], won, strict=True):
            assert v.document()["indicators"][0]["actual"] == a["value"]
        with engine.connect() as conn:
            al = schema.audit_log
            saves = conn.execute(
                select(func.count()).where(al.c.subject == f"draft:{draft_id}", al.c.action == "save")
            )
            assert saves.scalar_one() == len(won)
    total = sum(len(a) for a in results.values())
    print(f"{total} saves in {SECONDS:.0f} s by {EDITORS + 2} clients, {refused_total} refused as stale")
    assert sum(1 for a in results[shared] if a["status"] == 200) >= 2
    assert refused_total >= 1  # the racers did collide
    assert Path(__file__).exists()
