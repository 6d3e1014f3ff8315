"""One self-evaluation parser per table, chosen from the rows before either runs (issue 14): plain lines of text
are read as a stream of cells, table rows by their columns; the other parser is not asked."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import jixiao.forms as forms
from jixiao import parse_bytes
from jixiao.model import SelfEvaluation


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("this parser must not run on these rows")


def _self_evaluations(data: bytes, name: str) -> list[SelfEvaluation]:
    result = parse_bytes(data, name)
    assert not [f for f in result.all_findings if f.code == "PARSE-CRASH"]
    return [d for d in result.documents if isinstance(d, SelfEvaluation)]


@pytest.mark.parametrize("name", ["r002.txt", "r006.txt", "r111.txt"])
def test_plain_text_is_read_by_the_stream_parser_alone(
    shared: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (shared / "corpus" / "real" / name).read_bytes()
    expected = _self_evaluations(data, name)
    assert expected
    assert expected[0].indicators
    monkeypatch.setattr(forms, "parse_self_evaluation", _refuse)
    got = _self_evaluations(data, name)
    assert [d.indicators for d in got] == [d.indicators for d in expected]


def test_table_rows_are_read_by_the_row_parser_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = resources.files("jixiao.samples") / "000_8da3fcbf92a4c425.txt"
    data = sample.read_bytes()
    expected = _self_evaluations(data, sample.name)
    assert expected
    assert all(d.indicators for d in expected)
    monkeypatch.setattr(forms, "parse_stream", _refuse)
    got = _self_evaluations(data, sample.name)
    assert [d.indicators for d in got] == [d.indicators for d in expected]
