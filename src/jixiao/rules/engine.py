"""Run the selected checks over documents.  A crashing check becomes a ``CHECK-CRASH`` finding, never a traceback."""

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

__all__ = ["CRASH_CODE", "check_document", "check_documents", "sort_findings"]

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
    _run(doc, [c for c in checks if isinstance(doc, c.applies_to)], CheckContext(doc, index, profile or Profile()), out)
    return out


def _run(doc: AnyDocument, checks: Sequence[Check[Any]], ctx: CheckContext, out: list[Finding]) -> None:
    """Append the findings of ``checks`` (each applying to ``doc``) to ``out``."""
    for check in checks:
        try:
            out.extend(check.run(doc, ctx))
        except Exception as exc:  # a broken check must not end the run
            out.append(_crash(check, ctx, exc))


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
    index = DocumentIndex(docs)
    prof = profile or Profile()
    memo = ScoreMemo()  # the run's parsed values and row scores, dropped when it ends
    found: list[Finding] = []
    by_type: dict[type, list[Check[Any]]] = {}  # the checks that apply to each document type, chosen once
    # Checking allocates many small, acyclic objects (parsed values, row scores): the cyclic collector would
    # walk the growing memo again and again for nothing, so it pauses here and resumes as it was.
    # The memo is dropped and the findings sorted before the collector resumes, so that its first pass does not
    # walk every memoised value only to find them gone a moment later.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for doc in docs:
            applicable = by_type.get(type(doc))
            if applicable is None:
                applicable = by_type[type(doc)] = [c for c in checks if isinstance(doc, c.applies_to)]
            _run(doc, applicable, CheckContext(doc, index, prof, memo), found)
        del memo
        return sort_findings(found)
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
