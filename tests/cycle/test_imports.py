"""An uploaded XLSX diffed into a self-evaluation draft: jixiao's own export and the official template filled in."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import parse_file
from jixiao.cycle.imports import diff_into_draft
from jixiao.cycle.live import draft_from_declaration, score_draft
from jixiao.export import ExportItem, export
from jixiao.export.layout import layout
from jixiao.model import SelfEvaluation, TargetDeclaration, from_v1, to_v1
from tests.conftest import SEEDS


def seed(kind: type, project: str) -> Any:
    return next(
        d for p in SEEDS for d in parse_file(p).documents if isinstance(d, kind) and d.project == project
    )


def empty_draft() -> dict[str, Any]:
    """The 2018 在线学习工作经费 draft as made from its declaration: nothing entered yet."""
    return draft_from_declaration(seed(TargetDeclaration, "在线学习工作经费"))


def filled(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as the unit completes it: amounts, actuals, one reason, the goal's outcome."""
    out = {
        **draft,
        "funds": [dict(f) for f in draft["funds"]],
        "indicators": [dict(i) for i in draft["indicators"]],
    }
    out["funds"][0].update(annual_budget=10000000, executed=9650000)
    out["goal"] = {**out["goal"], "actual": "两个平台融合运行，课程 2600 学时"}
    actuals = ["140000人", "93%", "100%", "88%", "85%"]
    for ind, actual in zip(out["indicators"], actuals, strict=True):
        ind["actual"] = actual
    out["indicators"][3]["deviation"] = "部分处级干部因脱产培训未参加，明年补训"
    return out


def xlsx_of(data: dict[str, Any]) -> bytes:
    return export([ExportItem(from_v1(data))], "xlsx")


def test_jixiaos_own_export_diffs_into_the_draft() -> None:
    draft, done = empty_draft(), filled(empty_draft())
    got = diff_into_draft(draft, xlsx_of(done), "在线学习.xlsx")
    assert got.refused is None
    paths = {c.path: (c.old, c.new) for c in got.changes}
    assert paths["funds[0].annual_budget"] == (None, 10000000)
    assert paths["funds[0].executed"] == (None, 9650000)
    assert paths["goal.actual"] == (None, "两个平台融合运行，课程 2600 学时")
    assert paths["indicators[0].actual"] == (None, "140000人")
    assert paths["indicators[3].deviation"] == (None, "部分处级干部因脱产培训未参加，明年补训")
    assert not any(p.endswith((".target", ".weight")) or "execution_rate" in p for p in paths)
    # the values go in: the applied draft is the filled one, and it scores
    applied = got.applied(draft)
    assert applied["indicators"] == done["indicators"]
    assert applied["funds"][0]["executed"] == 9650000
    assert draft["funds"][0]["executed"] is None  # the draft itself is untouched
    live = score_draft(applied)
    assert live.error is None
    assert live.execution_rate == 96.5
    # the same file again changes nothing
    assert not diff_into_draft(applied, xlsx_of(done), "again.xlsx").changes


def test_the_official_template_filled_in_excel_diffs_into_the_draft() -> None:
    """The empty draft's form, typed into cell by cell as in Excel (numbers as numbers), then uploaded."""
    from openpyxl import load_workbook

    draft = empty_draft()
    doc = from_v1(draft)
    assert isinstance(doc, SelfEvaluation)
    lay = layout(doc)
    wb = load_workbook(io.BytesIO(xlsx_of(draft)))
    ws = wb.worksheets[0]
    top = 2 + len(lay.before)
    where = {(s.row, s.col): s for s in lay.spans}
    header = next(s for s in lay.spans if s.value == "实际完成值")
    fund_head = next(s for s in lay.spans if s.value == "全年执行数")
    total_row = next(s.row for s in lay.spans if s.value == "年度资金总额")
    ws.cell(top + total_row, fund_head.col + 1).value = 9650000  # 全年执行数
    ws.cell(top + total_row, fund_head.col).value = 10000000  # 全年预算数, the column before
    first = header.row + 1
    ws.cell(top + first, header.col + 1).value = "140000人"
    ws.cell(top + first + 2, header.col + 1).value = "98%"
    assert (first, header.col) in where
    buf = io.BytesIO()
    wb.save(buf)
    got = diff_into_draft(draft, buf.getvalue(), "模板.xlsx")
    assert got.refused is None, got.refused
    paths = {c.path: c.new for c in got.changes}
    assert paths == {
        "funds[0].annual_budget": 10000000,
        "funds[0].executed": 9650000,
        "indicators[0].actual": "140000人",
        "indicators[2].actual": "98%",
    }


