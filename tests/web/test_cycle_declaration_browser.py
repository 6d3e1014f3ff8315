"""The declaration form in Debian's chromium (Playwright), served by uvicorn on loopback through the one
``serving()`` helper: a unit drafts its 2026 绩效目标申报表 blank, sees C-TD-03 appear beside the row as it types a
vague target, fixes it, adds and removes a row, submits; 主管部门 and 财政 approve; the unit then makes its
self-evaluation draft from the approved declaration, its rows carried over (R1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web import test_cycle_browser as cycle_browser
from tests.web.test_browser import CHROMIUM, SHOTS
from tests.web.test_cycle_browser import approved, clean, click_through, saved_on_server, signed_in, submitted
from tests.web.test_cycle_declaration import GOOD_ROWS

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make browser)")
# the store served on loopback and the browser (fixtures ``base``, ``browser``), again for this module
base, browser = cycle_browser.base, cycle_browser.browser


def blank_draft(browser: Any, base: str, project: str, layout: str) -> tuple[Any, str]:
    """u1 signed in, on a blank declaration draft of ``layout`` it has just made; the page and its address."""
    unit = signed_in(browser, base, "u1")
    unit.goto(base + "/drafts/new")
    unit.fill("#new-declaration input[name=project]", project)
    unit.select_option("#new-declaration select[name=source]", f"blank:{layout}")
    click_through(unit, "#create-declaration")
    return unit, str(unit.url)


def test_a_declaration_drafted_and_approved_in_the_browser(base: str, browser: Any) -> None:
    from playwright.sync_api import expect

    unit, url = blank_draft(browser, base, "教师能力提升经费", "绩效目标表")
    assert "/drafts/" in url
    assert "项目支出绩效目标表" in unit.locator(".form-title.main").inner_text()
    expect(unit.locator("#find-1")).to_contain_text("C-TD-01")  # an empty row, until filled in
    unit.fill("input[name=total_budget]", "100")
    unit.fill("input[name=annual_budget]", "100")
    unit.fill("textarea[name=overall_goal]", "完成全体教师轮训，教学能力达标")
    unit.fill("textarea[name=annual_goal]", "2026年完成200人次培训，合格率不低于95%")
    for n, (l1, l2, name, target) in enumerate(GOOD_ROWS, start=1):
        unit.fill(f"input[name=l1_{n}]", l1)
        unit.fill(f"input[name=l2_{n}]", l2)
        unit.fill(f"input[name=name_{n}]", name)
        unit.fill(f"input[name=target_{n}]", "进一步提升" if n == 5 else target)
    expect(unit.locator("#find-5")).to_contain_text("C-TD-03", timeout=15000)  # the vague target, live
    assert "C-TD-03" in unit.locator("#live").inner_text()
    unit.screenshot(path=str(SHOTS / "cycle-declaration-live.png"), full_page=False)
    unit.fill("input[name=target_5]", GOOD_ROWS[4][3])
    expect(unit.locator("#find-5")).not_to_contain_text("C-TD-03", timeout=15000)
    saved_on_server(unit, url, lambda doc: doc["indicators"][4]["target"] == GOOD_ROWS[4][3])
    expect(unit.locator("#find-1")).not_to_contain_text("C-TD-01")

    with unit.expect_navigation():  # a row added: the page is drawn again with it
        unit.click("#add-row")
    assert unit.locator("input[name=name_7]").count() == 1
    expect(unit.locator("#find-7")).to_contain_text("C-TD-01")
    with unit.expect_navigation():
        unit.click("button[aria-label='删除第 7 行']")
    assert unit.locator("input[name=name_7]").count() == 0
    assert unit.locator("#live-errors").inner_text() == "0"

    submitted(unit)
    department = signed_in(browser, base, "d1")
    finance = approved(browser, base, url, department)

    unit.goto(url)
    assert "锁定" in unit.locator("#state").inner_text()
    assert unit.locator("input[name=target_1]").is_disabled()
    unit.goto(base + "/drafts/new")
    row = unit.locator("#approved-declarations tr", has_text="教师能力提升经费")
    with unit.expect_navigation():
        row.locator("button").click()
    assert "项目支出绩效自评表" in unit.locator(".form-title.main").inner_text()
    names = unit.locator("table.indicators tbody tr td:nth-child(4)").all_inner_texts()
    assert names == [r[2] for r in GOOD_ROWS]
    assert unit.locator("input[name=actual_1]").is_editable()
    clean(unit, department, finance)


def test_the_shanghai_check_boxes_are_ticked_in_the_browser_and_read_back(base: str, browser: Any) -> None:
    from playwright.sync_api import expect

    from jixiao import parse_bytes
    from jixiao.forms.vocabulary import FUND_USES, PROJECT_TYPES
    from jixiao.model import TargetDeclaration, to_v1

    unit, url = blank_draft(browser, base, "上海样式勾选", "申报表")
    boxes = unit.locator("#boxes-project_type input[type=checkbox]")
    expect(boxes).to_have_count(len(PROJECT_TYPES))
    rows = (
        ("预算执行率", "≥95%"),
        ("培训教师人次", "≥200人次"),
        ("教学能力达标率", "≥90%"),
        ("参训教师满意度", "≥90%"),
    )
    for n, (name, target) in enumerate(rows, start=1):  # named rows: a nameless one is no row to a reader
        unit.fill(f"input[name=name_{n}]", name)
        unit.fill(f"input[name=target_{n}]", target)
    unit.get_by_label(PROJECT_TYPES[2], exact=True).check()
    unit.get_by_label(FUND_USES[3], exact=True).check()
    unit.get_by_label(FUND_USES[0], exact=True).check()
    saved_on_server(
        unit,
        url,
        lambda doc: doc["fund_use"] == [FUND_USES[0], FUND_USES[3]] and doc["indicators"][3]["name"],
    )
    unit.get_by_label(FUND_USES[0], exact=True).uncheck()  # unticked: gone from the draft, not kept
    saved_on_server(unit, url, lambda doc: doc["fund_use"] == [FUND_USES[3]])
    body = unit.request.get(url + ".json").json()
    assert body["project_type"] == [PROJECT_TYPES[2]]
    unit.reload()
    assert unit.get_by_label(FUND_USES[3], exact=True).is_checked()
    assert not unit.get_by_label(FUND_USES[0], exact=True).is_checked()
    for fmt in ("xlsx", "docx", "html"):  # the exports carry the boxes and read back to the draft's JSON
        (doc,) = parse_bytes(unit.request.get(f"{url}/export.{fmt}").body(), f"sh.{fmt}").documents
        assert isinstance(doc, TargetDeclaration)
        assert to_v1(doc, provenance=False) == body, fmt
    clean(unit)
