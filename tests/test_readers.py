"""Readers of the original formats (XLSX, DOCX, HTML, PDF) on small documents built here, number formats, the
PDF page-continuation logic on synthetic pages, and the dispatch by content."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from jixiao.readers import Grid, ReadError, read_bytes, sniff
from jixiao.readers.base import CHECKED, UNCHECKED
from jixiao.readers.numfmt import render
from jixiao.readers.pdf import _Page, _PCell, _PLine, _PRow, _PTable, assemble


def texts(grid: Grid, table: int | None = None) -> list[list[str]]:
    return [r.texts for r in grid.rows if table is None or r.table == table]


# ---------------------------------------------------------------- number formats


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (0.9898, "0.00%", "98.98%"),
        (9280000, "#,##0", "9,280,000"),
        (9.8, "0.00", "9.80"),
        (9.9, "General", "9.9"),
        (100.0, "General", "100"),
        (0.1 + 0.2, "General", "0.3"),
        (0.125, "0.00", "0.13"),  # half away from zero, as Excel rounds
        (2.5, "0", "3"),
        (-3.5, "0.0;(0.0)", "(3.5)"),
        (0, '0.00;-0.00;"—"', "—"),
        (1234.5, "¥#,##0.00", "¥1,234.50"),
        (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),
        (-1234.5, "#,##0.00_);[Red](#,##0.00)", "(1,234.50)"),
        (3, '0"万元"', "3万元"),
        (1234567, "#,##0,", "1,235"),
        (12345.678, "0.00E+00", "1.23E+04"),
        (7, "@", "7"),
        (0.05, "0%", "5%"),
        (45000, "yyyy/m/d", "2023/3/15"),
        (45000, 'yyyy"年"m"月"d"日"', "2023年3月15日"),
        (45000.5, "yyyy-mm-dd hh:mm", "2023-03-15 12:00"),
        (True, "General", "TRUE"),
        ("=100%", "@", "=100%"),
    ],
)
def test_numbers_read_as_the_sheet_displays_them(value: object, fmt: str, shown: str) -> None:
    assert render(value, fmt) == shown


# ---------------------------------------------------------------- XLSX


def _workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自评表"
    ws.merge_cells("A1:D1")
    ws["A1"] = "财政项目支出绩效自评表"
    rows: list[list[object]] = [
        ["一级指标", "三级指标", "分值", "执行率"],
        ["产出指标", "培训人数", 10, 0.9898],
        [None, "出勤率", 9.8, 1],
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c, v)
            cell.border = box
    ws.merge_cells("A4:A5")
    ws["C4"].number_format = "0.00"
    ws["D4"].number_format = "0.00%"
    ws["D5"].number_format = "0%"
    ws["B7"] = "第二张表"
    ws["A8"], ws["B8"], ws["C8"] = "年初预算数", 9280000, "=100%"
    ws["B8"].number_format = "#,##0"
    ws["C8"].data_type, ws["C8"].quotePrefix = "s", True  # a target typed with a quote, not a formula
    ws["A9"], ws["B9"], ws["C9"] = "其他资金", 0, "=B8*2"  # a formula never calculated: no cached value
    ws["A10"], ws["B10"] = "隐藏行", 1
    ws.row_dimensions[10].hidden = True
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "不打印"
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_merges_number_formats_tables_and_refs() -> None:
    grid = read_bytes(_workbook(), "form.xlsx")
    assert grid.format == "xlsx"
    assert texts(grid) == [
        ["财政项目支出绩效自评表"],
        ["一级指标", "三级指标", "分值", "执行率"],
        ["产出指标", "培训人数", "10.00", "98.98%"],
        ["", "出勤率", "9.8", "100%"],  # the merged label only in the first row of its range
        ["第二张表"],
        ["年初预算数", "9,280,000", "=100%", ""],
        ["其他资金", "0", "", ""],
    ]
    assert [r.table for r in grid.rows] == [None, 1, 1, 1, None, 2, 2]
    cell = grid.rows[2].cells[3]
    assert (cell.ref.sheet, cell.ref.cell, cell.ref.row, cell.ref.col, cell.ref.table) == (
        "自评表",
        "D4",
        4,
        4,
        1,
    )
    assert cell.ref.label() == "form.xlsx:自评表!D4"
    assert grid.rows[0].cells[0].ref.cell == "A1"
    assert [(f.code, f.source.cell if f.source else None) for f in grid.findings] == [
        ("READ-FORMULA", "C9"),
        ("READ-HIDDEN", None),
    ]


# ---------------------------------------------------------------- DOCX


def _document() -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("财政项目支出绩效自评表")
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "产出指标"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "跨两列"
    t.cell(1, 1).text = "项目资金"
    t.cell(1, 1).paragraphs[0].add_run().add_break()
    t.cell(1, 1).paragraphs[0].add_run("(万元)")
    t.cell(1, 2).text = "10"
    t.cell(2, 0).text = "是否"
    p = t.cell(2, 1).paragraphs[0]
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:r {ns}><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'))
    p.add_run("是 ")
    p._p.append(parse_xml(f'<w:r {ns}><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>'))
    p.add_run("否")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("(2023年度)")
    t2 = doc.add_table(rows=1, cols=2)
    t2.cell(0, 0).text = "总分"
    t2.cell(0, 1).text = "100"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_docx_merges_line_breaks_check_boxes_and_tables_in_order() -> None:
    grid = read_bytes(_document(), "form.docx")
    assert grid.format == "docx"
    assert texts(grid) == [
        ["财政项目支出绩效自评表"],
        ["产出指标", "跨两列", ""],
        ["", "项目资金\n(万元)", "10"],
        ["是否", f"{CHECKED}是 {UNCHECKED}否", ""],
        ["(2023年度)"],
        ["总分", "100"],
    ]
    assert [r.table for r in grid.rows] == [None, 1, 1, 1, None, 2]
    assert grid.rows[4].page_break
    assert not grid.rows[5].page_break
    ref = grid.rows[2].cells[1].ref
    assert (ref.table, ref.row, ref.col) == (1, 2, 2)


# ---------------------------------------------------------------- HTML

HTML = """<!DOCTYPE html><html><head><meta charset="gbk"><title>不读</title><style>td{}</style></head><body>
<h1>财政项目支出绩效自评表</h1><p>(2023年度)</p>
<table>
<tr><td rowspan="2">绩效指标</td><td colspan="2">产出&amp;效益</td><td>分值</td></tr>
<tr><td>培训<br>人数</td><td><input type="checkbox" checked>是 <input type="checkbox">否</td><td> 10 </td></tr>
<tr><td>嵌套</td><td colspan="3"><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td></tr>
</table>
<p>填表人：张三</p>
</body></html>"""


def test_html_spans_breaks_check_boxes_nested_tables_and_encoding() -> None:
    grid = read_bytes(HTML.encode("gbk"), "form.html")
    assert grid.format == "html"
    assert texts(grid) == [
        ["财政项目支出绩效自评表"],
        ["(2023年度)"],
        ["绩效指标", "产出&效益", "", "分值"],
        ["", "培训\n人数", f"{CHECKED}是 {UNCHECKED}否", "10"],
        ["嵌套", "a b\nc", "", ""],
        ["填表人：张三"],
    ]
    assert [r.table for r in grid.rows] == [None, None, 1, 1, 1, None]
    ref = grid.rows[3].cells[1].ref
    assert (ref.table, ref.row, ref.col, ref.line) == (1, 2, 2, 5)


# ---------------------------------------------------------------- PDF pages → grid


def _table(
    page: int, xs: list[float], rows: list[list[tuple[int, int, str]]], top: float, step: float = 20.0
) -> _PTable:
    """A ruled table: rows of (column, span, text) on column edges ``xs``."""
    prows = []
    for k, row in enumerate(rows):
        y = top + k * step
        cells = {c: _PCell(t, (xs[c], y, xs[c + s], y + step), c, s) for c, s, t in row}
        prows.append(_PRow(cells=cells, box=(xs[0], y, xs[-1], y + step), page=page))
    box = (xs[0], top, xs[-1], top + step * len(rows))
    return _PTable(page=page, box=box, xs=xs, rows=prows, ruled=True, size=10.0)


XS = [40.0, 100.0, 200.0, 300.0, 400.0]
HEAD = [(0, 1, "一级指标"), (1, 1, "三级指标"), (2, 1, "分值"), (3, 1, "得分")]
ROW_A = [(0, 1, "产出指标"), (1, 1, "培训人数"), (2, 1, "5"), (3, 1, "5")]


def test_table_continued_on_the_next_page_keeps_index_and_columns() -> None:
    p1 = _Page(
        1, 800.0, [_PLine(1, (40, 20, 200, 30), "财政项目支出绩效自评表"), _table(1, XS, [HEAD, ROW_A], 40)]
    )
    total = _table(2, [40.0, 300.0, 400.0], [[(0, 1, "总分"), (1, 1, "100")]], 40)  # fewer columns
    grid = assemble([p1, _Page(2, 800.0, [total])], "a.pdf")
    assert texts(grid) == [["财政项目支出绩效自评表"], HEAD_T, ROW_A_T, ["总分", "", "", "100"]]
    assert [r.table for r in grid.rows] == [None, 1, 1, 1]
    last = grid.rows[-1]
    assert last.page_break
    assert (last.ref.page, last.ref.row) == (2, 3)
    assert last.cells[3].ref.bbox == (300.0, 40.0, 400.0, 60.0)


HEAD_T = [t for _, _, t in HEAD]
ROW_A_T = [t for _, _, t in ROW_A]


def test_text_between_pages_starts_a_new_table() -> None:
    p1 = _Page(1, 800.0, [_table(1, XS, [HEAD, ROW_A], 40)])
    p2 = _Page(2, 800.0, [_PLine(2, (40, 20, 200, 30), "第二张表"), _table(2, XS, [HEAD], 40)])
    grid = assemble([p1, p2], "a.pdf")
    assert [r.table for r in grid.rows] == [1, 1, None, 2]


ROW_B = [(1, 1, "出勤率"), (2, 1, "3"), (3, 1, "3")]
CUT = [(1, 1, "各类培训考试通"), (2, 1, "2"), (3, 1, "2")]


def test_row_cut_by_the_page_break_is_joined_only_when_the_part_ran_to_the_foot() -> None:
    rest = [(1, 1, "过率")]
    # the first part ends 20 pt above the foot and the continuation starts 40 pt below the top: a cut row
    p1 = _Page(1, 800.0, [_table(1, XS, [HEAD, ROW_A, ROW_B, CUT], 700)])
    p2 = _Page(2, 800.0, [_table(2, XS, [rest, ROW_B], 40)])
    grid = assemble([p1, p2], "a.pdf")
    assert texts(grid)[3] == ["", "各类培训考试通\n过率", "2", "2"]
    assert len(grid.rows) == 5
    assert [f.code for f in grid.findings] == ["READ-SPLIT-ROW"]
    assert grid.rows[-1].ref.row == 5
    # the same rows with room left at the foot of page 1: the page break fell between two rows
    p1 = _Page(1, 800.0, [_table(1, XS, [HEAD, ROW_A, ROW_B, CUT], 500)])
    grid = assemble([p1, _Page(2, 800.0, [_table(2, XS, [rest, ROW_B], 40)])], "a.pdf")
    assert len(grid.rows) == 6
    assert not grid.findings


def test_complete_row_at_the_top_of_a_page_is_not_joined() -> None:
    """A row that fills the columns every row fills is a row of its own, even under a row with a label."""
    p1 = _Page(1, 800.0, [_table(1, XS, [HEAD, ROW_B, ROW_B, ROW_A], 700)])
    p2 = _Page(2, 800.0, [_table(2, XS, [ROW_B], 40)])
    grid = assemble([p1, p2], "a.pdf")
    assert texts(grid)[-1] == ["", "出勤率", "3", "3"]
    assert not grid.findings


class _FakeTable:
    def __init__(self, cells: list[tuple[float, float, float, float]]) -> None:
        self.cells = cells


class _FakePage:
    """What read_page asks of a pdfplumber page: characters, the tables found, the page number and height."""

    def __init__(self, chars: list[dict[str, object]], tables: list[_FakeTable]) -> None:
        self.chars, self.tables = chars, tables
        self.page_number, self.height = 1, 800.0

    def find_tables(self) -> list[_FakeTable]:
        return self.tables


def _chars(text: str, x: float, top: float, size: float = 10.0) -> list[dict[str, object]]:
    return [
        {"text": t, "x0": x + k * size, "x1": x + (k + 1) * size, "top": top, "bottom": top + size,
         "doctop": top, "upright": True, "size": size, "width": size, "height": size}
        for k, t in enumerate(text)
    ]  # fmt: skip


def test_a_frame_round_the_page_is_no_table_and_cells_take_their_characters() -> None:
    from jixiao.readers.pdf import read_page

    frame = _FakeTable([(20.0, 20.0, 580.0, 780.0)])
    cells = [(40.0, 100.0, 140.0, 120.0), (140.0, 100.0, 240.0, 120.0), (40.0, 120.0, 240.0, 140.0)]
    chars = _chars("绩效自评表", 60, 50) + _chars("分值", 50, 105) + _chars("10", 150, 105)
    chars += _chars("总分行跨两列", 50, 125)
    page = read_page(_FakePage(chars, [frame, _FakeTable(cells)]))
    grid = assemble([page], "f.pdf")
    assert texts(grid) == [["绩效自评表"], ["分值", "10"], ["总分行跨两列", ""]]
    assert [r.table for r in grid.rows] == [None, 1, 1]
    assert grid.rows[2].cells[0].ref.bbox == (40.0, 120.0, 240.0, 140.0)


def test_pdf_without_rules_reads_cells_from_word_positions(shared: Path) -> None:
    """The Chromium form with every rule removed: rows and cells come from the word positions alone."""
    import pdfplumber

    from jixiao.forms import parse_grid
    from jixiao.model import SelfEvaluation
    from jixiao.readers.pdf import read_page

    path = shared / "corpus" / "rendered" / "s001-3_gongwuyuan.pdf"
    with pdfplumber.open(path) as pdf:
        pages = [
            read_page(p.filter(lambda o: o.get("object_type") not in ("rect", "line", "curve")))
            for p in pdf.pages
        ]
    grid = assemble(pages, str(path))
    assert grid.rows[0].table is None
    assert grid.rows[0].texts == ["财政项目支出绩效自评表"]
    row = next(r for r in grid.rows if any(t.startswith("处级领导职务公务") for t in r.texts))
    assert [t for t in row.texts if t] == ["处级领导职务公务\n员专题培训人数", "≥130(人)", "139人", "2", "2"]
    doc = parse_grid(grid).documents[0]
    assert isinstance(doc, SelfEvaluation)
    got = {(i.name, i.weight, i.score) for i in doc.indicators}
    assert len(got) >= 25
    assert ("试用期转正率", 2.0, 2.0) in got
    assert (doc.total_weight, doc.total_score) == (100.0, 99.66)


# ---------------------------------------------------------------- dispatch and bad input


def test_content_decides_the_format_and_a_wrong_extension_is_reported() -> None:
    data = _document()
    assert sniff(data) == "docx"
    assert sniff(_workbook()) == "xlsx"
    assert sniff(b"%PDF-1.7\n") == "pdf"
    grid = read_bytes(data, "form.pdf")
    assert grid.format == "docx"
    assert [(f.code, f.actual) for f in grid.findings] == [("READ-EXTENSION", "docx")]
    assert read_bytes(HTML.encode("gbk"), "form.txt").format == "html"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "a.pdf",
            "十分正常的一段文字。\n".encode(),
            r"^a\.pdf: 不是 PDF 文件（内容是纯文本）$",
        ),
        ("b.docx", bytes(range(256)) * 4, r"^b\.docx: 不是 Word（DOCX） 文件（内容是无法识别的二进制数据"),
        ("c.docx", None, r"^c\.docx: Word（DOCX） 文件已损坏或不完整"),
        ("d.xlsx", None, r"^d\.xlsx: Excel（XLSX） 文件已损坏或不完整"),
        ("e.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", r"^e\.pdf: PDF 文件已损坏（"),
        (
            "f.zip.docx",
            None,
            r"^f\.zip\.docx: 是 ZIP 压缩包，但不是 Word（DOCX）或 Excel（XLSX）文档$",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_the_cause(
    name: str, data: bytes | None, message: str
) -> None:
    if data is None and name.startswith("f"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("notes.txt", "x")
        data = out.getvalue()
    elif data is None:
        whole = _document() if name.endswith("docx") else _workbook()
        data = whole[: len(whole) // 2]
    with pytest.raises(ReadError, match=message) as err:
        read_bytes(data, name)
    assert "\n" not in str(err.value)


def test_legacy_file_without_libreoffice_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(600)
    with pytest.raises(ReadError, match=r"^old\.doc: DOC 文件需要用 LibreOffice.*未安装") as err:
        read_bytes(ole, "old.doc")
    assert "\n" not in str(err.value)
    secret = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    with pytest.raises(ReadError, match=r"^x\.xlsx: Office 文件有密码保护，无法读取$"):
        read_bytes(secret, "x.xlsx")


FAKE_SOFFICE = """#!{python}
import os, shutil, sys
args = sys.argv[1:]
out, kind = args[args.index("--outdir") + 1], args[args.index("--convert-to") + 1]
if not os.environ.get("FAKE_CONVERTED"):
    sys.exit("Error: source file could not be loaded")
