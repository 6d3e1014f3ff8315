"""The yearly cycle over HTTP: a unit drafts its self-evaluation from the approved declaration, live scoring,
送审 refused on an error, 退回 with a row comment, answer, resubmit, two levels approve, locked; the audit log.

Security: every POST route of the cycle's router (enumerated from the app) refuses a request without the CSRF
token; a 单位填报 user of another unit gets 404 on every draft route; the approver is never the submitter; a
login is locked after repeated failures; stored text is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jixiao.cycle.access import Grant, Role
from jixiao.cycle.orgs import read_rows
from jixiao.ingest import ingest_files
from jixiao.store import campaigns, open_engine
from jixiao.store.people import add_user, import_orgs, load_tree
from jixiao.web import create_app
from tests.cycle.conftest import CITY

PW = "correct horse 9"
HOSTILE = '<script>alert("x")</script>'
DECLARATION = """2025年度项目支出绩效目标申报表

| 项目名称 | 教师培训经费 | | |
|---|---|---|---|
| 主管部门 | 某市教育局 | 实施单位 | 第一中学 |
| 项目资金（万元） | 年度资金总额 | 100 | |
| | 其中：财政拨款 | 100 | |
| 年度总体目标 | 完成全校教师轮训，提升课堂教学质量 | | |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 培训教师人次 | ≥200人次 |
| 产出指标 | 数量指标 | 开设课程门数 | ≥12门 |
| 产出指标 | 质量指标 | 培训合格率 | ≥95% |
| 产出指标 | 时效指标 | 培训完成时间 | 2025年12月底前 |
| 产出指标 | 成本指标 | 人均培训成本 | ≤5000元 |
| 效益指标 | 社会效益指标 | 课堂教学质量提升 | 显著提升 |
| 满意度指标 | 服务对象满意度指标 | 参训教师满意度 | ≥90% |
"""
ACCOUNTS = {
    "u1": [Grant(Role.UNIT_FILER, "U1")],
    "u2": [Grant(Role.UNIT_FILER, "U2")],
    "d1": [Grant(Role.DEPARTMENT_REVIEWER, "D1")],
    "f1": [Grant(Role.FINANCE_REVIEWER, "F1")],
    "adm": [Grant(Role.PERFORMANCE_ADMIN, "F")],
    "both": [Grant(Role.UNIT_FILER, "U1"), Grant(Role.DEPARTMENT_REVIEWER, "D1")],
    "victim": [Grant(Role.READER, "U1")],
}


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """The application over ``engine`` under uvicorn on a free loopback port; its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def build_cycle_store(folder: Path) -> Engine:
    """Two declarations of 第一中学 (U1) in the store, the city's tree, one account per role, a 2025 campaign."""
    (folder / "declaration.txt").write_text(DECLARATION, encoding="utf-8")
    (folder / "second.txt").write_text(DECLARATION.replace("教师培训经费", "课后服务经费"), encoding="utf-8")
    engine = open_engine(str(folder / "cycle.db"))
    ingest_files(engine, [folder / "declaration.txt", folder / "second.txt"], workers=1)
    import_orgs(engine, read_rows(CITY), actor="t")
    for login, grants in ACCOUNTS.items():
        add_user(engine, login, f"{login} 姓名", grants, password=PW, actor="t")
    adm = add_user(engine, "adm2", "", [Grant(Role.PERFORMANCE_ADMIN, "F")], actor="t")
    today = dt.date.today()
    campaigns.create_campaign(
        engine, year=2025, kind="self_evaluation", starts_on=today, deadline=today + dt.timedelta(days=30),
        actor=adm.actor(), tree=load_tree(engine),
    )  # fmt: skip
    return engine


