"""The declaration form (绩效目标申报表) over HTTP: a unit drafts one blank or from a previous year's, the C-TD
checks run on each change (a vague target, a missing unit, empty rows), rows are added and removed, 送审 is
refused while an error remains, 主管部门 and 财政 approve, and the approved declaration is the source of the
unit's self-evaluation draft (R1).  Its exports read back to its JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jixiao import parse_bytes
from jixiao.forms.vocabulary import FUND_USES, PROJECT_TYPES
from jixiao.model import SelfEvaluation, TargetDeclaration, from_v1, to_v1
from tests.web import test_cycle
from tests.web.test_cycle import csrf, login, post, twin

# the cycle's store and app (fixtures ``cycle_store``, ``cycle_app``), built again for this module
cycle_store, cycle_app = test_cycle.cycle_store, test_cycle.cycle_app
GOOD_ROWS = [
    ("产出指标", "数量指标", "培训教师人次", "≥200人次"),
    ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ("产出指标", "时效指标", "培训完成时间", "2026年12月底前"),
    ("成本指标", "经济成本指标", "人均培训成本", "≤5000元"),
    ("效益指标", "社会效益指标", "教师教学能力达标率", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%"),
]


def hx_save(client: TestClient, draft_id: int, **fields: str) -> Any:
    version = twin(client, draft_id)["version"]
    return client.post(f"/drafts/{draft_id}/save", data={"expected": str(version), **fields},
                       headers={"x-csrftoken": csrf(client), "hx-request": "true"})  # fmt: skip


def codes(client: TestClient, draft_id: int, row: int | None = None) -> set[str]:
    found = twin(client, draft_id)["live"]["findings"]
    return {f["code"] for f in found if row is None or f["row"] == row}


def blank(client: TestClient, project: str = "教师能力提升经费", layout: str = "绩效目标表") -> int:
    got = post(client, "/drafts", kind="target_declaration", unit="U1", year="2026", project=project,
               source=f"blank:{layout}")  # fmt: skip
    assert got.status_code == 303, got.text
    return int(got.headers["location"].rsplit("/", 1)[1])


def filled(client: TestClient, draft_id: int) -> None:
    fields = {"total_budget": "100", "annual_budget": "100", "overall_goal": "完成全体教师轮训，教学能力达标",
              "annual_goal": "2026年完成200人次培训，合格率不低于95%"}  # fmt: skip
    for n, (l1, l2, name, target) in enumerate(GOOD_ROWS, start=1):
        fields |= {f"l1_{n}": l1, f"l2_{n}": l2, f"name_{n}": name, f"target_{n}": target}
    assert hx_save(client, draft_id, **fields).status_code == 200


def test_a_blank_declaration_is_checked_live_and_goes_through_the_workflow(cycle_app: FastAPI) -> None:
    u1, u2, d1, f1 = (login(cycle_app, x) for x in ("u1", "u2", "d1", "f1"))
    draft_id = blank(u1)
    data = twin(u1, draft_id)
    assert data["kind"] == "target_declaration"
    assert data["layout"] == "绩效目标表"
    assert [r["level1"] for r in data["document"]["indicators"]] == [r[0] for r in GOOD_ROWS]
    assert "C-TD-01" in codes(u1, draft_id, 1)  # an empty row is an error until filled in
    assert set(data["may"]) >= {"save", "submit", "recall", "approve", "return", "unapprove", "unlock"}
    assert data["help"][0]["category"] == "产出"
    page = u1.get(f"/drafts/{draft_id}").text
    assert "项目支出绩效目标表" in page
    assert "财预〔2021〕101号" in page
    assert "C-TD-05" in page  # the guidance names the check it restates

    filled(u1, draft_id)
    assert twin(u1, draft_id)["live"]["errors"] == 0, twin(u1, draft_id)["live"]["findings"]
    vague = hx_save(u1, draft_id, target_5="进一步提升")  # a vague target, as typed
    assert vague.status_code == 200
    assert 'id="find-5"' in vague.text
    assert "C-TD-03" in vague.text
    assert "C-TD-03" in codes(u1, draft_id, 5)
    hx_save(u1, draft_id, target_5="≥90%")
    assert "C-TD-03" not in codes(u1, draft_id)

    # rows added and removed; an added row is empty (an error) until removed or filled in
    added = hx_save(u1, draft_id, op="add_row")
    assert added.headers.get("hx-refresh") == "true"
    rows = twin(u1, draft_id)["document"]["indicators"]
    assert len(rows) == len(GOOD_ROWS) + 1
    assert rows[-1]["level1"] == "满意度指标"
    assert twin(u1, draft_id)["live"]["errors"] >= 1
    assert (
        post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 409
    )  # refused while an error remains
    assert hx_save(u1, draft_id, op=f"remove_row:{len(rows)}").status_code == 200
    assert len(twin(u1, draft_id)["document"]["indicators"]) == len(GOOD_ROWS)
    assert "没有第" in hx_save(u1, draft_id, op="remove_row:99").text
    bad = u1.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": str(twin(u1, draft_id)["version"]),
                  "weight_1": "很多"}, headers={"x-csrftoken": csrf(u1)})  # fmt: skip
    assert bad.status_code == 422
    assert "分值应为数字" in bad.json()["message"]

    # another unit's filer cannot reach it or make one for U1
    assert u2.get(f"/api/v1/drafts/{draft_id}").status_code == 404
    assert post(u2, "/drafts", kind="target_declaration", unit="U1", year="2026", project="x",
                source="blank:绩效目标表").status_code == 404  # fmt: skip

    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 303
    assert post(d1, f"/drafts/{draft_id}/return", reason="").status_code == 409  # a reason is required
    assert post(d1, f"/drafts/{draft_id}/approve").status_code == 303
    assert post(f1, f"/drafts/{draft_id}/approve").status_code == 303
    locked = twin(u1, draft_id)
    assert locked["state"] == "已审核·锁定"
    assert (
        post(u1, f"/drafts/{draft_id}/save", expected=str(locked["version"]), name_1="x").status_code == 409
    )

    # the approved declaration is a source of the self-evaluation draft, with its rows as approved (R1)
    sources = u1.get("/api/v1/drafts/new").json()["approved_drafts"]
    assert [x["draft_id"] for x in sources] == [draft_id]
    assert u2.get("/api/v1/drafts/new").json()["approved_drafts"] == []
    made = post(u1, "/drafts", declaration_draft=str(draft_id))
    assert made.status_code == 303, made.text
    se_id = int(made.headers["location"].rsplit("/", 1)[1])
    assert post(u1, "/drafts", declaration_draft=str(draft_id)).headers["location"] == f"/drafts/{se_id}"
    se = twin(u1, se_id)
    # linked to its source in a field (not only in the audit entry): the JSON twin, the page's 申报表 link
    assert se["declaration_draft"] == {"id": draft_id, "project": "教师能力提升经费", "year": 2026,
                                       "state": "已审核·锁定", "url": f"/drafts/{draft_id}"}  # fmt: skip
    assert f'id="declaration-link" href="/drafts/{draft_id}"' in u1.get(f"/drafts/{se_id}").text
    assert twin(u1, draft_id)["declaration_draft"] is None
    assert se["kind"] == "self_evaluation"
    assert [(r["name"], r["target"]) for r in se["document"]["indicators"]] == [
        (r[2], r[3]) for r in GOOD_ROWS
    ]
    assert se["document"]["funds"][0]["initial_budget"] == 100
    assert post(u2, "/drafts", declaration_draft=str(draft_id)).status_code == 404
    audit = u1.get(f"/api/v1/audit?draft={se_id}").json()["entries"]
    assert f"申报表草稿 {draft_id}" in audit[-1]["reason"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_the_declaration_exports_read_back_to_its_json(cycle_app: FastAPI, fmt: str) -> None:
    u1 = login(cycle_app, "u1")
    draft_id = blank(u1, project=f"导出{fmt}")
    filled(u1, draft_id)
    body = u1.get(f"/drafts/{draft_id}.json").json()
    got = u1.get(f"/drafts/{draft_id}/export.{fmt}")
    assert got.status_code == 200
    assert "%E7%94%B3%E6%8A%A5%E8%A1%A8" in got.headers["content-disposition"]  # 申报表
    (doc,) = parse_bytes(got.content, f"declaration.{fmt}").documents
    assert isinstance(doc, TargetDeclaration)
    assert to_v1(doc, provenance=False) == body


def test_a_declaration_copied_from_the_previous_year_and_the_shanghai_form(cycle_app: FastAPI) -> None:
    u1 = login(cycle_app, "u1")
    stored = u1.get("/api/v1/drafts/new").json()["declarations"]
    old = next(x for x in stored if x["project"] == "教师培训经费")
    got = post(u1, "/drafts", kind="target_declaration", unit="U1", year="2026",
               source=f"document:{old['document_id']}")  # fmt: skip
    assert got.status_code == 303, got.text
    copy = twin(u1, int(got.headers["location"].rsplit("/", 1)[1]))
    assert copy["year"] == 2026
    assert copy["document"]["year"] == 2026
    assert [r["name"] for r in copy["document"]["indicators"]][:2] == ["培训教师人次", "开设课程门数"]
    again = post(
        u1, "/drafts", kind="target_declaration", unit="U1", year="2027", source=f"draft:{copy['id']}"
    )
    assert twin(u1, int(again.headers["location"].rsplit("/", 1)[1]))["document"]["year"] == 2027

    shanghai = blank(u1, project="上海样式", layout="申报表")
    data = twin(u1, shanghai)
    assert data["layout"] == "申报表"
    assert data["level1_choices"][0] == "投入和管理目标"
    assert "上海市财政支出项目绩效目标申报表" in u1.get(f"/drafts/{shanghai}").text
    assert data["help"][0]["category"] == "过程"
    # 子项目 not adding up to 当年预算: C-TD-10, live
    hx_save(u1, shanghai, annual_budget="100", op="add_sub")
    hx_save(u1, shanghai, sp_name_1="培训", sp_amount_1="60")
    assert "C-TD-10" in codes(u1, shanghai)
    hx_save(u1, shanghai, sp_amount_1="100")
    assert "C-TD-10" not in codes(u1, shanghai)
    assert post(u1, "/drafts", kind="target_declaration", unit="U1", year="2026", project="x",
                source="blank:别的").status_code == 422  # fmt: skip
    assert post(u1, "/drafts", kind="target_declaration", unit="U1", year="2026",
                source="blank:绩效目标表").status_code == 422  # no project name  # fmt: skip
    from_self = post(u1, "/drafts", declaration_draft=str(shanghai))
    assert from_self.status_code == 404  # not approved: not a source yet
    assert isinstance(from_v1(u1.get(f"/drafts/{shanghai}.json").json()), TargetDeclaration)
    assert not isinstance(from_v1(u1.get(f"/drafts/{shanghai}.json").json()), SelfEvaluation)


def test_declaration_guidance_is_data_naming_its_sources() -> None:
    from jixiao.cycle.guidance import GENERAL, GUIDANCE

    lines = [*GENERAL, *(x for g in GUIDANCE.values() for x in (*g.good, *g.avoid))]
    assert all("R1" in x or "C-TD" in x or "R2" in x for x in lines), [x for x in lines if "R" not in x]


def test_another_units_filer_cannot_reach_a_declaration_on_any_route(cycle_app: FastAPI) -> None:
    from tests.web.test_cycle import _cycle_routes, _url, unreachable

    u1, u2 = login(cycle_app, "u1"), login(cycle_app, "u2")
    draft_id = blank(u1, project="保密的申报项目")
    unreachable(cycle_app, u2, draft_id, "保密的申报项目", op="add_row", reason="x")
    for route in _cycle_routes(
        cycle_app
    ):  # and without the token, every POST is refused before anything else
        if "POST" in route.methods:
            assert u1.post(_url(route, draft_id), data={"op": "add_row"}).status_code == 403, route.path
    assert twin(u1, draft_id)["version"] == 1


def test_a_reviewer_comments_on_a_row_without_returning_the_form(cycle_app: FastAPI) -> None:
    u1, u2, d1 = (login(cycle_app, x) for x in ("u1", "u2", "d1"))
    draft_id = blank(u1, project="逐行意见项目")
    filled(u1, draft_id)
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 303
    assert (
        post(u1, f"/drafts/{draft_id}/comments", row="2", text="自己评自己").status_code == 403
    )  # not a reviewer
    assert post(d1, f"/drafts/{draft_id}/comments", row="2", text=" ").status_code == 422
    assert post(d1, f"/drafts/{draft_id}/comments", row="99", text="x").status_code == 422
    assert post(u2, f"/drafts/{draft_id}/comments", row="2", text="x").status_code == 404
    made = d1.post(f"/api/v1/drafts/{draft_id}/comments", json={"row": 2, "text": "合格率的口径请写明<b>"},
                   headers={"x-csrftoken": csrf(d1)})  # fmt: skip
    assert made.status_code == 201, made.text
    data = twin(u1, draft_id)
    assert data["state"] == "待审核"  # not returned: the review goes on
    assert data["comments"][0]["row"] == 2
    page = u1.get(f"/drafts/{draft_id}").text
    row2 = page.split('id="row-2"', 1)[1].split("</tr>", 1)[0]
    assert "合格率的口径请写明&lt;b&gt;" in row2  # pinned on the unit's row, escaped
    assert 'id="comment-form"' in d1.get(f"/drafts/{draft_id}").text
    assert 'id="comment-form"' not in page
    cid = made.json()["id"]
    assert post(u2, f"/drafts/{draft_id}/comments/{cid}/answer", answer="x").status_code == 404
    assert post(u1, f"/drafts/{draft_id}/comments/{cid}/answer", answer="按结业考核口径").status_code == 303
    assert twin(d1, draft_id)["comments"][0]["answer"] == "按结业考核口径"
    entries = u1.get(f"/api/v1/audit?draft={draft_id}&action=comment").json()["entries"]
    assert [(e["actor"], e["after"]) for e in entries] == [("d1", "待审核")]
    # a return's comment still bars 送审 until answered
    assert post(d1, f"/drafts/{draft_id}/return", reason="请补充", comment_1="请补充依据").status_code == 303
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 409
    open_one = next(x for x in twin(u1, draft_id)["comments"] if not x["answer"])
    assert (
        post(u1, f"/drafts/{draft_id}/comments/{open_one['id']}/answer", answer="已补充").status_code == 303
    )
    assert post(u1, f"/drafts/{draft_id}/submit", ack="1").status_code == 303


def test_a_stale_declaration_save_is_refused_with_the_other_change(cycle_app: FastAPI) -> None:
    u1 = login(cycle_app, "u1")
    draft_id = blank(u1, project="两个标签页")
    first = u1.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": "1", "name_1": "培训教师人次"},
                    headers={"x-csrftoken": csrf(u1)})  # fmt: skip
    assert first.status_code == 200
    stale = u1.post(f"/api/v1/drafts/{draft_id}/save", data={"expected": "1", "name_1": "别的名称"},
                    headers={"x-csrftoken": csrf(u1)})  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["other"]["indicators"][0]["name"] == "培训教师人次"
    page = post(u1, f"/drafts/{draft_id}/save", expected="1", name_1="别的名称")
    assert page.status_code == 409
    assert "你的修改未保存" in page.text
    assert twin(u1, draft_id)["version"] == 2


def test_the_shanghai_declaration_reads_back_from_its_export(cycle_app: FastAPI) -> None:
    u1 = login(cycle_app, "u1")
    draft_id = blank(u1, project="上海导出", layout="申报表")
    fields = {"total_budget": "300", "annual_budget": "100", "previous_budget": "90", "previous_executed": "88",
              "overall_goal": "三年完成全体教师轮训", "annual_goal": "2026年完成200人次培训", "start": "2026-01-01",
              "end": "2026-12-31"}  # fmt: skip
    rows = [
        ("预算执行率", "≥95%"),
        ("培训教师人次", "≥200人次"),
        ("教师教学能力达标率", "≥90%"),
        ("参训教师满意度", "≥90%"),
    ]
    for n, (name, target) in enumerate(rows, start=1):
        fields |= {f"name_{n}": name, f"target_{n}": target}
    hx_save(u1, draft_id, **fields)
    hx_save(u1, draft_id, op="add_sub")
    hx_save(u1, draft_id, sp_name_1="教师培训", sp_amount_1="100")
    # the 项目类型 / 资金用途 boxes: the page shows each option; a ticked box is sent with its option, an unticked
    # one not at all (``boxes`` says the form shows them)
    page = u1.get(f"/drafts/{draft_id}").text
    assert all(f'value="{o}"' in page for o in (*PROJECT_TYPES, *FUND_USES))
    types = {f"project_type_{k}": v for k, v in enumerate(PROJECT_TYPES, start=1) if k in (2, 5)}
    uses = {f"fund_use_{k}": v for k, v in enumerate(FUND_USES, start=1) if k in (2, 4)}
    hx_save(u1, draft_id, boxes="1", **types, **uses)
    doc = u1.get(f"/drafts/{draft_id}.json").json()
    assert doc["project_type"] == [PROJECT_TYPES[1], PROJECT_TYPES[4]]
    assert doc["fund_use"] == [FUND_USES[1], FUND_USES[3]]
    hx_save(u1, draft_id, name_1="预算执行率")  # a save without ``boxes`` (an API client's) keeps them
    assert u1.get(f"/drafts/{draft_id}.json").json()["fund_use"] == [FUND_USES[1], FUND_USES[3]]
    hx_save(u1, draft_id, boxes="1", **types, fund_use_2=FUND_USES[1])  # 政府购买服务 unticked
    assert u1.get(f"/drafts/{draft_id}.json").json()["fund_use"] == [FUND_USES[1]]
    assert " checked> " + FUND_USES[1] in u1.get(f"/drafts/{draft_id}").text
    bad = hx_save(u1, draft_id, boxes="1", project_type_1="不存在的类型")
    assert "项目类型没有「不存在的类型」这一选项" in bad.text
    assert u1.get(f"/drafts/{draft_id}.json").json()["project_type"] == [PROJECT_TYPES[1], PROJECT_TYPES[4]]
    body = u1.get(f"/drafts/{draft_id}.json").json()
    assert twin(u1, draft_id)["layout"] == "申报表"
    for fmt in ("xlsx", "docx", "html"):
        (doc,) = parse_bytes(u1.get(f"/drafts/{draft_id}/export.{fmt}").content, f"sh.{fmt}").documents
        assert isinstance(doc, TargetDeclaration)
        assert to_v1(doc, provenance=False) == body, fmt
