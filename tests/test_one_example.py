"""No document's wording in the parsers that only one document justifies (issue 14).

Every string literal in ``src/jixiao/forms/*.py`` and ``src/jixiao/readers/*.py`` with at least four CJK
characters is a word the parsers look for in a document, unless it is

- a docstring, or
- a message: it stands inside a call to ``Finding``, ``ReadError`` or ``*.report``, is passed as a
  ``message=`` keyword or assigned to a name that says ``message``, is returned by a function whose name says
  ``message`` or ``describe``, or it holds a sentence (a full-width ``，``, ``。`` or ``；``).  Messages are the
  program's own words, not a document's.

Such a word is folded as the parsers fold text (``jixiao.text.simplify``, whitespace removed) and must occur in
at least two documents of the corpus (``shared/corpus/real/*.txt`` and ``shared/seeds/*.txt``) or in the spec
(``shared/spec/*.md``).  A regular expression is checked by its literal runs: character classes dropped, the
rest split at every other character, each run of four or more CJK characters checked as a word.

Where a rule really rests on one example (or on none: a template's wording no document here prints), the
literal's line or the line above it carries the marker::

    # one example: r225 — 湖北's template names the unit 项目执行单位; the label list holds the class

``one example:`` then the documents it rests on (``rNNN``, a seed's name, or ``none``), `` — `` and why the
class is real.  A marker without a reason does not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jixiao.text import simplify

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = sorted([*(ROOT / "src/jixiao/forms").glob("*.py"), *(ROOT / "src/jixiao/readers").glob("*.py")])

MARKER = re.compile(r"#\s*one example:\s*\S.*?\s—\s*\S")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{4,}")
_REGEX_META = re.compile(r"[\\\[\](){}|?*+^$]")
_CHAR_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_SENTENCE = ("，", "。", "；")
_MESSAGE_CALLS = {"Finding", "ReadError", "report"}


def _fold(s: str) -> str:
    return simplify("".join(s.split()))


def _texts() -> tuple[list[str], str]:
    if not SHARED.is_dir():
        pytest.skip("../shared (corpus and spec) is absent")
    files = [*sorted((SHARED / "corpus/real").glob("*.txt")), *sorted((SHARED / "seeds").glob("*.txt"))]
    docs = [_fold(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    spec = "".join(_fold(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "spec").glob("*.md")))
    return docs, spec


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _skipped(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings or messages."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        message: list[ast.AST] = []
        if isinstance(node, ast.FunctionDef) and ("message" in node.name or "describe" in node.name):
            message.extend(n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and "message" in t.id.lower() for t in node.targets
        ):
            message.append(node.value)
        if isinstance(node, ast.Call):
            if _callee(node) in _MESSAGE_CALLS:
                message.append(node)
            message.extend(k.value for k in node.keywords if k.arg == "message")
        for part in message:
            skip.update(id(n) for n in ast.walk(part) if isinstance(n, ast.Constant))
    return skip


def words(literal: str) -> list[str]:
    """The document words a literal asks for: itself, or a regular expression's literal runs."""
    if not _REGEX_META.search(literal):
        return [_fold(literal)]
    return [_fold(run) for run in _CJK_RUN.findall(_CHAR_CLASS.sub("|", literal))]


def literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) for every literal with four or more CJK characters that is no docstring nor message."""
    tree = ast.parse(source)
    skip = _skipped(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        s = node.value
        if len(_CJK.findall(s)) >= 4 and not any(mark in s for mark in _SENTENCE):
            found.append((node.lineno, s))
    return sorted(found)


def unjustified(source: str, docs: list[str], spec: str) -> list[tuple[int, str]]:
    lines = source.splitlines()
    bad = []
    for lineno, s in literals(source):
        here = lines[lineno - 1]
        above = lines[lineno - 2] if lineno >= 2 else ""
        if MARKER.search(here) or MARKER.search(above):
            continue
        for word in words(s):
            if word in spec or sum(word in d for d in docs) >= 2:
                continue
            bad.append((lineno, s if word == _fold(s) else f"{s} ({word})"))
            break
    return bad


def test_every_document_word_rests_on_two_documents_or_the_spec() -> None:
    docs, spec = _texts()
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {s!r}"
        for path in SOURCES
        for line, s in unjustified(path.read_text(encoding="utf-8"), docs, spec)
    ]
    assert not bad, (
        f"{len(bad)} literals rest on one document or none (mark them or generalise):\n" + "\n".join(bad)
    )


def test_the_check_flags_a_new_single_document_word_and_honours_the_marker() -> None:
    docs, spec = _texts()
    unique = "项目执行单位"  # printed by one document of the corpus (r225)
    assert sum(unique in d for d in docs) == 1
    assert unjustified(f'LABELS = ("{unique}",)\n', docs, spec) == [(1, unique)]
    pattern = f"(?:{unique})\\s*"
    assert unjustified(f'LABELS = (r"{pattern}",)\n', docs, spec) == [(1, f"{pattern} ({unique})")]
    marked = f'# one example: r225 — 湖北 names the unit so\nLABELS = ("{unique}",)\n'
    assert unjustified(marked, docs, spec) == []
    assert unjustified(f'LABELS = ("{unique}",)  # one example: r225\n', docs, spec) == [(1, unique)]
    message = f'ctx.report("X", "未找到{unique}", None)\nraise ReadError("文件中没有{unique}")\n'
    assert unjustified(message, docs, spec) == []
    assert unjustified('A = "实施单位"\n', docs, spec) == []