@pytest.fixture(scope="module")
def cycle_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = build_cycle_store(tmp_path_factory.mktemp("cycle"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def cycle_app(cycle_store: Engine) -> FastAPI:
    return create_app(engine=cycle_store)


def csrf(client: TestClient) -> str:
    if "csrftoken" not in client.cookies:
        client.get("/login")
    return str(client.cookies["csrftoken"])


def login(app: FastAPI, who: str) -> TestClient:
    client = TestClient(app)
    token = csrf(client)
    got = client.post("/login", data={"login": who, "password": PW, "csrftoken": token, "next": "/-/todo"},
                      follow_redirects=False)  # fmt: skip
    assert got.status_code == 303, got.text
    return client


def post(client: TestClient, url: str, **data: Any) -> Any:
    return client.post(url, data={"csrftoken": csrf(client), **data}, follow_redirects=False)


def twin(client: TestClient, draft_id: int) -> dict[str, Any]:
    got = client.get(f"/api/v1/drafts/{draft_id}")
    assert got.status_code == 200, got.text
    data: dict[str, Any] = got.json()
    return data


def new_draft(client: TestClient, project: str = "教师培训经费") -> int:
    listed = client.get("/api/v1/drafts/new").json()["declarations"]
    assert sorted(x["project"] for x in listed) == ["教师培训经费", "课后服务经费"]
    chosen = next(x for x in listed if x["project"] == project)
    got = post(client, "/drafts", declaration=chosen["document_id"])
    assert got.status_code == 303, got.text
    return int(got.headers["location"].rsplit("/", 1)[1])


def full_actuals(n: int) -> dict[str, str]:
    good = ["210人次", "12门", "98%", "2025年11月完成", "4800元", "显著提升", "93%"]
    return {f"actual_{i}": good[i - 1] for i in range(1, n + 1)}


@pytest.fixture(scope="module")
def flow(cycle_app: FastAPI) -> dict[str, Any]:
    """The whole cycle once; the tests below look at what it left."""
    u1, d1, f1 = login(cycle_app, "u1"), login(cycle_app, "d1"), login(cycle_app, "f1")
    draft_id = new_draft(u1)
    data = twin(u1, draft_id)
    rows = data["document"]["indicators"]
    assert data["state"] == "草稿"
    assert data["may"]["save"]
    assert not data["may"]["approve"]
    assert [r["weight"] for r in rows] == [10, 10, 10, 10, 10, 30, 10]  # 产出 50 / 效益 30 / 满意度 10
    assert data["document"]["funds"][0]["weight"] == 10
    assert data["days_left"] == 30

    # the unit types a missed actual: C-SE-08 demands a 偏差原因 on that row, live
    edits = {
        "expected": "1",
        "annual_budget": "100",
        "executed": "96",
        **full_actuals(len(rows)),
        "actual_1": "150人次",
    }
    live = u1.post(
        f"/drafts/{draft_id}/save", data=edits, headers={"x-csrftoken": csrf(u1), "hx-request": "true"}
    )
    assert live.status_code == 200
    assert 'id="need-1"' in live.text
    assert "必填" in live.text
    after_first = twin(u1, draft_id)
    assert after_first["version"] == 2
    assert after_first["live"]["execution_rate"] == 96
    assert after_first["live"]["deviation_required"] == [1]
    assert after_first["live"]["errors"] >= 1
    refused = post(u1, f"/drafts/{draft_id}/submit", ack="1")
    assert refused.status_code == 409
    assert "错误" in refused.text  # 送审 refused while an error remains

    # a second tab saves from version 1: refused, the other change shown
    stale = u1.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": "1", "actual_1": "1"},
                    headers={"x-csrftoken": csrf(u1)})  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["other"]["indicators"][0]["actual"] == "150人次"
    tab2 = u1.post(f"/drafts/{draft_id}/save", data={"expected": "1", "actual_1": "1"},
                   headers={"x-csrftoken": csrf(u1), "hx-request": "true"})  # fmt: skip
    assert tab2.status_code == 200
    assert "你的修改未保存" in tab2.text
    assert 'id="expected"' not in tab2.text
    assert twin(u1, draft_id)["version"] == 2

    explained = post(u1, f"/drafts/{draft_id}/save", expected="2", deviation_1=f"生源减少{HOSTILE}")
    assert explained.status_code == 303
    ready = twin(u1, draft_id)
    assert ready["live"]["errors"] == 0, ready["live"]["findings"]
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 303
    assert twin(u1, draft_id)["state"] == "待审核"

    # 主管部门 returns it with a reason and a row comment
    assert twin(d1, draft_id)["may"]["return"]
    assert post(d1, f"/drafts/{draft_id}/return", reason="").status_code == 409  # a reason is required
    assert (
        post(
            d1, f"/drafts/{draft_id}/return", reason="数据需核实", comment_3=f"合格率口径{HOSTILE}"
        ).status_code
        == 303
    )
    back = twin(u1, draft_id)
    assert back["state"] == "被退回"
    assert back["comments"][0]["row"] == 3
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 409  # unanswered comment
    cid = back["comments"][0]["id"]
    assert post(u1, f"/drafts/{draft_id}/comments/{cid}/answer", answer="按结业考核口径").status_code == 303
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 303

    # 主管部门 approves (with a 核定分), then 财政; the form is locked
    assert post(d1, f"/drafts/{draft_id}/review", review_1="8", review_note_1="核减").status_code == 303
    assert post(f1, f"/drafts/{draft_id}/approve").status_code == 403  # level 1 is not 财政's
    assert post(d1, f"/drafts/{draft_id}/approve").status_code == 303
    assert twin(d1, draft_id)["may"] == {**dict.fromkeys(twin(d1, draft_id)["may"], False), "unapprove": True}
    assert post(f1, f"/drafts/{draft_id}/approve").status_code == 303
    locked = twin(u1, draft_id)
    assert locked["state"] == "已审核·锁定"
    assert not locked["may"]["save"]
    refused_edit = post(u1, f"/drafts/{draft_id}/save", expected=str(locked["version"]), actual_1="1")
    assert refused_edit.status_code == 409
    assert "不能修改" in refused_edit.text
    page = u1.get(f"/drafts/{draft_id}")
    assert "已审核通过并锁定，不能修改" in page.text
    return {"draft": draft_id, "u1": u1, "d1": d1, "f1": f1, "final": locked}


def test_the_whole_cycle_is_audited_with_actors_and_hashes(flow: dict[str, Any]) -> None:
    u1 = flow["u1"]
    entries = u1.get(f"/api/v1/audit?draft={flow['draft']}").json()["entries"]
    steps = [(e["actor"], e["action"], e["after"]) for e in reversed(entries)]
    assert steps == [
        ("u1", "create", "草稿"),
        ("u1", "save", "草稿"),
        ("u1", "save", "草稿"),
        ("u1", "submit", "待审核"),
        ("d1", "return", "被退回"),
        ("u1", "answer", "被退回"),
        ("u1", "submit", "待审核"),
        ("d1", "review", "待审核"),
        ("d1", "approve", "待审核"),
        ("f1", "approve", "已审核·锁定"),
    ]
    assert all(re.fullmatch("[0-9a-f]{64}", e["snapshot"]) for e in entries)
    assert entries[0]["snapshot"] == flow["final"]["snapshot"]
    csv_text = u1.get(f"/-/audit.csv?draft={flow['draft']}").content.decode("utf-8-sig")
    assert csv_text.count("\n") == 11
    assert "审核通过" in csv_text
    exported = u1.get(f"/drafts/{flow['draft']}.json").json()
    assert exported["indicators"][0]["deviation"].startswith("生源减少")
    assert exported["total_score"] is not None


def test_todo_tabs_and_progress_board(flow: dict[str, Any]) -> None:
    u1, d1 = flow["u1"], flow["d1"]
    mine = u1.get("/api/v1/todo?tab=已审核").json()
    assert mine["counts"]["已审核"] == 1
    assert mine["items"][0]["id"] == flow["draft"]
    assert d1.get("/api/v1/todo").json()["counts"]["曾经办"] == 1
    board = d1.get("/api/v1/progress").json()
    by_unit = {u["unit"]: u for u in board["units"]}
    assert set(by_unit) == {"U1", "U2"}
    assert by_unit["U1"]["通过"] == 1
    assert by_unit["U2"]["未填"] == 1
    assert "填报进度" in d1.get("/-/progress").text
    assert "我的待办" in u1.get("/-/todo").text


def test_text_is_escaped_everywhere(flow: dict[str, Any]) -> None:
    for client, url in [(flow["u1"], f"/drafts/{flow['draft']}"), (flow["d1"], "/-/audit")]:
        html = client.get(url).text
        assert HOSTILE not in html
    assert "&lt;script&gt;" in flow["u1"].get(f"/drafts/{flow['draft']}").text


@dataclass(frozen=True)
class Route:
    path: str
    methods: frozenset[str]


def _cycle_routes(app: FastAPI) -> list[Route]:
    """Every route the cycle's and the login module define, as the app serves them (included routers too)."""
    from jixiao.web import auth, cycle

    def mine(
        module: str | None,
    ) -> bool:  # the login module, and the cycle's (jixiao.web.cycle and its parts)
        return module == auth.__name__ or (module or "").startswith(cycle.__name__)

    found: list[Route] = []
    for r in app.routes:
        contexts: list[Any] = (
            list(r.effective_route_contexts()) if hasattr(r, "effective_route_contexts") else [r]
        )
        for c in contexts:
            endpoint = getattr(c, "endpoint", None)
            if mine(getattr(endpoint, "__module__", None)):
                found.append(Route(c.path, frozenset(c.methods or ())))
    return found


def _url(route: Route, draft_id: int) -> str:
    return route.path.replace("{draft_id}", str(draft_id)).replace("{comment_id}", "1").replace(
        "{number}", "1").replace("{token}", "x").replace("{campaign_id}", "1").replace("{sha256}", "0" * 64)  # fmt: skip


def test_every_post_route_refuses_a_request_without_csrf(cycle_app: FastAPI, flow: dict[str, Any]) -> None:
    posts = [r for r in _cycle_routes(cycle_app) if "POST" in r.methods]
    assert len(posts) >= 20
    u1 = flow["u1"]
    for route in posts:
        got = u1.post(_url(route, flow["draft"]), data={"reason": "x"}, follow_redirects=False)
        assert got.status_code == 403, route.path
        assert got.json()["code"] == "csrf", route.path
        forged = u1.post(_url(route, flow["draft"]), data={"csrftoken": "forged"}, follow_redirects=False)
        assert forged.status_code == 403, route.path


def unreachable(app: FastAPI, other: TestClient, draft_id: int, secret: str, **fields: str) -> None:
    """Every route of the cycle that names a draft answers ``other`` (a filer of another unit) 404, as for a draft
    that does not exist, and shows nothing of it (``secret``); ``fields`` go with each POST."""
    routes = [r for r in _cycle_routes(app) if "{draft_id}" in r.path]
    assert len(routes) >= 20
    for route in routes:
        url = _url(route, draft_id)
        if "GET" in route.methods:
            got = other.get(url, follow_redirects=False)
        else:
            data = {"csrftoken": csrf(other), "expected": "1", **fields}
            got = other.post(url, data=data, follow_redirects=False)
        assert got.status_code == 404, (route.path, got.status_code)
        assert secret not in got.text


def test_another_units_filer_cannot_reach_the_draft_on_any_route(
    cycle_app: FastAPI, flow: dict[str, Any]
) -> None:
    u2 = login(cycle_app, "u2")
    unreachable(cycle_app, u2, flow["draft"], "教师培训经费", reason="x")
    listed = u2.get("/api/v1/todo").json()
    assert all(n == 0 for n in listed["counts"].values())
    assert u2.get("/api/v1/audit").json()["entries"] == []
    assert u2.get(f"/api/v1/audit?draft={flow['draft']}").json()["entries"] == []
    assert u2.get("/api/v1/drafts/new").json()["declarations"] == []
    assert u2.get("/api/v1/drafts/999999").status_code == 404  # a guessed id is the same answer
    anonymous = TestClient(cycle_app)
    assert anonymous.get(f"/api/v1/drafts/{flow['draft']}").status_code == 401
    assert (
        anonymous.get(f"/drafts/{flow['draft']}", follow_redirects=False)
        .headers["location"]
        .startswith("/login")
    )


def test_the_approver_is_never_the_submitter(cycle_app: FastAPI) -> None:
    both = login(cycle_app, "both")  # 单位填报 of U1 and 主管部门审核 of D1
    draft_id = new_draft(both, "课后服务经费")
    assert new_draft(both, "课后服务经费") == draft_id  # one self-evaluation per declaration
    n = len(twin(both, draft_id)["document"]["indicators"])
    version = twin(both, draft_id)["version"]
    got = post(
        both,
        f"/drafts/{draft_id}/save",
        expected=str(version),
        annual_budget="100",
        executed="100",
        **full_actuals(n),
    )
    assert got.status_code == 303
    assert post(both, f"/drafts/{draft_id}/submit", ack="1").status_code == 303
    data = twin(both, draft_id)
    assert data["state"] == "待审核"
    assert not data["may"]["approve"]
    assert not data["may"]["return"]
    refused = post(both, f"/drafts/{draft_id}/approve")
    assert refused.status_code == 403
    assert "送审人本人" in refused.text
    d1 = login(cycle_app, "d1")
    assert post(d1, f"/drafts/{draft_id}/approve").status_code == 303


def test_login_lockout_session_rotation_and_cookie_flags(cycle_app: FastAPI) -> None:
    client = TestClient(cycle_app)
    for _ in range(4):
        bad = post(client, "/login", login="victim", password="wrong password 1")
        assert bad.status_code == 401
        assert "用户名或密码错误" in bad.text
    locked = post(client, "/login", login="victim", password="wrong password 1")
    assert locked.status_code == 429
    assert "已锁定" in locked.text
    right = post(client, "/login", login="victim", password=PW)  # even the right password, while locked
    assert right.status_code == 429
    unknown = post(client, "/login", login="nobody", password=PW)
    assert unknown.status_code == 401
    assert "用户名或密码错误" in unknown.text

    fresh = TestClient(cycle_app)
    csrf(fresh)
    domain = next(c.domain for c in fresh.cookies.jar if c.name == "csrftoken")
    fresh.cookies.set("jixiao_session", "planted-by-attacker", domain=domain)
    got = post(fresh, "/login", login="u1", password=PW)
    cookie = got.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    sid = fresh.cookies["jixiao_session"]
    assert sid != "planted-by-attacker"
    assert len(sid) >= 40
    again = post(fresh, "/login", login="u1", password=PW)
    assert again.status_code == 303
    assert fresh.cookies["jixiao_session"] != sid  # a new id at every login
    stolen = TestClient(cycle_app)
    stolen.cookies.set("jixiao_session", sid, domain=domain)
    assert stolen.get("/api/v1/todo").status_code == 401  # the old id ended with the new login
    assert post(fresh, "/logout").status_code == 303
    assert fresh.get("/api/v1/todo").status_code == 401


def test_bearer_tokens_and_no_fallback_to_the_cookie(cycle_app: FastAPI, cycle_store: Engine) -> None:
    from jixiao.store.people import issue_token

    token = issue_token(cycle_store, "u1", days=1, purpose="测试", actor="t")
    machine = TestClient(cycle_app)
    assert machine.get("/api/v1/todo", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert machine.get("/api/v1/todo", headers={"Authorization": "Bearer jx_wrong"}).status_code == 401
    u1 = login(cycle_app, "u1")  # a bad token beside a good session is anonymous, not the session
    assert u1.get("/api/v1/todo", headers={"Authorization": "Bearer jx_wrong"}).status_code == 401


def test_static_css_is_served(cycle_app: FastAPI) -> None:
    assert TestClient(cycle_app).get("/static/cycle.css").status_code == 200
    assert Path(__file__).name == "test_cycle.py"


def test_publish_then_unlock_with_a_reason_keeps_every_version(
    cycle_app: FastAPI, flow: dict[str, Any]
) -> None:
    adm, u1 = login(cycle_app, "adm"), flow["u1"]
    draft_id = flow["draft"]
    assert twin(adm, draft_id)["may"]["publish"]
    assert not twin(u1, draft_id)["may"]["publish"]
    assert post(u1, f"/drafts/{draft_id}/publish").status_code == 403
    assert post(adm, f"/drafts/{draft_id}/publish").status_code == 303
    assert twin(adm, draft_id)["state"] == "已公开"
    assert post(adm, f"/drafts/{draft_id}/unlock", reason="").status_code == 409
    before = twin(adm, draft_id)["version"]
    assert post(adm, f"/drafts/{draft_id}/unlock", reason="财政复核发现口径问题").status_code == 303
    data = twin(u1, draft_id)
    assert data["state"] == "草稿"
    assert data["version"] == before + 1
    assert data["may"]["save"]
    versions = [v["version"] for v in data["versions"]]
    assert versions == list(range(1, before + 2))
    old = u1.get(f"/drafts/{draft_id}/versions/{before}.json")
    assert old.status_code == 200
    assert old.json() == u1.get(f"/drafts/{draft_id}.json").json()
    assert data["history"][0]["action"] == "unlock"
    assert data["history"][0]["reason"] == "财政复核发现口径问题"


def test_the_unit_cannot_add_drop_or_reweight_rows() -> None:
    from jixiao.web.cycle import apply_edits

    body: dict[str, Any] = {
        "kind": "self_evaluation",
        "funds": [{"line": "年度资金总额", "annual_budget": 100, "weight": 10, "execution_rate": 50}],
        "indicators": [
            {"name": "a", "target": "≥1", "weight": 45},
            {"name": "b", "target": "≥2", "weight": 45},
        ],
    }
    form = {
        "actual_1": "2", "deviation_2": " 原因 ", "weight_1": "90", "target_1": "≥0", "name_1": "x",
        "actual_3": "9", "executed": "80", "annual_budget": "1,000",
    }  # fmt: skip
    out = apply_edits(body, form)
    assert [(r["name"], r["target"], r["weight"]) for r in out["indicators"]] == [
        ("a", "≥1", 45),
        ("b", "≥2", 45),
    ]
    assert out["indicators"][0]["actual"] == "2"
    assert out["indicators"][1]["deviation"] == "原因"
    assert out["funds"][0] == {
        "line": "年度资金总额",
        "annual_budget": 1000.0,
        "executed": 80.0,
        "weight": 10,
    }
    assert body["indicators"][0].get("actual") is None  # the stored body is not touched
    from jixiao.web.cycle import Refusal

    with pytest.raises(Refusal, match="全年执行数应为数字"):
        apply_edits(body, {"executed": "八十"})


def test_one_time_link_then_set_password(cycle_app: FastAPI, cycle_store: Engine) -> None:
    from jixiao.store.people import get_user
    from jixiao.store.sessions import create_login_link

    user = get_user(cycle_store, "adm2")
    assert user is not None
    assert not user.has_password
    token = create_login_link(cycle_store, user.id, dt.datetime.now(dt.UTC))
    client = TestClient(cycle_app)
    got = client.get(f"/login/once/{token}", follow_redirects=False)
    assert got.status_code == 303
    assert got.headers["location"] == "/account"
    assert TestClient(cycle_app).get(f"/login/once/{token}").status_code == 404  # once only
    assert post(client, "/account/password", password="short", again="short").status_code == 422
    assert (
        post(client, "/account/password", password="new secret 42", again="new secret 42").status_code == 200
    )
    other = TestClient(cycle_app)
    ok = post(other, "/login", login="adm2", password="new secret 42")
    assert ok.status_code == 303


def test_campaigns_and_extensions_by_the_performance_admin(cycle_app: FastAPI, flow: dict[str, Any]) -> None:
    adm, u1, d1 = login(cycle_app, "adm"), flow["u1"], flow["d1"]
    form = {"year": "2026", "kind": "self_evaluation", "starts_on": "2027-03-01", "deadline": "2027-04-30"}
    assert post(u1, "/-/campaigns", **form).status_code == 403
    assert (
        post(adm, "/-/campaigns", **{**form, "deadline": "2027-02-01"}).status_code == 409
    )  # before the start
    assert post(adm, "/-/campaigns", **form).status_code == 303
    listed = adm.get("/api/v1/campaigns").json()["campaigns"]
    c2025 = next(x for x in listed if x["year"] == 2025)
    assert (
        post(
            adm, f"/-/campaigns/{c2025['id']}/extend", unit="U1", deadline="2099-01-01", reason=""
        ).status_code
        == 409
    )
    later = (dt.date.today() + dt.timedelta(days=45)).isoformat()
    got = post(adm, f"/-/campaigns/{c2025['id']}/extend", unit="U1", deadline=later, reason="校舍维修")
    assert got.status_code == 303
    board = {u["unit"]: u for u in d1.get("/api/v1/progress?year=2025").json()["units"]}
    assert board["U1"]["days_left"] == 45
    assert board["U2"]["days_left"] == 30
    assert "校舍维修" in u1.get("/-/campaigns").text
    assert twin(u1, flow["draft"])["days_left"] == 45


def test_bulk_approve_recall_and_unapprove(
    cycle_app: FastAPI, cycle_store: Engine, flow: dict[str, Any]
) -> None:
    from jixiao.cycle.access import Action
    from jixiao.model import TargetDeclaration
    from jixiao.store import drafts
    from jixiao.store.people import get_user
    from jixiao.store.query import load_documents
    from jixiao.web.cycle import apply_edits, self_evaluation_from

    u1, d1 = flow["u1"], flow["d1"]
    with cycle_store.connect() as conn:
        found = load_documents(conn, list(range(1, 5)))
    decl = next(d for d in found.values() if isinstance(d, TargetDeclaration) and d.project == "教师培训经费")
    body = self_evaluation_from(decl)
    rows = len(body["indicators"])
    good = apply_edits(body, {"annual_budget": "100", "executed": "100", **full_actuals(rows)})
    bad = apply_edits(good, {"actual_1": "10人次"})  # missed, unexplained: C-SE-08
    user = get_user(cycle_store, "u1")
    assert user is not None
    tree = load_tree(cycle_store)
    made = []
    for i, b in enumerate([good, bad, good]):
        d = drafts.create(cycle_store, org="U1", project=f"批量{i}", kind="self_evaluation", year=2025, body=b,
                          actor=user.actor(), tree=tree)  # fmt: skip
        assert isinstance(d, drafts.Draft)
        made.append(d.id)
    for draft_id in made[:2]:  # as if the rules found the error after 送审 (a profile changed, say)
        assert isinstance(
            drafts.act(cycle_store, draft_id, Action.SUBMIT, actor=user.actor(), tree=tree), drafts.Acted
        )
    assert d1.get("/api/v1/todo?tab=待审核").json()["counts"]["待审核"] >= 2
    token = csrf(d1)
    got = d1.post(
        "/api/v1/todo/approve", json={"ids": [made[0], made[1], 999999]}, headers={"x-csrftoken": token}
    )
    result = got.json()
    assert result["approved"] == [made[0]]
    assert {x["id"] for x in result["skipped"]} == {made[1], 999999}
    assert twin(d1, made[0])["level"] == 2
    assert twin(d1, made[1])["level"] == 1
    html = post(d1, "/-/todo/approve", ids=str(made[1]))
    assert html.status_code == 200
    assert "需逐份审核" in html.text

    assert post(d1, f"/drafts/{made[0]}/unapprove").status_code == 303  # 财政 has not acted yet
    assert twin(d1, made[0])["level"] == 1

    assert post(u1, f"/drafts/{made[2]}/submit", ack="1").status_code == 303
    assert twin(u1, made[2])["may"]["recall"]
    assert post(u1, f"/drafts/{made[2]}/recall").status_code == 303
    assert twin(u1, made[2])["state"] == "草稿"
    actions = [e["action"] for e in u1.get(f"/api/v1/audit?draft={made[2]}").json()["entries"]]
    assert actions == ["recall", "submit", "create"]


def test_version_diff_names_the_changed_fields(flow: dict[str, Any]) -> None:
    u1 = flow["u1"]
    got = u1.get(f"/api/v1/drafts/{flow['draft']}/versions/2").json()
    labels = {x["label"]: x for x in got["changes"]}
    assert labels["第 1 行 实际完成值"]["after"] == "150人次"
    assert labels["第 1 行 实际完成值"]["before"] is None
    assert labels["项目资金 全年执行数"]["after"] == 96
    third = u1.get(f"/api/v1/drafts/{flow['draft']}/versions/3").json()["changes"]
    assert [x["label"] for x in third if x["label"].endswith("偏差原因")] == ["第 1 行 偏差原因"]
    page = u1.get(f"/drafts/{flow['draft']}/versions/3")
    assert page.status_code == 200
    assert "偏差原因" in page.text
    assert HOSTILE not in page.text
    assert u1.get(f"/drafts/{flow['draft']}/versions/2.json").json()["indicators"][0]["actual"] == "150人次"
    assert u1.get(f"/api/v1/drafts/{flow['draft']}/versions/999").status_code == 404


def test_evidence_files_per_row(cycle_app: FastAPI, cycle_store: Engine, flow: dict[str, Any]) -> None:
    from jixiao.store import drafts
    from jixiao.store.people import get_user

    u1 = flow["u1"]
    user = get_user(cycle_store, "u1")
    assert user is not None
    body = u1.get(f"/drafts/{flow['draft']}.json").json()
    made = drafts.create(cycle_store, org="U1", project="佐证测试", kind="self_evaluation", year=2025, body=body,
                         actor=user.actor(), tree=load_tree(cycle_store))  # fmt: skip
    assert isinstance(made, drafts.Draft)
    token = csrf(u1)
    content = b"%PDF-1.4 evidence"
    got = u1.post(f"/drafts/{made.id}/files", data={"row": "2"}, files={"file": ("<img src=x onerror=alert(1)>签到表.pdf", content)},
                  headers={"x-csrftoken": token}, follow_redirects=False)  # fmt: skip
    assert got.status_code == 303, got.text
    again = u1.post(f"/api/v1/drafts/{made.id}/files", data={"row": "2"}, files={"file": ("copy.pdf", content)},
                    headers={"x-csrftoken": token})  # fmt: skip
    assert again.status_code == 201  # the same bytes on the same row are stored once
    (stored,) = twin(u1, made.id)["files"]
    assert stored["row"] == 2
    assert stored["size"] == len(content)
    assert u1.get(f"/drafts/{made.id}/files/{stored['sha256']}").content == content
    page = u1.get(f"/drafts/{made.id}").text
    assert "&lt;img src=x onerror=alert(1)&gt;签到表.pdf" in page
    assert "<img src=x" not in page
    u2 = login(cycle_app, "u2")
    assert u2.get(f"/drafts/{made.id}/files/{stored['sha256']}").status_code == 404
    no_token = u1.post(f"/drafts/{made.id}/files", data={"row": "1"}, files={"file": ("x.pdf", b"x")})
    assert no_token.status_code == 403
    empty = u1.post(f"/api/v1/drafts/{made.id}/files", data={"row": "1"}, files={"file": ("x.pdf", b"")},
                    headers={"x-csrftoken": token})  # fmt: skip
    assert empty.status_code == 422
    from jixiao.cycle.access import Action

    assert isinstance(
        drafts.act(cycle_store, made.id, Action.SUBMIT, actor=user.actor(), tree=load_tree(cycle_store)),
        drafts.Acted,
    )
    pending = u1.post(f"/api/v1/drafts/{made.id}/files", data={"row": "1"}, files={"file": ("x.pdf", b"x")},
                      headers={"x-csrftoken": token})  # fmt: skip
    assert pending.status_code == 409
    assert "不能上传" in pending.json()["message"]