def test_a_changed_target_or_an_added_row_is_left_out_and_said() -> None:
    draft = filled(empty_draft())
    other = filled(empty_draft())
    other["indicators"][0]["target"] = "≤200000"
    other["indicators"][1]["weight"] = 5
    other["indicators"].append({"level1": "效益指标", "name": "新增指标", "target": "≥1次", "actual": "1次",
                                "weight": 0})  # fmt: skip
    got = diff_into_draft(draft, xlsx_of(other), "changed.xlsx")
    assert got.refused is None
    assert not got.changes
    codes = sorted(f.code for f in got.findings)
    assert codes == ["IMPORT-EXTRA", "IMPORT-FIXED", "IMPORT-FIXED"]
    assert any("批复值「≤150000」" in f.message for f in got.findings)


def test_a_qualitative_rows_proposed_score_comes_in() -> None:
    se = seed(SelfEvaluation, "机关服务费")
    draft = to_v1(se, provenance=False)
    k, ind = next(
        (k, i) for k, i in enumerate(se.indicators) if i.target and not any(c.isdigit() for c in i.target)
    )
    changed = to_v1(se, provenance=False)
    changed["indicators"][k]["score"] = round((ind.weight or 0) * 0.9, 2)
    changed["indicators"][k]["actual"] = "达成年度指标"
    got = diff_into_draft(draft, xlsx_of(changed), "qual.xlsx")
    assert {c.path for c in got.changes} == {f"indicators[{k}].score", f"indicators[{k}].actual"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"project": "另一个项目"}, "不是本草稿的项目「在线学习工作经费」"),
        ({"year": 2019}, "2019 年度的自评表，本草稿是 2018 年度"),
    ],
)
def test_another_projects_or_years_file_is_refused(change: dict[str, Any], words: str) -> None:
    draft = empty_draft()
    got = diff_into_draft(draft, xlsx_of({**filled(draft), **change}), "other.xlsx")
    assert got.refused is not None
    assert words in got.refused
    assert "\n" not in got.refused
    assert not got.changes


def test_another_kind_or_no_workbook_is_refused() -> None:
    draft = empty_draft()
    decl = seed(TargetDeclaration, "在线学习工作经费")
    got = diff_into_draft(draft, export([ExportItem(decl)], "xlsx"), "decl.xlsx")
    assert got.refused
    assert "绩效目标申报表，不是绩效自评表" in got.refused
    broken = diff_into_draft(draft, b"PK\x03\x04 not really", "broken.xlsx")
    assert broken.refused
    assert "broken.xlsx" in broken.refused
    assert "\n" not in broken.refused
    assert "请上传 Excel" in (diff_into_draft(draft, b"x", "a.pdf").refused or "")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
@pytest.mark.parametrize("state", ["empty", "filled"])
def test_a_drafts_scored_form_reads_back_to_its_json(fmt: str, state: str) -> None:
    """What the cycle approves is the live-scored draft: its official form, in every format, is that JSON again."""
    from jixiao import parse_bytes

    draft = empty_draft() if state == "empty" else filled(empty_draft())
    live = score_draft(draft)
    assert live.document is not None
    want = to_v1(live.document, provenance=False)
    (got,) = parse_bytes(export([ExportItem(live.document)], fmt), f"approved.{fmt}").documents
    assert to_v1(got, provenance=False) == want


def test_a_sichuan_form_diffs_into_the_draft_too() -> None:
    from jixiao.export.xlsx import to_xlsx

    draft, done = empty_draft(), filled(empty_draft())
    data = to_xlsx([ExportItem(from_v1(done))], "四川")
    got = diff_into_draft(draft, data, "四川.xlsx")
    assert got.refused is None
    assert not [f for f in got.findings if f.code.startswith("IMPORT")]
    assert got.applied(draft)["indicators"] == done["indicators"]


@settings(max_examples=30, deadline=None)
@given(junk=st.binary(max_size=400), cut=st.integers(min_value=1, max_value=4000))
def test_a_damaged_upload_is_refused_in_one_line(junk: bytes, cut: int) -> None:
    draft = empty_draft()
    whole = xlsx_of(filled(draft))
    for data in (junk, whole[:cut], b"PK\x03\x04" + junk):
        got = diff_into_draft(draft, data, "upload.xlsx")
        assert got.refused is not None
        assert "\n" not in got.refused
        assert not got.changes
