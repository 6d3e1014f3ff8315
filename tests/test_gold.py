"""The seed documents against their gold parse, field by field, with the shared goldcheck tool."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jixiao import parse_file
from jixiao.model import from_v1, to_v1
from tests.conftest import SEEDS

CMD = f"{sys.executable} -m jixiao parse --json"


def test_seed_gold_is_complete(shared: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "goldcheck.py"),
            "--docs",
            str(shared / "seeds"),
            "--gold",
            str(shared / "seeds" / "gold"),
            "--cmd",
            CMD,
            "-v",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    last = proc.stdout.strip().splitlines()[-1]
    assert last == "fields: 2458/2458 (100.00%)", proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.returncode == 0


def test_samples_hold_27_documents() -> None:
    counts = [len(parse_file(p).documents) for p in SEEDS]
    assert counts == [2, 8, 4, 5, 8]


def test_v1_json_loads_back_to_the_same_documents() -> None:
    for path in SEEDS:
        for doc in parse_file(path).documents:
            data = json.loads(json.dumps(to_v1(doc), ensure_ascii=False))
            again = from_v1(data)
            assert again == doc
            assert to_v1(again) == data


def test_every_indicator_carries_its_source_cells() -> None:
    for path in SEEDS:
        for doc in parse_file(path).documents:
            for ind in getattr(doc, "indicators", []):
                assert ind.source is not None
                assert ind.source.line is not None
                assert ind.source.path == str(path)
                assert "name" in ind.cells
                assert ind.cells["name"].col is not None


def test_findings_keep_their_source_through_v1_json() -> None:
    text = (
        SEEDS[0]
        .read_text(encoding="utf-8")
        .replace("| 500课时 | 521课时 | 10 | 10 |", "| 500课时 | 521课时 | 10 | 十 |")
    )
    from jixiao import parse_bytes

    doc = parse_bytes(text.encode(), "x.md").documents[0]
    assert doc.findings
    assert doc.findings[0].source is not None
    again = from_v1(json.loads(json.dumps(to_v1(doc), ensure_ascii=False)))
    assert again.findings == doc.findings
