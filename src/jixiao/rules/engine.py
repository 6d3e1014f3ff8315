"""Run the selected checks over documents.  A crashing check becomes a ``CHECK-CRASH`` finding, never a traceback.

The checks see a document as far as the parser read it with confidence (rules/trust.py): rows of the wrong
types are left out, and a check that needs a fact the document does not establish does not run.  One fact is
one finding: where checks of one group report the same row (C-SE-05, C-SE-08, C-SE-22 on one indicator), the
most severe is kept and names the others.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Iterable, Sequence
from typing import Any

from jixiao.model import AnyDocument, Finding, Severity, SourceRef
from jixiao.rules.base import Check, CheckContext, DocumentIndex
from jixiao.rules.profile import Profile
from jixiao.rules.registry import Registry, default_registry
from jixiao.rules.scoring import ScoreMemo
from jixiao.rules.scoring import clear_caches as clear_value_caches
from jixiao.rules.trust import assess
from jixiao.rules.trust import clear_cache as clear_trust_cache

__all__ = ["CRASH_CODE", "check_document", "check_documents", "clear_caches", "run_checks", "sort_findings"]

CRASH_CODE = "CHECK-CRASH"


def _crash(check: Check[Any], ctx: CheckContext, exc: BaseException) -> Finding:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"（{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}）" if frame else ""
    return Finding(
        code=CRASH_CODE,
        name="engine.check_crashed",
        severity=Severity.ERROR,
        message=f"检查 {check.code} 运行出错：{type(exc).__name__}: {exc}{where}；其余检查照常进行",
        source=ctx.document.source,
        subject=ctx.subject(),
        actual=check.code,
    )


def check_document(
    doc: AnyDocument,
    checks: Sequence[Check[Any]],
    *,
    documents: Sequence[AnyDocument] = (),
    index: DocumentIndex | None = None,
    profile: Profile | None = None,
) -> list[Finding]:
    """The findings of ``checks`` on one document.

    The other documents of the run, context for cross-document checks, come as ``documents`` or, when checking
    many documents, as a prebuilt ``index`` (see :func:`check_documents`).
    """
    if index is None:
        index = DocumentIndex(documents or (doc,))
    out: list[Finding] = []
    _run(doc, [c for c in checks if isinstance(doc, c.applies_to)], index, profile or Profile(), None, out)
    return out


# Checks that report one fact about one row in their own words: the first listed is kept when severities tie.
SAME_FACT = ("C-SE-05", "C-SE-08", "C-SE-22")
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _run(
    doc: AnyDocument,
    checks: Sequence[Check[Any]],
    index: DocumentIndex,
    profile: Profile,
    memo: ScoreMemo | None,
    out: list[Finding],
) -> None:
    """Append the findings of ``checks`` (each applying to ``doc``) on what the parser read of ``doc`` to ``out``."""
    have, view = assess(doc, memo)
    ctx = CheckContext(view, index, profile, memo, have, doc)
    found: list[Finding] = []
    for check in checks:
        if not check.needs <= have:
            continue
        try:
            found.extend(check.run(view, ctx))
        except Exception as exc:  # a broken check must not end the run
            found.append(_crash(check, ctx, exc))
    out.extend(one_fact_one_finding(found))


def one_fact_one_finding(findings: list[Finding]) -> list[Finding]:
    """Findings of the ``SAME_FACT`` checks about one row merged into the most severe, which names the others."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code in SAME_FACT and f.subject and "/" in f.subject:
            groups.setdefault(f.subject, []).append(f)
    merged = {id(f) for g in groups.values() if len(g) > 1 for f in g}
    if not merged:
        return findings
    out: list[Finding] = []
    for f in findings:
        if id(f) not in merged:
            out.append(f)
            continue
        group = groups[f.subject or ""]
        keep = min(group, key=lambda g: (_RANK.get(g.severity, 3), SAME_FACT.index(g.code)))
        if f is keep:
            others = "；".join(f"{g.code}：{g.message}" for g in group if g is not keep)
            out.append(keep.model_copy(update={"message": f"{keep.message}（同一指标另见 {others}）"}))
    return out


def clear_caches() -> None:
    """Forget what the process remembers across runs (value parses, trusted rows of memo-less calls), for
    benchmarks that must start cold; what one run remembers lives in its :class:`ScoreMemo` and goes with it."""
    clear_value_caches()
    clear_trust_cache()


def _one_project(_name: str | None) -> str:
    return ""


def run_checks(
    documents: Sequence[AnyDocument],
    checks: Sequence[Check[Any]],
    *,
    profile: Profile | None = None,
    one_project: bool = False,
) -> dict[int, list[Finding]]:
    """The findings of ``checks`` on each of ``documents``, by ``id(document)``, in row order.

    The documents are each other's context for cross-document checks: matched by folded project name, or, with
    ``one_project``, all of them one project's (a linked project, whatever names its forms print).
    """
    index = DocumentIndex(documents, _one_project) if one_project else DocumentIndex(documents)
    prof = profile or Profile()
    memo = ScoreMemo()  # the run's parsed values and row scores, dropped when it ends
    found: dict[int, list[Finding]] = {}
    by_type: dict[type, list[Check[Any]]] = {}  # the checks that apply to each document type, chosen once
    # Checking allocates many small, acyclic objects (parsed values, row scores): the cyclic collector would
    # walk the growing memo again and again for nothing, so it pauses here and resumes as it was.
    # The memo is dropped before the collector resumes, so that its first pass does not walk every memoised
    # value only to find them gone a moment later.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for doc in documents:
            applicable = by_type.get(type(doc))
            if applicable is None:
                applicable = by_type[type(doc)] = [c for c in checks if isinstance(doc, c.applies_to)]
            out: list[Finding] = []
            _run(doc, applicable, index, prof, memo, out)
            found[id(doc)] = out
        del memo
        return found
    finally:
        if collecting:
            gc.enable()


def check_documents(
    documents: Iterable[AnyDocument],
    *,
    profile: Profile | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    registry: Registry | None = None,
) -> list[Finding]:
    """Every finding of the selected checks on every document, in document and row order."""
    docs = tuple(documents)
    checks = (registry or default_registry()).select(select, ignore)
    found = run_checks(docs, checks, profile=profile)
    collecting = gc.isenabled()
    gc.disable()  # sorting many findings allocates; see run_checks
    try:
        return sort_findings(f for d in docs for f in found[id(d)])
    finally:
        if collecting:
            gc.enable()


def _pos(src: SourceRef | None) -> tuple[str, int, int, int]:
    if src is None:
        return ("", 0, 0, 0)
    return (src.path or "", src.table or 0, src.line or src.row or 0, src.col or 0)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings ordered by file, position and code (a stable order for reports and tests)."""
    return sorted(findings, key=lambda f: (_pos(f.source), f.code))
