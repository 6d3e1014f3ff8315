"""The web application over the seeds: every page and its JSON twin (validated against the OpenAPI schema),
escaping, CSRF, uploads, keyset pages, errors."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jixiao.cli.parse import sample_paths
from jixiao.store import open_engine
from jixiao.store.query import table_counts
from jixiao.web import create_app
from jixiao.web.upload import Limits

from .conftest import HOSTILE_NAME


def _validator(app: FastAPI, path: str) -> jsonschema.Draft202012Validator:
    spec = app.openapi()
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**schema, "components": spec["components"]})


def _project(client: TestClient, q: str) -> dict[str, Any]:
    rows = client.get("/api/v1/projects", params={"q": q}).json()["rows"]
    assert len(rows) == 1, rows
    return dict(rows[0])


def _pages(client: TestClient) -> list[tuple[str, str, str]]:
    """(page, twin, OpenAPI path) for every page kind."""
    pid = _project(client, "在线学习")["id"]
    steps = client.get(f"/api/v1/projects/{pid}").json()["steps"]
    doc = steps[0]["document_id"]
    both = "&".join(f"d={s['document_id']}" for s in steps)
    return [
        (f"/compare?{both}", f"/api/v1/compare?{both}", "/api/v1/compare"),
        ("/", "/api/v1/", "/api/v1/"),
        ("/projects", "/api/v1/projects", "/api/v1/projects"),
        (
            "/projects?year=2023&kind=self_evaluation",
            "/api/v1/projects?year=2023&kind=self_evaluation",
            "/api/v1/projects",
        ),
        (f"/projects/{pid}", f"/api/v1/projects/{pid}", "/api/v1/projects/{project_id}"),
        (f"/documents/{doc}", f"/api/v1/documents/{doc}", "/api/v1/documents/{document_id}"),
        ("/findings", "/api/v1/findings", "/api/v1/findings"),
        ("/findings?severity=warning", "/api/v1/findings?severity=warning", "/api/v1/findings"),
        ("/rules", "/api/v1/rules", "/api/v1/rules"),
        ("/rules/C-SE-05", "/api/v1/rules/C-SE-05", "/api/v1/rules/{code}"),
        ("/dashboards", "/api/v1/dashboards", "/api/v1/dashboards"),
    ]


def test_every_page_and_its_json_twin(app: FastAPI, client: TestClient) -> None:
    for page, twin, spec_path in _pages(client):
        r = client.get(page)
        assert r.status_code == 200, page
        assert r.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "<script>" not in r.text.replace('<script src="', "")  # no inline script
        j = client.get(twin)
        assert j.status_code == 200, twin
        errors = list(_validator(app, spec_path).iter_errors(j.json()))
        assert not errors, (twin, errors[:3])
        assert j.json(), twin


def test_the_dashboard_drills_down_by_department(app: FastAPI, client: TestClient) -> None:
    top = client.get("/api/v1/dashboards").json()
    dept = next(d["key"] for d in top["departments"] if d["key"] is not None)
    down = client.get("/api/v1/dashboards", params={"dept": dept}).json()
    assert down["dept"] == dept
    assert down["dept_name"]
    assert sum(d["projects"] for d in down["departments"]) <= sum(d["projects"] for d in top["departments"])
    assert not list(_validator(app, "/api/v1/dashboards").iter_errors(down))
    assert client.get(f"/dashboards?dept={dept}").status_code == 200


def test_the_dashboards_are_bounded_and_say_how_many(client: TestClient) -> None:
    """The scatter holds at most SCATTER_POINTS self-evaluations and says how many there are; 自评虚高 lists the
    largest gaps first, at most GAP_ROWS, with the number of projects having both scores."""
    from jixiao.store.search import GAP_ROWS, SCATTER_POINTS

    top = client.get("/api/v1/dashboards").json()
    assert 0 < len(top["execution_vs_score"]) <= min(SCATTER_POINTS, top["self_evaluations"])
    gaps = [r["gap"] for r in top["self_vs_external"]]
    assert gaps
    assert gaps == sorted(gaps, reverse=True)
    assert len(gaps) <= GAP_ROWS
    assert top["self_vs_external_total"] >= len(gaps)
    assert all(r["gap"] == round(r["self_score"] - r["external_score"], 2) for r in top["self_vs_external"])
    page = client.get("/dashboards").text
    assert f"{len(top['execution_vs_score'])} 份" in page


def test_hostile_document_strings_are_text(client: TestClient) -> None:
    row = _project(client, "测试经费")
    assert row["name"] == HOSTILE_NAME
    for page in (f"/projects/{row['id']}", "/projects?q=测试经费", "/findings"):
        html = client.get(page).text
        assert "<script>alert" not in html, page
        assert "<b onmouseover" not in html, page
    html = client.get(f"/projects/{row['id']}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;测试经费" in html
    doc = client.get(f"/api/v1/projects/{row['id']}").json()["steps"][0]["document_id"]
    page = client.get(f"/documents/{doc}").text
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page


def test_seed_markup_shows_as_text(client: TestClient) -> None:
    """The seeds print raw HTML such as ``<input type="checkbox"/>``; no page turns it into a control."""
    for pid in [r["id"] for r in client.get("/api/v1/projects", params={"limit": 500}).json()["rows"]]:
        t = client.get(f"/api/v1/projects/{pid}").json()
        for s in t["steps"]:
            html = client.get(f"/documents/{s['document_id']}").text
            assert '<input type="checkbox"' not in html


def test_the_c_se_05_cell_shows_printed_and_rule_score(client: TestClient) -> None:
    pid = _project(client, "干部教育工作经费")["id"]
    steps = client.get(f"/api/v1/projects/{pid}").json()["steps"]
    doc = next(s["document_id"] for s in steps if s["kind"] == "self_evaluation")
    data = client.get(f"/api/v1/documents/{doc}").json()
    cells = [
        c for row in data["grid"]["rows"] for c in row if any(m["code"] == "C-SE-05" for m in c["findings"])
    ]
    hit = [c for c in cells if c["text"] == "1" and c["rule"] == "0.45"]
    assert hit, cells
    assert hit[0]["source"]["line"]
    assert hit[0]["field"].endswith(".score")
    html = client.get(f"/documents/{doc}").text
    assert "规则 0.45" in html
    assert 'class="flag sev-' in html
    assert "C-SE-05" in html


def test_the_online_learning_timeline(client: TestClient) -> None:
    pid = _project(client, "在线学习工作经费")["id"]
    steps = client.get(f"/api/v1/projects/{pid}").json()["steps"]
    assert [(s["year"], s["stage"]) for s in steps] == [(2018, "申报"), (2018, "评价"), (2022, "自评")]
    html = client.get(f"/projects/{pid}").text
    assert html.index("申报") < html.index("评价") < html.index("自评")


def test_keyset_pages_via_the_twin(client: TestClient) -> None:
    total = client.get("/api/v1/projects").json()["total"]
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 4}
    while True:
        page = client.get("/api/v1/projects", params=params).json()
        seen += [r["id"] for r in page["rows"]]
        if page["next"] is None:
            break
        params["after"] = page["next"]
    assert len(seen) == len(set(seen)) == total > 4
    html = client.get("/projects", params={"limit": 4, "year": 2023}).text
    assert 'rel="next"' in html
    assert "year=2023" in html.split('rel="next"')[1].split(">")[0]


def test_facets_narrow_and_search_narrows(client: TestClient) -> None:
    everything = client.get("/api/v1/projects").json()
    year = everything["facets"]["year"][0]
    narrowed = client.get("/api/v1/projects", params={"year": year["value"]}).json()
    assert narrowed["total"] == year["count"] <= everything["total"]
    assert any(v["selected"] for v in narrowed["facets"]["year"])
    assert client.get("/api/v1/projects", params={"q": "在线学习"}).json()["total"] < everything["total"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/projects/abc", 422),
        ("/projects/0", 422),
        ("/projects/99999999999999999999999", 422),
        ("/projects/987654", 404),
        ("/documents/987654", 404),
        ("/api/v1/documents/987654", 404),
        ("/api/v1/projects?year=abc", 422),
        ("/projects?score_min=x", 422),
        ("/api/v1/projects?kind=bogus", 422),
        ("/api/v1/findings?severity=fatal", 422),
        ("/rules/C-XX-99", 404),
        ("/files/" + "0" * 64, 404),
        ("/files/not-a-hash", 422),
        ("/nowhere", 404),
        ("/compare", 422),
        ("/api/v1/compare?d=987654", 404),
    ],
)
def test_malformed_ids_and_filters(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:200])
    if url.startswith("/api/"):
        body = r.json()
        assert body["code"]
        assert body["message"]


def test_csv_has_a_bom_and_round_trips(client: TestClient) -> None:
    r = client.get("/projects.csv", params={"year": 2023})
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    listed = client.get("/api/v1/projects", params={"year": 2023, "limit": 500}).json()["rows"]
    assert rows[0][:2] == ["编号", "项目"]
    assert [(int(x[0]), x[1]) for x in rows[1:]] == [(p["id"], p["name"]) for p in listed]
    f = client.get("/findings.csv")
    assert f.content.startswith(b"\xef\xbb\xbf")
    assert len(f.content.decode("utf-8-sig").splitlines()) > 1


def test_original_file_download(client: TestClient) -> None:
    pid = _project(client, "在线学习工作经费")["id"]
    doc = client.get(f"/api/v1/projects/{pid}").json()["steps"][-1]["document_id"]
    file = client.get(f"/api/v1/documents/{doc}").json()["file"]
    r = client.get(file["download"])
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    import hashlib

    assert hashlib.sha256(r.content).hexdigest() == file["sha256"]


def _token(client: TestClient) -> str:
    client.get("/upload")
    return str(client.cookies["csrftoken"])


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    seed = sample_paths()[0]
    files = {"files": (seed.name, seed.read_bytes(), "text/plain")}
    r = TestClient(client.app).post("/upload", files=files)  # no cookie, no token
    assert r.status_code == 403
    assert r.json()["code"] == "csrf"
    _token(client)
    r = client.post("/upload", files=files, data={})  # cookie but no token
    assert r.status_code == 403
    r = client.post(
        "/upload", files=files, params={"csrftoken": "forged"}
    )  # a token that is not the cookie's
    assert r.status_code == 403
    r = client.post("/projects/1/split", data={"document": "1"})
    assert r.status_code == 403


@pytest.fixture
def small(tmp_path: Path) -> tuple[TestClient, Engine]:
    engine = open_engine(str(tmp_path / "u.db"))
    app = create_app(engine=engine, limits=Limits(max_files=2, max_bytes=50_000, max_total=80_000))
    return TestClient(app), engine


@pytest.mark.parametrize(
    ("files", "status", "words"),
    [
        ([("evil.exe", b"MZ\x90\x00")], 415, "不支持的文件类型"),
        ([("empty.txt", b"")], 400, "文件为空"),
        ([("big.txt", b"x" * 60_000)], 413, "上限"),
        ([("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")], 413, "最多"),
        ([("../../etc/passwd.txt", b"a"), ("x.sh", b"#!/bin/sh")], 415, "x.sh"),
    ],
)
def test_hostile_uploads_are_refused_whole(
    small: tuple[TestClient, Engine], files: list[tuple[str, bytes]], status: int, words: str
) -> None:
    client, engine = small
    token = _token(client)
    with engine.connect() as conn:
        before = table_counts(conn)
    r = client.post(
        "/api/v1/upload",
        headers={"x-csrftoken": token},
        files=[("files", (n, b, "application/octet-stream")) for n, b in files],
    )
    assert r.status_code == status, r.text
    body = r.json()
    assert words in body["message"]
    assert "\n" not in body["message"]
    with engine.connect() as conn:
        assert table_counts(conn) == before


def test_upload_ingests_in_the_background(small: tuple[TestClient, Engine]) -> None:
    client, _engine = small
    token = _token(client)
    good, bad = sample_paths()[1], b"\x00\x01 not a form"
    r = client.post(
        "/upload",
        params={"csrftoken": token},
        files=[
            ("files", (good.name, good.read_bytes(), "text/plain")),
            ("files", ("junk.txt", bad, "text/plain")),
        ],
        follow_redirects=False,
    )
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    web = client.app.state.web  # type: ignore[attr-defined]
    job = web.uploads.wait(job_id)
    assert job is not None, job
    assert job.state == "done", job
    status = client.get(f"/api/v1/upload/{job_id}").json()
    assert [f["name"] for f in status["files"]] == [good.name]
    assert status["files"][0]["documents"] > 0
    assert [f["name"] for f in status["refused"]] == ["junk.txt"]
    assert status["refused"][0]["reason"]
    page = client.get(f"/upload/{job_id}").text
    assert "junk.txt" in page
    assert "未入库" in page
    assert client.get("/api/v1/projects").json()["total"] > 0


def test_merge_and_split_with_the_token(small: tuple[TestClient, Engine]) -> None:
    client, engine = small
    from jixiao.ingest import ingest_files

    ingest_files(engine, sample_paths(), workers=1)
    token = _token(client)
    pid = _project(client, "在线学习工作经费")["id"]
    steps = client.get(f"/api/v1/projects/{pid}").json()["steps"]
    doc = steps[0]["document_id"]
    r = client.post(
        f"/projects/{pid}/split", data={"csrftoken": token, "document": str(doc)}, follow_redirects=False
    )
    assert r.status_code == 303
    moved = int(r.headers["location"].rsplit("/", 1)[1])
    assert moved != pid
    r = client.post(
        f"/projects/{moved}/merge", data={"csrftoken": token, "other": f"P{pid}"}, follow_redirects=False
    )
    assert r.status_code == 303
    back = int(r.headers["location"].rsplit("/", 1)[1])
    assert {s["document_id"] for s in client.get(f"/api/v1/projects/{back}").json()["steps"]} >= {
        s["document_id"] for s in steps
    }


def test_read_only_refuses_writes(store: tuple[str, Engine]) -> None:
    client = TestClient(create_app(store[0], read_only=True))
    token = _token(client)
    r = client.post(
        "/api/v1/upload", params={"csrftoken": token}, files=[("files", ("a.txt", b"a", "text/plain"))]
    )
    assert r.status_code == 403
    assert "只读" in r.json()["message"]
    assert "上传</a>" not in client.get("/").text
    assert client.post("/projects/1/split", data={"csrftoken": token, "document": "1"}).status_code == 403
    time.sleep(0)


def test_every_page_of_the_real_corpus(tmp_path: Path) -> None:
    """Each project and document of the 56 real documents renders, and its twin matches the schema."""
    from jixiao.ingest import ingest_files

    from .conftest import SHARED_REAL

    if not SHARED_REAL.is_dir():
        pytest.skip("shared corpus not found")
    engine = open_engine(str(tmp_path / "real.db"))
    ingest_files(engine, [SHARED_REAL], workers=1)
    app = create_app(engine=engine)
    client = TestClient(app)
    timeline, document = (
        _validator(app, "/api/v1/projects/{project_id}"),
        _validator(app, "/api/v1/documents/{document_id}"),
    )
    rows = client.get("/api/v1/projects", params={"limit": 500}).json()["rows"]
    assert len(rows) > 10
    docs = 0
    for row in rows:
        assert client.get(f"/projects/{row['id']}").status_code == 200
        t = client.get(f"/api/v1/projects/{row['id']}").json()
        assert not list(timeline.iter_errors(t))
        for s in t["steps"]:
            assert client.get(f"/documents/{s['document_id']}").status_code == 200, s
            assert not list(document.iter_errors(client.get(f"/api/v1/documents/{s['document_id']}").json()))
            docs += 1
    stored = sum(d["count"] for d in client.get("/api/v1/").json()["documents"])
    assert docs == stored > 10  # every current document is on some project's timeline
    for page in ("/", "/findings", "/dashboards", "/projects?kind=evaluation_result"):
        assert client.get(page).status_code == 200
    engine.dispose()
