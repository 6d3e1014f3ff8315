"""The check base class and the context a check runs in.

A check is a small class in its own module, named by its stable code (``C-SE-05``).  Its docstring is its
documentation page, with fixed sections (``What it checks``, ``Why it matters``, ``Failing example``,
``Passing example``, ``Options``); ``jixiao rules`` and the docs are generated from it.  A check yields
:class:`~jixiao.model.Finding` objects through :meth:`Check.report`, which renders the message from the check's
per-variant template, applies the profile's severity override and fills in the slug.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

from jixiao.model import (
    AnyDocument,
    EvaluationResult,
    Finding,
    Indicator,
    SelfEvaluation,
    Severity,
    SourceRef,
    TargetDeclaration,
)
from jixiao.rules.profile import Profile
from jixiao.rules.scoring import DocumentScore, ScoreMemo, fmt, score_document

__all__ = ["Check", "CheckContext", "DeclarationCheck", "ResultCheck", "SelfEvalCheck", "doc_sections"]

D = TypeVar("D", bound=SelfEvaluation | TargetDeclaration | EvaluationResult)

SECTIONS = ("What it checks", "Why it matters", "Failing example", "Passing example", "Options")
_PROJECT_SUFFIX = re.compile(r"(?:项目|经费)+$")


def fold_name(name: str | None) -> str:
    """A name folded for matching: no whitespace, half-width brackets."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def project_key(name: str | None) -> str:
    """A project name folded for matching across documents (``领导干部培训经费项目`` ~ ``领导干部培训经费``)."""
    return _PROJECT_SUFFIX.sub("", fold_name(name))


class DocumentIndex:
    """The documents of one run by (kind, folded project name, year), built once for cross-document checks."""

    def __init__(
        self, documents: Iterable[AnyDocument], key: Callable[[str | None], str] = project_key
    ) -> None:
        """``key`` folds a project name; a constant one makes every document one project's (the documents of
        one linked project, as the pipeline checks them)."""
        self._by_key: dict[tuple[type, str, int | None], list[AnyDocument]] = {}
        self._keys: dict[
            str | None, str
        ] = {}  # project names folded, as every check of a document asks again
        self._key = key
        for d in documents:
            key_ = self._keys.get(d.project)
            if key_ is None:
                key_ = self._keys[d.project] = key(d.project)
            self._by_key.setdefault((type(d), key_, d.year), []).append(d)

    def find(self, kind: type[D], project: str | None, year: int | None) -> list[D]:
        """The documents of type ``kind`` about ``project`` in ``year``."""
        key = self._keys.get(project)
        if key is None:
            key = self._key(project)
        return [d for d in self._by_key.get((kind, key, year), ()) if isinstance(d, kind)]


@dataclass
class CheckContext:
    """What a check may look at: its document, the other documents of the run, and the profile.

    Attributes:
        document: the document being checked.
        index: every document of the run, indexed for cross-document checks such as C-SE-19 or C-ER-04.
        profile: the settings in force.
        memo: parsed values and row scores shared by the documents of one run.
        facts: the facts the parser read with confidence (``scores``, ``complete``; see rules/trust.py).
    """

    document: AnyDocument
    index: DocumentIndex | None = None
    profile: Profile = field(default_factory=Profile)
    memo: ScoreMemo | None = None
    facts: frozenset[str] = frozenset(
        {"scores", "complete"}
    )  # what the document establishes (rules/trust.py)
    origin: AnyDocument | None = None  # the parsed document when ``document`` is its trusted view

    @cached_property
    def scores(self) -> DocumentScore | None:
        """The rules' scores of a self-evaluation, computed once and shared by every check."""
        if isinstance(self.document, SelfEvaluation):
            return score_document(self.document, self.profile, self.memo)
        return None

    def related(self, kind: type[D], year: int | None) -> list[D]:
        """Other documents of type ``kind`` about the same project and the given year."""
        if self.index is None:
            return []
        me = self.origin if self.origin is not None else self.document
        return [
            d
            for d in self.index.find(kind, self.document.project, year)
            if d is not me and d is not self.document
        ]

    def subject(self, indicator: Indicator | str | None = None) -> str:
        """The stable subject of a finding: ``项目 (年度)`` or ``项目 (年度) / 指标``."""
        doc = self.document
        head = f"{doc.project or '?'} ({doc.year or '?'})"
        if indicator is None:
            return head
        name = indicator if isinstance(indicator, str) else indicator.name
        return f"{head} / {name}"


