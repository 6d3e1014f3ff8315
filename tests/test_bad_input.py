"""Bad input: a clear one-line error naming the file, or a partial document with findings; never a traceback
and never an invented value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import ReadError, parse_bytes, parse_file
from jixiao.model import SelfEvaluation, to_v1
from tests.conftest import SEEDS

SEED_SELF = SEEDS[1]  # 001: eight 2023 self-evaluations


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_empty_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(ReadError, match=r"empty\.txt: 空文件"):
        parse_file(f)


def test_whitespace_only_file_is_refused() -> None:
    with pytest.raises(ReadError, match="空文件"):
        parse_bytes(b" \n\t\n", "blank.txt")


def test_binary_junk_is_refused() -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(ReadError, match=r"junk\.txt: 是二进制数据"):
        parse_bytes(junk, "junk.txt")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_read_like_utf8(encoding: str) -> None:
    text = SEED_SELF.read_text(encoding="utf-8")
    data = text.encode(encoding)
    want = [to_v1(d, provenance=False) for d in parse_bytes(text.encode("utf-8"), "seed.txt").documents]
    result = parse_bytes(data, "seed.txt")
    assert [to_v1(d, provenance=False) for d in result.documents] == want
    if encoding not in ("utf-8-sig",):
        assert any(f.code == "READ-ENCODING" for f in result.findings)


def test_truncated_table_gives_partial_document_with_finding() -> None:
    lines = SEEDS[0].read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if "支持学员账号数" in line)
    text = "\n".join([*lines[: cut + 1], "| | | 质量指标 | 课件验收 | 评审会"])  # cut mid-row
    result = parse_bytes(text.encode(), "cut.md")
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert isinstance(doc, SelfEvaluation)
    assert [i.name for i in doc.indicators] == ["发布新课件", "支持学员账号数"]
    assert doc.total_weight is None
    assert doc.total_score is None
    codes = {f.code for f in doc.findings}
    assert {"PARSE-ROW", "PARSE-MISSING"} <= codes


def test_non_number_where_a_number_belongs_is_reported_not_guessed() -> None:
    text = (
        SEEDS[0]
        .read_text(encoding="utf-8")
        .replace("| 500课时 | 521课时 | 10 | 10 |", "| 500课时 | 521课时 | 10 | 十 |")
    )
    doc = parse_bytes(text.encode(), "x.md").documents[0]
    assert isinstance(doc, SelfEvaluation)
    assert all(i.name != "发布新课件" or i.score is None for i in doc.indicators)


def test_text_without_any_form_is_no_document() -> None:
    result = parse_bytes("这是一段与绩效无关的文字。\n第二行。\n".encode(), "note.txt")
    assert result.documents == []
    assert [f.code for f in result.findings] == ["PARSE-NO-DOCUMENT"]


def _bad_inputs(tmp_path: Path) -> list[Path]:
    """Every kind of input that cannot be read at all: empty, binary junk, missing, a folder."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.pdf.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    return [empty, junk, tmp_path / "missing.txt", folder]


@pytest.mark.parametrize("command", [["parse", "--json"], ["check", "--format", "json"], ["score", "--json"]])
def test_every_unreadable_input_is_one_line_and_the_rest_still_processed(
    tmp_path: Path, command: list[str]
) -> None:
    bad = _bad_inputs(tmp_path)
    proc = run_cli(*command, str(bad[0]), str(SEEDS[0]), *map(str, bad[1:]))
    assert proc.returncode == 3, (
        proc.stderr
    )  # "some input unreadable", distinct from findings (1) and usage (2)
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == len(bad), proc.stderr
    for line, path in zip(errors, bad, strict=True):
        assert line.startswith("错误：")
        assert str(path) in line
    assert "空文件" in errors[0]
    assert "二进制数据" in errors[1]
    assert "无法打开" in errors[2]
    assert "Traceback" not in proc.stderr
    import json

    rows = json.loads(proc.stdout)
    if command[0] in ("parse", "score"):
        assert [d["project"] for d in rows] == ["在线学习工作经费", "领导干部培训经费"]
    else:
        assert rows
        assert all(r["project"] in ("在线学习工作经费 (2022)", "领导干部培训经费 (2022)") for r in rows)


def test_a_readable_file_holding_no_document_is_exit_1_not_3(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("这是一段与绩效无关的文字。\n", encoding="utf-8")
    proc = run_cli("parse", "--json", str(note), str(SEEDS[0]))
    assert proc.returncode == 1
    assert str(note) in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["parse", "check", "score"])
def test_help_documents_the_exit_codes(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    flat = "".join(proc.stdout.split())
    assert "3有文件无法读取" in flat
    assert "2参数" in flat


def test_cli_summary_names_kind_year_project_and_totals() -> None:
    proc = run_cli("parse", str(SEEDS[3]))
    assert proc.returncode == 0, proc.stderr
    for text in ("绩效自评表", "2024", "党建服务工作经费", "10 项指标", "97.89 / 100 优"):
        assert text in proc.stdout
