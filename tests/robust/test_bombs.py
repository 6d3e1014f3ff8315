"""Zip bombs (XLSX, DOCX, nested) and a PDF whose content stream is a Flate bomb are refused before they are inflated: the CLI, run in a child process under a
memory limit, refuses each within 5 s and 500 MB peak RSS, and nothing is stored."""

from __future__ import annotations

import io
import os
import resource
import sqlite3
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from jixiao import ReadError
from jixiao.readers import read_bytes
from jixiao.readers.limits import Limits

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
# what the bomb's big member inflates to: 256 MB in make test (4 times the default limit; openpyxl would need
# gigabytes for it), 2 GB under make fuzz (JIXIAO_BOMB_MB=2048)
BOMB_BYTES = int(os.environ.get("JIXIAO_BOMB_MB", "256")) * 2**20
PEAK_RSS_BYTES = 500 * 2**20
SECONDS = 5.0
_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"\xe9\xa1\xb9" * 40 + b"</t></is></c></row>"


def _stream_member(z: zipfile.ZipFile, name: str, head: bytes, body: bytes, size: int, tail: bytes) -> None:
    """A member of ``size`` bytes written in chunks (the bomb is never held in memory)."""
    chunk = body * max(1, (4 * 2**20) // len(body))
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as f:
        f.write(head)
        written = len(head)
        while written < size:
            f.write(chunk)
            written += len(chunk)
        f.write(tail)


def _base(kind: str) -> bytes:
    """A small real workbook or Word document to hide the bomb in."""
    out = io.BytesIO()
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active["A1"] = "项目名称"  # type: ignore[index]
        wb.save(out)
    else:
        import docx

        d = docx.Document()
        d.add_paragraph("项目支出绩效自评表")
        d.save(out)
    return out.getvalue()


def _bomb(kind: str, target: Path) -> None:
    member = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
    with (
        zipfile.ZipFile(io.BytesIO(_base(kind))) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            if info.filename != member:
                z.writestr(info, src.read(info))
        if kind == "xlsx":
            head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            _stream_member(z, member, head, _ROW, BOMB_BYTES, b"</sheetData></worksheet>")
        else:
            head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            para = b"<w:p><w:r><w:t>" + b"\xe9\xa1\xb9" * 40 + b"</w:t></w:r></w:p>"
            _stream_member(z, member, head, para, BOMB_BYTES, b"</w:body></w:document>")


def _nested(target: Path, inner: Path) -> None:
    """A Word document whose embedded workbook is the XLSX bomb (each level small; only the inner one inflates)."""
    with (
        zipfile.ZipFile(io.BytesIO(_base("docx"))) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            z.writestr(info, src.read(info))
        z.write(inner, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx", compress_type=zipfile.ZIP_STORED)


def _pdf_bomb(target: Path) -> None:
    """A one-page PDF whose content stream is ``BOMB_BYTES`` of drawing operators, Flate-compressed in chunks."""
    squeeze = zlib.compressobj(9)
    with target.open("wb") as f:
        offsets: list[int] = []

        def obj(body: bytes) -> None:
            offsets.append(f.tell())
            f.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        f.write(b"%PDF-1.7\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
        length_at = f.tell()
        offsets.append(length_at)
        f.write(b"4 0 obj\n<< /Filter /FlateDecode /Length 0000000000 >>\nstream\n")
        begin = f.tell()
        chunk = b"0 0 m 1 1 l S\n" * (2**20 // 14)
        written = 0
        while written < BOMB_BYTES:
            f.write(squeeze.compress(chunk))
            written += len(chunk)
        f.write(squeeze.flush())
        size = f.tell() - begin
        f.write(b"\nendstream\nendobj\n")
        xref = f.tell()
        f.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        f.write(b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets))
        f.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
        f.seek(length_at + len(b"4 0 obj\n<< /Filter /FlateDecode /Length "))
        f.write(f"{size:010d}".encode())


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bombs")
    made = {
        "xlsx": root / "bomb.xlsx",
        "docx": root / "bomb.docx",
        "nested": root / "nested.docx",
        "pdf": root / "bomb.pdf",
    }
    _pdf_bomb(made["pdf"])
    _bomb("xlsx", made["xlsx"])
    _bomb("docx", made["docx"])
    _nested(made["nested"], made["xlsx"])
    return made


def _limited() -> None:  # in the child, before exec: no more than 2 GB of address space, 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def _run_limited(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run the CLI in a child with a memory limit; (result, the CPU seconds it took, its peak RSS in bytes).

    CPU time rather than wall time: the machine runs other work, which stretches the wall clock but not this."""
    env = {**os.environ, "COLUMNS": "200"}
    code = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stdout.write(json.dumps([p.returncode, p.stdout, p.stderr, use.ru_maxrss * 1024, use.ru_utime + use.ru_stime]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=_limited,
        timeout=120,
        check=False,
    )
    import json

    rc, out, err, peak, cpu = json.loads(proc.stdout)
    return subprocess.CompletedProcess(args, rc, out, err), float(cpu), int(peak)


def test_the_bombs_are_what_they_claim(bombs: dict[str, Path]) -> None:
    for path in bombs.values():
        assert path.stat().st_size < 8 * 2**20
    with zipfile.ZipFile(bombs["xlsx"]) as z:
        assert sum(i.file_size for i in z.infolist()) > BOMB_BYTES >= 4 * Limits().inflated_bytes
    data = bombs["pdf"].read_bytes()
    body = data[data.index(b"stream\n") + 7 : data.index(b"\nendstream")]
    inflated = zlib.decompressobj()
    assert len(inflated.decompress(body, 2**20)) == 2**20  # real Flate data, inflating far beyond its size


@pytest.mark.parametrize("kind", ["xlsx", "docx", "nested", "pdf"])
def test_a_bomb_is_refused_by_the_reader_naming_the_file_and_the_limit(
    kind: str, bombs: dict[str, Path]
) -> None:
    path = bombs[kind]
    t0 = time.perf_counter()
    with pytest.raises(ReadError, match=r"压缩炸弹") as refused:
        read_bytes(path.read_bytes(), str(path))
    assert time.perf_counter() - t0 < SECONDS
    message = str(refused.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert "JIXIAO_MAX_" in message


@pytest.mark.parametrize("command", ["ingest", "parse"])
def test_ingest_and_parse_refuse_bombs_in_bounded_time_and_memory(
    command: str, bombs: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    files = [str(p) for p in bombs.values()]
    args = (
        [JIXIAO, "ingest", "-q", "-j", "1", "--db", str(db), *files]
        if command == "ingest"
        else [JIXIAO, "parse", *files]
    )
    result, seconds, peak = _run_limited(args, tmp_path)
    # parse: 3, "some input unreadable"; ingest: its refusal exit
    assert result.returncode in ((3,) if command == "parse" else (1, 2)), result
    refusals = [ln for ln in (result.stderr + result.stdout).splitlines() if "压缩炸弹" in ln]
    assert len(refusals) == len(files), result
    assert "Traceback" not in result.stderr, result
    assert all(any(f in ln for ln in refusals) for f in files), refusals
    assert seconds < SECONDS, f"{command}: {seconds:.1f} s of CPU"
    assert peak < PEAK_RSS_BYTES, f"{command}: peak RSS {peak / 2**20:.0f} MB"
    if command == "ingest":
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM source_files").fetchone() == (0,)
            logged = conn.execute("SELECT outcome, reason FROM run_files").fetchall()
        assert [r[0] for r in logged] == ["refused"] * len(files)
        assert all("压缩炸弹" in r[1] for r in logged)


def test_a_pdf_drawing_millions_of_operators_unfiltered_is_refused_before_parsing(tmp_path: Path) -> None:
    ops = b"0 0 m 1 1 l S\n" * (3 * 2**20 // 14)  # 3 MB of plain drawing operators: no compression to detect
    body = (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
        + f"4 0 obj\n<< /Length {len(ops)} >>\nstream\n".encode()
        + ops
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    t0 = time.perf_counter()
    with pytest.raises(ReadError, match="JIXIAO_MAX_PDF_CONTENT_KB"):
        read_bytes(body, str(tmp_path / "plain.pdf"))
    assert time.perf_counter() - t0 < SECONDS