def cell(obj: Any, name: str) -> SourceRef | None:
    """The source of one field's cell of a row, falling back to the row's own source."""
    cells: Mapping[str, SourceRef] = getattr(obj, "cells", {}) or {}
    got = cells.get(name)
    return got if got is not None else getattr(obj, "source", None)


class Check(ABC, Generic[D]):
    """One review rule.  Subclasses set the class attributes and implement :meth:`run`.

    Attributes:
        code: the stable code, never reused (``C-SE-05``).
        name: a slug (``self_eval.score_vs_rule``).
        severity: the default severity; variants may report another.
        groups: names it can be selected by (``all``, ``self_eval``, ``arithmetic`` …).
        applies_to: the document types it runs on.
        aliases: former codes of a renamed check.
        messages: the message templates by variant, in Chinese, formatted with the report's keywords.
        needs: the facts the check relies on (``scores``, ``complete``); a document that does not establish them
            (the parser said the table is cut, or that 分值 means something else) is not checked by it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    groups: ClassVar[tuple[str, ...]] = ("all",)
    applies_to: ClassVar[tuple[type, ...]]
    aliases: ClassVar[tuple[str, ...]] = ()
    messages: ClassVar[Mapping[str, str]]
    needs: ClassVar[frozenset[str]] = (
        frozenset()
    )  # facts (rules/trust.py) without which the check does not run

    @abstractmethod
    def run(self, doc: D, ctx: CheckContext) -> Iterable[Finding]:
        """Yield the findings of this check on one document."""

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: the one-line summary ``jixiao rules`` prints."""
        return (cls.__doc__ or "").strip().splitlines()[0].strip() if cls.__doc__ else ""

    @classmethod
    def documentation(cls) -> dict[str, str]:
        """The docstring's sections (``What it checks`` …) by title."""
        return doc_sections(cls.__doc__ or "")

    def report(
        self,
        ctx: CheckContext,
        variant: str = "default",
        *,
        source: SourceRef | None,
        subject: str | None = None,
        severity: Severity | None = None,
        expected: float | str | None = None,
        actual: float | str | None = None,
        tolerance: float | None = None,
        **values: Any,
    ) -> Finding:
        """A finding of this check, its message rendered from the ``variant`` template."""
        override = ctx.profile.severity_for(self.code)
        shown = {k: fmt(v) if isinstance(v, float) else v for k, v in values.items()}
        message = self.messages[variant].format(
            expected=fmt(expected) if isinstance(expected, float) else expected,
            actual=fmt(actual) if isinstance(actual, float) else actual,
            tolerance=tolerance,
            **shown,
        )
        return Finding(
            code=self.code,
            name=self.name,
            severity=override or severity or self.severity,
            message=message,
            source=source,
            subject=subject,
            expected=expected,
            actual=actual,
            tolerance=tolerance,
        )


class SelfEvalCheck(Check[SelfEvaluation]):
    """A check of 绩效自评表."""

    applies_to: ClassVar[tuple[type, ...]] = (SelfEvaluation,)
    groups: ClassVar[tuple[str, ...]] = ("all", "self_eval")


class DeclarationCheck(Check[TargetDeclaration]):
    """A check of 绩效目标申报表."""

    applies_to: ClassVar[tuple[type, ...]] = (TargetDeclaration,)
    groups: ClassVar[tuple[str, ...]] = ("all", "declaration")


class ResultCheck(Check[EvaluationResult]):
    """A check of 绩效评价结果信息表."""

    applies_to: ClassVar[tuple[type, ...]] = (EvaluationResult,)
    groups: ClassVar[tuple[str, ...]] = ("all", "result")


_SECTION_RE = re.compile(rf"^({'|'.join(SECTIONS)}):?\s*$", re.MULTILINE)


def doc_sections(doc: str) -> dict[str, str]:
    """Split a check docstring into its titled sections (text dedented, trimmed)."""
    import inspect

    text = inspect.cleandoc(doc)
    out: dict[str, str] = {}
    matches = list(_SECTION_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out[m.group(1)] = inspect.cleandoc(text[m.end() : end])
    return out