os.makedirs(out, exist_ok=True)
shutil.copy(os.environ["FAKE_CONVERTED"], os.path.join(out, "input." + kind))
"""


def test_legacy_file_converts_through_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in soffice on PATH: the reader runs it headless and reads what it wrote, under the old name."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    soffice.chmod(0o755)
    converted = tmp_path / "converted.docx"
    converted.write_bytes(_document())
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_CONVERTED", str(converted))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(600)
    grid = read_bytes(ole, "old.doc")
    assert grid.format == "docx"
    assert grid.rows[0].texts == ["财政项目支出绩效自评表"]
    assert grid.rows[1].cells[0].ref.path == "old.doc"
    assert [f.code for f in grid.findings] == ["READ-CONVERTED"]
    monkeypatch.setenv("FAKE_CONVERTED", "")
    with pytest.raises(ReadError, match=r"^old\.doc: LibreOffice 无法转换该DOC 文件（Error: source"):
        read_bytes(ole, "old.doc")


def test_characters_printed_twice_over_themselves_read_once() -> None:
    from jixiao.readers.pdf import dedupe

    def ch(text: str, x: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x, "top": top}

    chars = [ch("项", 10.0, 20.0), ch("目", 19.0, 20.0), ch("项", 10.4, 20.3), ch("目", 19.4, 19.8)]
    chars += [ch("目", 28.0, 20.0), ch("项", 10.0, 40.0)]  # the same character elsewhere stays
    assert [(c["text"], c["x0"], c["top"]) for c in dedupe(chars)] == [
        ("项", 10.0, 20.0),
        ("目", 19.0, 20.0),
        ("目", 28.0, 20.0),
        ("项", 10.0, 40.0),
    ]


def test_cli_reports_broken_originals_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    (tmp_path / "cut.xlsx").write_bytes(_workbook()[:3000])
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao",
            "parse",
            "--json",
            str(tmp_path / "broken.pdf"),
            str(tmp_path / "cut.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3  # some input unreadable (jixiao parse --help)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "Traceback" not in proc.stderr
    assert "broken.pdf: PDF 文件已损坏" in lines[0]
    assert "cut.xlsx: Excel（XLSX） 文件已损坏或不完整" in lines[1]


def _text_rows(text: str) -> list[list[str]]:
    grid = read_bytes(text.encode(), "t.txt")
    return [[c.text for c in row.cells] for row in grid.rows]


def test_unled_pipe_table_keeps_rows_led_by_an_empty_first_cell() -> None:
    # a pipe table printed without leading `|`: a row whose first cell is empty starts with `|`, and is as wide
    # as the table's other rows, so it is a row of its own, not the tail of the row above
    text = (
        "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |||\n"
        " | 产出指标 | 数量指标 | 配备车辆数 | 10辆 |||\n"
        " |  |  | 风炮射程 | ≥80M |||\n"
    )
    rows = _text_rows(text)
    assert rows == [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "配备车辆数", "10辆"],
        ["", "", "", "风炮射程", "≥80M"],
    ]
    grid = read_bytes(text.encode(), "t.txt")
    assert [r.ref.line for r in grid.rows] == [1, 2, 3]  # each value cites its own line
    assert grid.rows[2].cells[3].ref.col == 4


def test_unled_pipe_row_broken_over_two_lines_is_still_one_row() -> None:
    # the short `|`-led line is the rest of a cell broken over two lines, not a row
    rows = _text_rows("名称 | 目标 | 单位 | 分值 | 得分 |\n乙 | 定性 | 优良中低差 |\n| 优 | 10 |\n")
    assert rows[-1] == ["乙", "定性", "优良中低差", "优", "10"]
    assert len(rows) == 2


def test_two_column_csv_reads_label_and_value_cells() -> None:
    text = (
        "绩效评价结果信息表\n項(xiàng)目名稱,基层党建\n决算金额,338.62万元\n评价分值,93.17\n"
        '评价结论,优\n存在问题,"（1）预算编制有待优化, 二级项目不尽合理。"\n'
    )
    rows = _text_rows(text)
    assert rows[1] == ["項(xiàng)目名稱", "基层党建"]
    assert rows[3] == ["评价分值", "93.17"]
    assert rows[5] == ["存在问题", "（1）预算编制有待优化, 二级项目不尽合理。"]  # the quoted comma stays


def test_prose_with_a_comma_now_and_then_is_not_csv() -> None:
    text = (
        "一、项目基本情况\n项目由区教育局实施,资金来源为区级财政。\n二、绩效目标完成情况\n"
        "全年完成培训12期。\n人员,导致有偏差\n三、存在问题\n部分指标设置不够细化。\n"
    )
    assert all(len(r) == 1 for r in _text_rows(text))
