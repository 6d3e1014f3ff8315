"""The rendered corpus (shared/corpus/rendered): each form printed as PDF (Chromium and LibreOffice), DOCX and
XLSX, read end to end and scored field by field against its facts with the shared goldcheck tool."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jixiao import parse_file
from jixiao.model import SelfEvaluation
from jixiao.readers import read_path
from jixiao.text import squash

CMD = f"{sys.executable} -m jixiao parse --json"
NAMES = ["s000-2_lingdao", "s000_2022", "s001-3_gongwuyuan", "s001_2023", "s003_2024"]


@pytest.fixture(scope="session")
def rendered(shared: Path) -> Path:
    root = shared / "corpus" / "rendered"
    if not (root / "tables.json").is_file():
        pytest.skip("rendered corpus not found")
    return root


def goldcheck(shared: Path, docs: Path, gold: Path, ext: str) -> tuple[list[str], str]:
    tool = shared / "tools" / "goldcheck.py"
    args = ["--docs", str(docs), "--gold", str(gold), "--ext", ext, "--cmd", CMD, "-v"]
    proc = subprocess.run(
        [sys.executable, str(tool), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "parser failed" not in proc.stdout, proc.stdout[-3000:]
    misses = [line.strip() for line in proc.stdout.splitlines() if line.startswith("    ")]
    return misses, proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["pdf", "lo.pdf", "docx", "xlsx"])
def test_rendered_corpus_reads_every_field(shared: Path, rendered: Path, ext: str) -> None:
    misses, out = goldcheck(shared, rendered, rendered, ext)
    assert not misses, out[-4000:]
    total = re.search(r"fields: (\d+)/(\d+)", out)
    assert total is not None, out[-500:]
    assert int(total.group(2)) > 2000, out[-500:]


def _make_corpus(rendered: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", rendered / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_html_rendering_of_the_corpus_reads_every_field(shared: Path, rendered: Path, tmp_path: Path) -> None:
    """The HTML each PDF is printed from (rowspan/colspan, one <table> per form), made by the corpus script."""
    mc = _make_corpus(rendered)
    tables = {t["id"]: t for t in json.loads((rendered / "tables.json").read_text(encoding="utf-8"))}
    for name, ids in mc.DOCS.items():
        (tmp_path / f"{name}.html").write_text(mc.html_doc([tables[i] for i in ids]), encoding="utf-8")
        shutil.copy(rendered / f"{name}.json", tmp_path)
    misses, out = goldcheck(shared, tmp_path, tmp_path, "html")
    assert not misses, out[-4000:]


def _text_at(page: Any, box: tuple[float, float, float, float]) -> str:
    """The characters printed with their centre inside ``box``."""
    x0, top, x1, bottom = box
    inside = [
        c
        for c in page.chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    return "".join(c["text"] for c in sorted(inside, key=lambda c: (round(c["top"]), c["x0"])))


@pytest.mark.parametrize("ext", ["pdf", "lo.pdf"])
def test_pdf_indicators_carry_page_and_the_box_of_their_cells(rendered: Path, ext: str) -> None:
    import pdfplumber

    path = rendered / f"s001_2023.{ext}"
    docs = parse_file(path).documents
    assert len(docs) == 8
    with pdfplumber.open(path) as pdf:
        for doc in docs:
            assert isinstance(doc, SelfEvaluation)
            for ind in doc.indicators:
                assert ind.source is not None
                assert ind.source.page is not None
                assert ind.source.bbox is not None
                ref = ind.cells["name"]
                assert ref.page is not None
                assert ref.bbox is not None
                assert ref.row is not None
                page = pdf.pages[ref.page - 1]
                printed = _text_at(page, ref.bbox)
                assert squash(printed) == ind.name or ind.name.startswith(squash(printed)), (ref, printed)
                for key in ("weight", "score"):
                    box = ind.cells[key].bbox
                    assert box is not None
                    value = squash(_text_at(page, box))
                    assert float(value) == getattr(ind, key)


def test_xlsx_indicators_carry_sheet_and_cell(rendered: Path) -> None:
    import openpyxl

    path = rendered / "s001_2023.xlsx"
    docs = parse_file(path).documents
    wb = openpyxl.load_workbook(path)
    assert len(docs) == len(wb.sheetnames) == 8
    for doc, sheet in zip(docs, wb.sheetnames, strict=True):
        assert isinstance(doc, SelfEvaluation)
        for ind in doc.indicators:
            ref = ind.cells["name"]
            assert ref.sheet == sheet
            assert ref.cell is not None
            assert re.fullmatch(r"[A-Z]+\d+", ref.cell)
            assert ref.label().endswith(f"{sheet}!{ref.cell}")
            assert wb[sheet][ref.cell].value == ind.name
            assert wb[sheet][ind.cells["score"].cell or ""].value == ind.score


def test_docx_indicators_carry_table_row_and_column(rendered: Path) -> None:
    docs = parse_file(rendered / "s001_2023.docx").documents
    for n, doc in enumerate(docs, start=1):
        assert isinstance(doc, SelfEvaluation)
        for ind in doc.indicators:
            ref = ind.cells["name"]
            assert (ref.table, ref.col) == (n, 4)
            assert ref.row is not None
            assert ref.row > 10


def test_continued_table_keeps_its_index_and_columns(rendered: Path) -> None:
    """Chromium PDF: the 29-row form breaks onto page 2 with its merged labels printed again."""
    grid = read_path(rendered / "s001-3_gongwuyuan.pdf")
    rows = [r for r in grid.rows if r.table is not None]
    assert {r.table for r in rows} == {1}
    assert {r.ref.page for r in rows} == {1, 2}
    first_on_2 = next(r for r in rows if r.ref.page == 2)
    assert first_on_2.page_break
    assert first_on_2.texts[:3] == ["绩效指标", "产出指标", "数量指标"]  # repeated labels, as printed
    assert len({len(r.cells) for r in rows}) == 1
    assert [r.ref.row for r in rows] == list(range(1, len(rows) + 1))


def test_total_row_alone_on_a_page_lines_up_with_the_header(rendered: Path) -> None:
    grid = read_path(rendered / "s001_2023.pdf")
    table1 = [r for r in grid.rows if r.table == 1]
    header = next(r for r in table1 if "三级指标" in r.texts)
    total = table1[-1]
    assert total.ref.page == 2
    assert total.page_break
    assert total.ref.page != header.ref.page
    assert total.texts[0] == "总分"
    assert len(total.cells) == len(header.cells)
    assert total.texts[header.texts.index("分值")] == "100"
    assert total.texts[header.texts.index("得分")] == "99.09"


def test_row_split_by_a_page_break_is_joined(rendered: Path) -> None:
    """LibreOffice lets a row break across pages: 各类培训考试通 | 过率 becomes one row again."""
    grid = read_path(rendered / "s001-3_gongwuyuan.lo.pdf")
    split = [f for f in grid.findings if f.code == "READ-SPLIT-ROW"]
    assert len(split) == 1
    joined = [r for r in grid.rows if any(squash(t) == "各类培训考试通过率" for t in r.texts)]
    assert len(joined) == 1
    assert joined[0].ref.page == 1
    assert not any(squash(t) == "过率" for r in grid.rows for t in r.texts)
    doc = parse_file(rendered / "s001-3_gongwuyuan.lo.pdf").documents[0]
    assert isinstance(doc, SelfEvaluation)
    assert len(doc.indicators) == 29


@pytest.mark.parametrize("name", NAMES)
def test_every_rendering_gives_the_same_cells(rendered: Path, name: str) -> None:
    """DOCX, XLSX and both PDFs of one form hold the same cells, line breaks aside; a PDF may print category
    labels again after a page break."""

    def cells(ext: str) -> Counter[str]:
        grid = read_path(rendered / f"{name}.{ext}")
        return Counter(
            "".join(t.split()) for r in grid.rows if r.table is not None for t in r.texts if t.strip()
        )

    docx = cells("docx")
    assert cells("xlsx") == docx
    for ext in ("pdf", "lo.pdf"):
        pdf = cells(ext)
        assert not docx - pdf, ext
        assert set(pdf - docx) <= set(docx), (ext, pdf - docx)  # labels printed again, nothing new
