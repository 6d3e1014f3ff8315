"""A draft's official forms out (XLSX, DOCX, HTML) and an XLSX back into a draft, over HTTP.

Each export reads back to the draft's own JSON; the exported workbook with one 实际完成值 changed imports as exactly
that change, and confirming it saves a new version that holds it; a stale confirm, a file of another project, a
POST without the CSRF token and another unit's user are refused, and nothing is saved.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao import parse_bytes
from jixiao.model import SelfEvaluation, to_v1
from jixiao.web import create_app
from tests.web.test_cycle import build_cycle_store, csrf, full_actuals, login, new_draft, post, twin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def io_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The cycle's store and app of tests/web/test_cycle.py, this module's own."""
    engine = build_cycle_store(tmp_path_factory.mktemp("cycle_io"))
    yield create_app(engine=engine)
    engine.dispose()


@pytest.fixture(scope="module")
def filled(io_app: FastAPI) -> dict[str, Any]:
    """u1's 教师培训经费 draft with its budget, execution and every actual filled in (version 2)."""
    u1 = login(io_app, "u1")
    draft_id = new_draft(u1)
    rows = twin(u1, draft_id)["document"]["indicators"]
    saved = post(u1, f"/drafts/{draft_id}/save", expected="1", annual_budget="100", executed="96",
                 goal_actual="完成全校教师轮训", **full_actuals(len(rows)))  # fmt: skip
    assert saved.status_code == 303, saved.text
    return {"u1": u1, "draft": draft_id}


def exported(client: TestClient, draft_id: int, fmt: str) -> bytes:
    got = client.get(f"/drafts/{draft_id}/export.{fmt}")
    assert got.status_code == 200, got.text
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    return got.content


def upload(client: TestClient, url: str, content: bytes, name: str = "自评表.xlsx", **headers: str) -> Any:
    return client.post(url, files={"file": (name, content, XLSX)}, headers={"x-csrftoken": csrf(client), **headers},
                       follow_redirects=False)  # fmt: skip


def with_actual(content: bytes, old: str, new: str) -> bytes:
    """The workbook with the one cell that holds ``old`` set to ``new``."""
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == old]
    assert len(cells) == 1, [c.coordinate for c in cells]
    cells[0].value = new
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_the_export_reads_back_to_the_drafts_json(filled: dict[str, Any], fmt: str) -> None:
    u1, draft_id = filled["u1"], filled["draft"]
    body = u1.get(f"/drafts/{draft_id}.json").json()
    content = exported(u1, draft_id, fmt)
    got = u1.get(f"/drafts/{draft_id}/export.{fmt}")
    assert "%E7%BB%A9%E6%95%88%E8%87%AA%E8%AF%84%E8%A1%A8" in got.headers["content-disposition"]  # 绩效自评表
    (doc,) = parse_bytes(content, f"draft.{fmt}").documents
    assert isinstance(doc, SelfEvaluation)
    # the draft's own notes from its making (DRAFT-*, e.g. how weights were split) are not part of the form
    assert body["findings"]
    assert all(f["code"].startswith("DRAFT-") for f in body["findings"])
    assert to_v1(doc, provenance=False) == {k: v for k, v in body.items() if k != "findings"}


def test_the_draft_page_links_the_exports_and_the_import(filled: dict[str, Any]) -> None:
    page = filled["u1"].get(f"/drafts/{filled['draft']}").text
    for fmt in ("xlsx", "docx", "html"):
        assert f"/drafts/{filled['draft']}/export.{fmt}" in page
    action = html.unescape(page.split(f'action="/drafts/{filled["draft"]}/import?', 1)[1].split('"', 1)[0])
    content = exported(filled["u1"], filled["draft"], "xlsx")
    got = filled["u1"].post(
        f"/drafts/{filled['draft']}/import?{action}", files={"file": ("同.xlsx", content, XLSX)}
    )
    assert got.status_code == 200, (
        got.text
    )  # the page's form carries its token in the query, as the files form does
    assert "没有要修改的地方" in got.text
    assert 'id="apply"' not in got.text
    assert filled["u1"].get(f"/drafts/{filled['draft']}/export.pdf").status_code == 404


def test_one_changed_actual_imports_as_that_change_and_applies(filled: dict[str, Any]) -> None:
    u1, draft_id = filled["u1"], filled["draft"]
    before = twin(u1, draft_id)
    content = with_actual(exported(u1, draft_id, "xlsx"), "12门", "11门")
    preview = upload(u1, f"/api/v1/drafts/{draft_id}/import", content)
    assert preview.status_code == 200, preview.text
    data = preview.json()
    assert data["version"] == before["version"]
    assert [(c["path"], c["old"], c["new"]) for c in data["changes"]] == [
        ("indicators[1].actual", "12门", "11门")
    ]
    assert data["may_save"]
    page = upload(u1, f"/drafts/{draft_id}/import", content)
    assert page.status_code == 200
    assert "开设课程门数 · 实际完成值" in page.text
    assert 'name="expected" value="{}"'.format(before["version"]) in page.text
    assert twin(u1, draft_id)["version"] == before["version"]  # a preview saves nothing

    hidden = page.text.split('name="changes" value="', 1)[1].split('"', 1)[0]
    applied = post(u1, f"/drafts/{draft_id}/import/apply", expected=str(before["version"]),
                   changes=html.unescape(hidden))  # fmt: skip
    assert applied.status_code == 303, applied.text
    after = twin(u1, draft_id)
    assert after["version"] == before["version"] + 1
    assert after["document"]["indicators"][1]["actual"] == "11门"
    old_rows, new_rows = before["document"]["indicators"], after["document"]["indicators"]
    assert [r["actual"] for r in new_rows] == [r["actual"] for r in old_rows[:1]] + ["11门"] + [
        r["actual"] for r in old_rows[2:]
    ]

    # the same confirm again is stale: refused with the other change, nothing saved
    stale = u1.post(f"/api/v1/drafts/{draft_id}/import/apply", headers={"x-csrftoken": csrf(u1)},
                    json={"expected": before["version"], "changes": data["changes"]})  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["other"]["indicators"][1]["actual"] == "11门"
    on_page = post(
        u1, f"/drafts/{draft_id}/import/apply", expected=str(before["version"]), changes=html.unescape(hidden)
    )
    assert on_page.status_code == 409
    assert "请重新上传文件核对修改" in on_page.text
    assert twin(u1, draft_id)["version"] == after["version"]


