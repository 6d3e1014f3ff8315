"""Real documents from other provinces, as users' extraction tools give them (shared/corpus/real)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import parse_file
from jixiao.model import SelfEvaluation

CMD = f"{sys.executable} -m jixiao parse --json"


# The eight gold files this test was written for; the folder has grown since (56 files, 32 with gold), and
# reading the whole folder is the work of the issue "Read documents it has never seen", which asserts it there.
PINNED = ("r002", "r003", "r006", "r008", "r011", "r014", "r030", "r040", "r202", "r203", "r217")


def test_dev_set_goldcheck_at_least_95_percent(shared: Path, tmp_path: Path) -> None:
    real = shared / "corpus" / "real"
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    for name in PINNED:
        (docs / f"{name}.txt").symlink_to(real / f"{name}.txt")
        (gold / f"{name}.json").symlink_to(real / "gold" / f"{name}.json")
    matched, total, wrong = _goldcheck(shared, docs, gold)
    assert matched / total >= 0.95, f"{matched}/{total}"
    assert wrong == 0, f"{wrong} wrong values in the pinned files"


def _goldcheck(shared: Path, docs: Path, gold: Path) -> tuple[int, int, int]:
    """(fields matched, fields in the gold, wrong values) as the shared goldcheck tool counts them."""
    proc = subprocess.run(
        [sys.executable, str(shared / "tools" / "goldcheck.py"), "--docs", str(docs), "--gold", str(gold),
         "--cmd", CMD],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    m = re.search(r"fields: (\d+)/(\d+)", proc.stdout)
    w = re.search(r"wrong values \(given, but not the document's\): (\d+)", proc.stdout)
    assert m, proc.stdout + proc.stderr
    assert w, proc.stdout + proc.stderr
    return int(m.group(1)), int(m.group(2)), int(w.group(1))


# The whole real folder (every file with gold): issue 14 asks >= 97% of the fields with wrong values <= 0.5% of
# them.  The floor and the ceiling are the figures measured on main after merging se and decl (2026-12-02): 1263/1287 fields, 1 wrong
# value (before: 1177/1294 and 1; earlier still 658/1305 and 2).  Raise them as the reading improves, never lower.
WHOLE_FOLDER_MATCHED_FLOOR = 1263
WHOLE_FOLDER_WRONG_CEILING = 1


def test_whole_real_folder_does_not_regress(shared: Path) -> None:
    real = shared / "corpus" / "real"
    matched, total, wrong = _goldcheck(shared, real, real / "gold")
    assert total >= 1281, f"the gold shrank: {total} fields"  # 1281 gold fields, plus one per extra row read
    assert matched >= WHOLE_FOLDER_MATCHED_FLOOR, f"{matched}/{total} fields, below the floor"
    assert wrong <= WHOLE_FOLDER_WRONG_CEILING, f"{wrong} wrong values, ceiling {WHOLE_FOLDER_WRONG_CEILING}"
    assert matched / total >= 0.97, f"{matched}/{total} fields: the issue asks for 97%"
    assert wrong <= 0.005 * total, f"{wrong} wrong values in {total} fields: the issue allows 0.5%"


def _real_files() -> list[Path]:
    from tests.conftest import SHARED

    return sorted((SHARED / "corpus" / "real").glob("r*.txt"))


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.stem)
def test_every_real_file_parses_without_exception(path: Path) -> None:
    result = parse_file(path)
    assert not any(f.code == "PARSE-CRASH" for f in result.all_findings), result.all_findings
    for doc in result.documents:
        for ind in getattr(doc, "indicators", []):
            assert ind.source is not None


def test_digits_stripped_by_the_site_are_reported_not_invented(shared: Path) -> None:
    result = parse_file(shared / "corpus" / "real" / "r027.txt")
    assert any(f.code == "PARSE-NO-NUMBERS" for f in result.all_findings)
    for doc in result.documents:
        assert isinstance(doc, SelfEvaluation)
        assert doc.total_score is None
        assert doc.total_weight is None
        assert all(i.weight is None and i.score is None for i in doc.indicators)
        assert all(f.annual_budget is None and f.executed is None for f in doc.funds)


def test_evaluation_still_in_progress_has_no_result(shared: Path) -> None:
    result = parse_file(shared / "corpus" / "real" / "r043.txt")
    assert result.documents == []
    assert [f.code for f in result.findings][:1] == ["PARSE-NO-RESULT"]


def test_glued_fund_values_placed_by_arithmetic(shared: Path) -> None:
    """r002 prints five numbers under six fund columns; 10 × 880/880 = 10 says the rate is the missing one."""
    doc = parse_file(shared / "corpus" / "real" / "r002.txt").documents[0]
    assert isinstance(doc, SelfEvaluation)
    total = doc.funds[0]
    assert (total.initial_budget, total.annual_budget, total.executed) == (880, 880, 880)
    assert (total.weight, total.execution_rate, total.score) == (10, None, 10)


@pytest.mark.parametrize(
    ("name", "variant"),
    [("r003", "split-target"), ("r017", "hubei-20-80"), ("r018", "weighted-scores"), ("r024", "rubric")],
)
def test_provincial_variants_are_recognised(shared: Path, name: str, variant: str) -> None:
    result = parse_file(shared / "corpus" / "real" / f"{name}.txt")
    assert variant in {f.name for f in result.all_findings if f.code == "PARSE-VARIANT"}


def test_the_seeds_are_the_standard_form() -> None:
    from tests.conftest import SEEDS

    assert not [f for p in SEEDS for f in parse_file(p).all_findings if f.code == "PARSE-VARIANT"]
