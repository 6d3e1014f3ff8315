"""The cycle in Debian's chromium (Playwright, no browser download), served by uvicorn on loopback: a unit
drafts the 2025 self-evaluation from its declaration, sees C-SE-08 demand a 偏差原因 as it types a missed actual,
cannot submit while the error remains, submits; 主管部门 returns it with a reason and a row comment; the unit
answers and resubmits; 主管部门 and 财政 approve; the form is locked; the audit log shows every step."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import ARGS, CHROMIUM, SHOTS
from tests.web.test_cycle import PW, build_cycle_store, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make browser)")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = build_cycle_store(tmp_path_factory.mktemp("cycle-browser"))
    with serving(engine) as base_url:
        yield base_url
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def signed_in(browser: Any, base: str, login: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(f"{page.url} {m.text}") if m.type == "error" else None)
    page.errors = errors
    page.goto(base + "/-/todo")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PW)
    click_through(page, "form.login button[type=submit]")
    return page


def saved_on_server(page: Any, url: str, done: Any) -> None:
    """Wait until the draft's JSON twin shows what was typed, and no save is pending (the version settles)."""
    api = url.replace("/drafts/", "/api/v1/drafts/")
    deadline, last = time.monotonic() + 20, None
    while time.monotonic() < deadline:
        data = page.request.get(api).json()
        if done(data["document"]) and data["version"] == last:
            return
        last = data["version"]
        time.sleep(0.7)
    raise AssertionError("the autosave did not land")


def click_through(page: Any, selector: str) -> None:
    """Click what submits a form and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def test_the_cycle_in_the_browser(base: str, browser: Any) -> None:
    from playwright.sync_api import expect

    unit = signed_in(browser, base, "u1")
    unit.goto(base + "/drafts/new")
    unit.locator("tr", has_text="教师培训经费").locator("button").click()
    unit.wait_for_url("**/drafts/*")
    url = unit.url
    unit.fill("input[name=annual_budget]", "100")
    unit.fill("input[name=executed]", "96")
    actuals = ["150人次", "12门", "98%", "2025年11月完成", "4800元", "显著提升", "93%"]
    for n, value in enumerate(actuals, start=1):
        unit.fill(f"input[name=actual_{n}]", value)
    expect(unit.locator("#need-1")).to_have_text("必填", timeout=15000)  # C-SE-08, live
    saved_on_server(
        unit, url, lambda doc: doc["indicators"][6]["actual"] == "93%"
    )  # every debounced save landed
    assert unit.locator("#rate").inner_text() == "96%"
    assert "C-SE-08" in unit.locator("#live").inner_text()
    unit.screenshot(path=str(SHOTS / "cycle-draft-live.png"), full_page=False)
    unit.reload()
    click_through(unit, "#submit")
    assert "错误" in unit.locator(".error-message").inner_text()  # refused while the error remains
    unit.goto(url)
    unit.fill("textarea[name=deviation_1]", "生源减少，下年度调整培训计划")
    expect(unit.locator("#need-1")).to_have_text("", timeout=15000)
    saved_on_server(unit, url, lambda doc: bool(doc["indicators"][0].get("deviation")))
    unit.check("input[name=ack]")  # no reload: the 送审 form follows the autosaved version
    click_through(unit, "#submit")
    assert "待审核" in unit.locator("#state").inner_text()

    department = signed_in(browser, base, "d1")
    department.goto(url)
    department.fill("form.return textarea[name=reason]", "合格率口径需说明")
    department.locator("form.return details summary").click()
    department.fill("input[name=comment_3]", "请说明合格率的统计口径")
    click_through(department, "#return")
    assert "被退回" in department.locator("#state").inner_text()

    unit.goto(url)
    assert "请说明合格率的统计口径" in unit.locator("#row-3").inner_text()  # pinned on the unit's row
    unit.fill("#comments input[name=answer]", "按结业考核口径统计")
    click_through(unit, "#comments button")
    submitted(unit)
    finance = approved(browser, base, url, department)

    unit.goto(url)
    assert "锁定" in unit.locator("#state").inner_text()
    assert "不能修改" in unit.locator("#locked").inner_text()
    assert unit.locator("input[name=actual_1]").is_disabled()
    unit.screenshot(path=str(SHOTS / "cycle-locked.png"), full_page=False)
    unit.goto(base + "/-/audit")
    text = unit.locator("table.data").inner_text()
    for word in ("创建", "送审", "退回", "答复意见", "审核通过", "u1", "d1", "f1"):
        assert word in text
    clean(unit, department, finance)


def submitted(unit: Any) -> None:
    """送审 from the form's page, its warnings acknowledged where it has any."""
    if unit.locator("input[name=ack]").count():
        unit.check("input[name=ack]")
    click_through(unit, "#submit")
    assert "待审核" in unit.locator("#state").inner_text()


def approved(browser: Any, base: str, url: str, department: Any) -> Any:
    """审核通过 by 主管部门 (``department``, signed in) and then by 财政 (signed in here); 财政's page."""
    department.goto(url)
    click_through(department, "#approve")
    finance = signed_in(browser, base, "f1")
    finance.goto(url)
    click_through(finance, "#approve")
    return finance


def clean(*pages: Any) -> None:
    """No script refused by the CSP on these pages, no CSRF refusal (Chromium now and then reports an inline
    *style* on them that no template or htmx setting of ours writes; not counted here)."""
    for page in pages:
        blocked = [e for e in page.errors if "Content Security Policy" in e and "script-src" in e]
        assert not blocked, page.errors
        assert not [e for e in page.errors if "csrf" in e.lower()], page.errors