def test_the_confirm_form_cannot_carry_what_a_file_could_not(filled: dict[str, Any]) -> None:
    u1, draft_id = filled["u1"], filled["draft"]
    version = twin(u1, draft_id)["version"]
    for changes in (
        [{"path": "indicators[0].weight", "new": 50}],  # fixed by the declaration (R1)
        [{"path": "indicators[99].actual", "new": "x"}],  # a row the draft does not have
        [{"path": "funds[0].executed", "new": "many"}],
        "not json",
    ):
        got = u1.post(f"/api/v1/drafts/{draft_id}/import/apply", headers={"x-csrftoken": csrf(u1)},
                      json={"expected": version, "changes": changes})  # fmt: skip
        assert got.status_code == 422, (changes, got.text)
        assert got.json()["message"]
    assert twin(u1, draft_id)["version"] == version


def test_a_file_of_another_project_or_a_damaged_file_is_refused(filled: dict[str, Any]) -> None:
    u1, draft_id = filled["u1"], filled["draft"]
    other_id = new_draft(u1, "课后服务经费")
    version = twin(u1, draft_id)["version"]
    got = upload(u1, f"/api/v1/drafts/{draft_id}/import", exported(u1, other_id, "xlsx"), "课后.xlsx")
    assert got.status_code == 422
    assert (
        got.json()["message"]
        == "课后.xlsx：文件是项目「课后服务经费」的自评表，不是本草稿的项目「教师培训经费」"
    )
    on_page = upload(u1, f"/drafts/{draft_id}/import", exported(u1, other_id, "xlsx"), "课后.xlsx")
    assert on_page.status_code == 422
    assert "不是本草稿的项目「教师培训经费」" in on_page.text
    damaged = upload(u1, f"/api/v1/drafts/{draft_id}/import", b"PK\x03\x04 not a workbook", "坏.xlsx")
    assert damaged.status_code == 422
    message = damaged.json()["message"]
    assert "坏.xlsx" in message
    assert "\n" not in message
    assert "Traceback" not in message
    assert twin(u1, draft_id)["version"] == version


def test_another_units_user_gets_404_and_no_token_is_refused(io_app: FastAPI, filled: dict[str, Any]) -> None:
    u1, draft_id = filled["u1"], filled["draft"]
    content = exported(u1, draft_id, "xlsx")
    u2 = login(io_app, "u2")
    for fmt in ("xlsx", "docx", "html"):
        got = u2.get(f"/drafts/{draft_id}/export.{fmt}")
        assert got.status_code == 404
        assert "教师培训经费" not in got.text
    assert upload(u2, f"/drafts/{draft_id}/import", content).status_code == 404
    assert upload(u2, f"/api/v1/drafts/{draft_id}/import", content).status_code == 404
    version = twin(u1, draft_id)["version"]
    change = json.dumps([{"path": "indicators[0].actual", "new": "1人次"}])
    assert (
        post(u2, f"/drafts/{draft_id}/import/apply", expected=str(version), changes=change).status_code == 404
    )
    no_token = u1.post(f"/drafts/{draft_id}/import", files={"file": ("x.xlsx", content, XLSX)})
    assert no_token.status_code == 403
    apply_no_token = u1.post(
        f"/drafts/{draft_id}/import/apply", data={"expected": str(version), "changes": change}
    )
    assert apply_no_token.status_code == 403
    assert twin(u1, draft_id)["version"] == version


def test_no_import_once_the_draft_is_submitted(io_app: FastAPI) -> None:
    both = login(io_app, "both")
    draft_id = new_draft(both, "课后服务经费")
    content = exported(both, draft_id, "xlsx")
    d = twin(both, draft_id)
    rows = d["document"]["indicators"]
    saved = post(both, f"/drafts/{draft_id}/save", expected=str(d["version"]), annual_budget="100", executed="100",
                 **full_actuals(len(rows)))  # fmt: skip
    assert saved.status_code == 303
    assert post(both, f"/drafts/{draft_id}/submit", ack="1").status_code == 303
    submitted = twin(both, draft_id)
    assert submitted["state"] != "草稿"
    preview = upload(both, f"/api/v1/drafts/{draft_id}/import", content)
    assert preview.status_code == 200  # the difference may be looked at ...
    assert not preview.json()["may_save"]
    change = [{"path": "indicators[0].actual", "new": "1人次"}]
    got = both.post(f"/api/v1/drafts/{draft_id}/import/apply", headers={"x-csrftoken": csrf(both)},
                    json={"expected": submitted["version"], "changes": change})  # fmt: skip
    assert got.status_code in (403, 409)  # ... but not saved: the state does not allow it
    assert twin(both, draft_id)["version"] == submitted["version"]
