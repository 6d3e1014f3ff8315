"""Golden pass/fail cases per check (``tests/check_cases/<CODE>.yml``), run by one generic test.

Each file names its ``code`` and holds ``cases``: a ``table`` (the text a user would feed ``jixiao check``: one or
more markdown tables) or a v1 ``document`` mapping, optional ``profile`` settings, and the expected ``findings`` of
that code as ``[code, line]`` or ``[code, line, severity]``.  A case with no findings is a pass case; the
meta-tests require every registered code to have at least one of each, and every check's docstring to carry its
documentation sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao import parse_bytes
from jixiao.model import AnyDocument, Finding, from_v1
from jixiao.rules import CRASH_CODE, Profile, check_documents, default_registry
from jixiao.rules.base import SECTIONS

CASES_DIR = Path(__file__).resolve().parents[1] / "check_cases"


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    data: dict[str, Any]

    @property
    def expected(self) -> list[tuple[Any, ...]]:
        return sorted(tuple(f) for f in self.data.get("findings") or [])

    @property
    def passes(self) -> bool:
        return not self.expected


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["code"] == path.stem, f"{path.name} declares code {data['code']}"
        for name, case in data["cases"].items():
            cases.append(Case(data["code"], name, case))
    return cases


CASES = load_cases()


def documents(case: Case) -> list[AnyDocument]:
    docs: list[AnyDocument] = []
    if "table" in case.data:
        result = parse_bytes(case.data["table"].encode("utf-8"), "case.md")
        assert result.documents, f"{case.code}/{case.name}: the table did not parse"
        docs.extend(result.documents)
    docs.extend(from_v1(d) for d in case.data.get("documents") or [])
    return docs


def flatten(f: Finding, width: int) -> tuple[Any, ...]:
    src = f.source
    line = (src.line or src.row) if src else None
    return (f.code, line, f.severity.value)[:width]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}:{c.name}" for c in CASES])
def test_case(case: Case) -> None:
    profile = Profile().with_settings(case.data.get("profile") or {})
    found = check_documents(documents(case), profile=profile, select=[case.code])
    assert not [f for f in found if f.code == CRASH_CODE]
    width = max((len(e) for e in case.expected), default=2)
    got = sorted(flatten(f, width) for f in found)
    assert got == [tuple(e) for e in case.expected], [f.message for f in found]


def test_every_check_has_pass_and_fail_cases() -> None:
    have: dict[str, set[bool]] = {}
    for c in CASES:
        have.setdefault(c.code, set()).add(c.passes)
    for check in default_registry().checks:
        assert have.get(check.code) == {True, False}, f"{check.code} needs both a pass and a fail case"


def test_every_case_file_names_a_registered_check() -> None:
    codes = {c.code for c in default_registry().checks}
    assert {c.code for c in CASES} <= codes


@pytest.mark.parametrize("check", default_registry().checks, ids=lambda c: c.code)
def test_docstring_is_the_documentation(check: Any) -> None:
    sections = check.documentation()
    assert check.summary(), f"{check.code} has no summary line"
    assert set(SECTIONS) <= set(sections), f"{check.code} lacks {set(SECTIONS) - set(sections)}"
    assert all(sections[s] for s in SECTIONS)
    assert check.name.count(".") == 1
    assert "all" in check.groups
