"""Click-through in Debian's chromium (Playwright, no browser download): the seeds and the real corpus served
by uvicorn on loopback; screenshots under tests/web/screenshots (gitignored) for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.cli.parse import sample_paths
from jixiao.ingest import ingest_files
from jixiao.store import open_engine

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make browser)")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.web.test_cycle import serving

    from .conftest import SHARED_REAL

    engine = open_engine(str(tmp_path_factory.mktemp("browser") / "b.db"))
    paths: list[Any] = list(sample_paths())
    if SHARED_REAL.is_dir():
        paths.append(SHARED_REAL)
    ingest_files(engine, paths, workers=1)
    with serving(engine) as url:
        yield url
    engine.dispose()


@pytest.fixture(scope="module")
def page(base: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.errors = errors  # type: ignore[attr-defined]  # the tests read what the page logged
        yield pg
        browser.close()


def test_click_through(base: str, page: Any) -> None:
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "工作台"
    page.screenshot(path=str(SHOTS / "workbench.png"), full_page=False)
    # 项目库: search, then a facet; both survive navigation
    page.goto(base + "/projects")
    total = int(page.locator(".meta b").first.inner_text())
    page.fill(".filter input[name=q]", "工作经费")
    page.click(".filter button[type=submit]")
    page.wait_for_url("**/projects?*q=*")
    searched = int(page.locator(".meta b").first.inner_text())
    assert 0 < searched < total
    page.locator("details.facet").first.locator("li a").first.click()
    page.wait_for_url("**year=*")
    narrowed = int(page.locator(".meta b").first.inner_text())
    assert 0 < narrowed <= searched
    assert "q=" in page.url
    page.locator("table.data tbody tr td a").first.click()
    page.wait_for_url("**/projects/*")
    page.go_back()
    page.wait_for_url("**year=*")
    assert "q=" in page.url
    assert int(page.locator(".meta b").first.inner_text()) == narrowed
    # the 在线学习工作经费 timeline
    import httpx

    rows = httpx.get(base + "/api/v1/projects", params={"q": "在线学习工作经费"}).json()["rows"]
    seed = next(r for r in rows if r["name"] == "在线学习工作经费" and "target_declaration" in r["kinds"])
    page.goto(base + "/projects?q=在线学习工作经费")
    page.locator(f"table.data tbody a[href='/projects/{seed['id']}']").click()
    page.wait_for_url("**/projects/*")
    steps = page.locator(".timeline .step .when").all_inner_texts()
    assert [" ".join(s.split()[:2]) for s in steps] == ["2018 申报", "2018 评价", "2022 自评"]
    page.screenshot(path=str(SHOTS / "timeline.png"), full_page=False)


def test_the_flagged_cell_and_a_chart(base: str, page: Any) -> None:
    import httpx

    rows = httpx.get(base + "/api/v1/projects", params={"q": "干部教育工作经费"}).json()["rows"]
    seed = next(r for r in rows if r["name"] == "干部教育工作经费" and r["findings"]["warning"])
    page.goto(base + "/projects?q=干部教育工作经费")
    page.locator(f"table.data tbody a[href='/projects/{seed['id']}']").click()
    page.wait_for_url("**/projects/*")
    page.locator(".timeline a", has_text="绩效自评表").first.click()
    page.wait_for_url("**/documents/*")
    cell = page.locator("td.flag", has_text="规则 0.45").first
    assert cell.locator(".v").inner_text() == "1"
    cell.focus()
    tip = cell.locator(".tip")
    assert tip.is_visible()
    assert "C-SE-05" in tip.inner_text()
    assert "0.45" in tip.inner_text()
    page.screenshot(path=str(SHOTS / "self-evaluation.png"), full_page=False)
    page.goto(base + "/dashboards")
    page.wait_for_selector(".chart[data-chart=scatter] canvas", timeout=15000)
    assert page.locator(".chart canvas").count() >= 1
    assert page.locator(".chart-block table.data").count() >= 3
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=False)
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_uploaded_pdf_appears_and_script_is_text(base: str, page: Any) -> None:
    from .conftest import SHARED_RENDERED

    pdfs = sorted(SHARED_RENDERED.glob("*.pdf")) if SHARED_RENDERED.is_dir() else []
    if not pdfs:
        pytest.skip("no rendered PDF in the shared corpus")
    pdf = next((p for p in pdfs if "gongwuyuan" in p.name), pdfs[0])
    page.goto(base + "/upload")
    page.set_input_files("input[type=file]", str(pdf))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/upload/*")
    page.wait_for_selector("#progress h2:has-text('完成')", timeout=60000)
    assert pdf.name in page.locator("#progress").inner_text()
    page.goto(base + "/projects?q=公务员管理")
    page.locator("table.data tbody a").first.click()
    page.wait_for_url("**/projects/*")
    assert any(pdf.name in t for t in page.locator(".timeline .file").all_inner_texts())
    # a document string holding <script> is text, not a script
    page.goto(base + "/projects?q=" + "<script>")
    assert page.locator("input[name=q]").first.input_value() == "<script>"
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0


def teardown_module() -> None:
    if SHOTS.exists() and not any(SHOTS.iterdir()):
        shutil.rmtree(SHOTS)
