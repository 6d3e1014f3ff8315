"""The one module that knows the stage order: read → forms → score → check, with profile, selection and waivers.

Every front end (``jixiao parse``, ``jixiao check``, ``jixiao ingest``, the web) calls these functions; they
return values and never print, in the manner of beancount's ``loader``::

    files = load(["a.pdf", "b.docx"])              # FileResult per input; an unreadable one says why
    run = check(files, Options.build(profile="national", waivers=Path("jixiao-waivers.toml")))
    run.findings, run.waived, run.unreadable        # what ``jixiao check`` renders

Checks come in two passes.  *Local* checks look at one document; *cross-document* checks (the ``cross_document``
group: declared vs reported, C-SE-19 …) look at the other documents of the same project, where a project is what
the linker makes of the run's documents (:mod:`jixiao.store.cluster`, the same clustering the store links
with).  The checks, profiles, waivers and the clustering are imported when a check first runs, so that reading
alone (``jixiao parse``) starts without them.  ``jixiao ingest`` runs the local pass per file in its workers and the cross-document pass per linked
project after linking, so the store holds exactly the findings that :func:`check` gives for the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.forms import parse_grid
from jixiao.model import AnyDocument, Finding, Severity
from jixiao.readers import ReadError, read_bytes, read_path

if TYPE_CHECKING:
    from jixiao.rules.base import Check
    from jixiao.rules.profile import Profile
    from jixiao.rules.registry import Registry
    from jixiao.rules.waivers import Waived, Waiver

__all__ = [
    "CROSS_GROUP",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "FAIL_LEVELS",
    "STAGE_PREFIXES",
    "CheckRun",
    "Checked",
    "FileResult",
    "Options",
    "OptionsError",
    "Selection",
    "check",
    "check_across",
    "check_local",
    "check_paths",
    "combine",
    "fails",
    "findings_of",
    "load",
    "project_label",
    "read",
    "read_data",
]

# Exit codes every command shares (documented in ``--help``).
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings at or above --fail-on, or a readable file holding no document
EXIT_USAGE = 2  # a bad option, profile or waiver file
EXIT_UNREADABLE = 3  # some input could not be read at all (the others were still processed)

# Codes of the stages around checking (reading, parsing, waivers): selectable like checks, not in the registry.
STAGE_PREFIXES = ("READ", "PARSE", "CHECK-CRASH", "WAIVER")
CROSS_GROUP = "cross_document"
NO_DOCUMENT = "未识别到绩效文档"


# --- reading and parsing --------------------------------------------------------------------------------------


@dataclass(slots=True)
class FileResult:
    """One input after reading and parsing.

    Attributes:
        path: the input as named.
        documents: the documents found in it, in file order, each with its own findings.
        findings: findings about the file as a whole.
        unreadable: why the file could not be read at all (one line naming the file and the cause), else None.
    """

    path: str
    documents: list[AnyDocument] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: str | None = None

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for d in self.documents for f in d.findings)]

    @property
    def refusal(self) -> str | None:
        """Why the file is not a performance document (unreadable, or nothing recognised), else None."""
        if self.unreadable is not None:
            return self.unreadable
        if self.documents:
            return None
        why = next((f.message for f in self.findings if f.severity is Severity.ERROR), NO_DOCUMENT)
        return f"{self.path}: {why}"


def _parsed(path: str, read: Callable[[], Any]) -> FileResult:
    try:
        result = parse_grid(read())
    except ReadError as exc:
        return FileResult(path, unreadable=str(exc))
    except Exception as exc:  # a reader or parser bug refuses this input, it does not end the run
        return FileResult(path, unreadable=f"{path}: 读取失败（{type(exc).__name__}: {exc}）")
    return FileResult(path, list(result.documents), list(result.findings))


def read(path: str | Path) -> FileResult:
    """Read and parse one file; a file that cannot be read comes back with its reason, never raises."""
    return _parsed(str(path), lambda: read_path(path))


def read_data(data: bytes, name: str) -> FileResult:
    """Read and parse one file's bytes (``name`` chooses the reader and names the file in messages)."""
    return _parsed(name, lambda: read_bytes(data, name))


def load(paths: Iterable[str | Path]) -> list[FileResult]:
    """Every input read and parsed, in the order given."""
    return [read(p) for p in paths]


# --- options --------------------------------------------------------------------------------------------------


class OptionsError(ValueError):
    """A bad profile, selector or waiver file; ``hint`` names the option (``--profile`` …)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _stage_match(code: str, tokens: Sequence[str]) -> bool:
    return any(code == t or code.startswith(t + "-") for t in tokens)


def _tokens(raw: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Selectors split into stage codes (``PARSE-MISSING``, ``PARSE``) and check selectors."""
    stage: list[str] = []
    checks: list[str] = []
    for item in raw or ():
        for token in (t.strip() for t in item.split(",")):
            if token:
                (stage if token.startswith(STAGE_PREFIXES) else checks).append(token)
    return stage, checks


@dataclass(frozen=True, slots=True)
class Selection:
    """What ``--select`` / ``--ignore`` keep: stage codes apart, checks through the registry."""

    stage_select: tuple[str, ...] = ()
    stage_ignore: tuple[str, ...] = ()
    check_select: tuple[str, ...] = ()
    check_ignore: tuple[str, ...] = ()
    selected: bool = False  # any --select given

    @classmethod
    def of(cls, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> Selection:
        s_sel, c_sel = _tokens(select)
        s_ign, c_ign = _tokens(ignore)
        return cls(tuple(s_sel), tuple(s_ign), tuple(c_sel), tuple(c_ign), bool(select))

    def keeps_stage(self, code: str) -> bool:
        """Whether a stage finding (``READ-*``, ``PARSE-*`` …) is reported."""
        return (not self.selected or _stage_match(code, self.stage_select)) and not _stage_match(
            code, self.stage_ignore
        )

    def keeps_about_waivers(self, code: str) -> bool:
        """Whether a finding about the waiver file is reported (``--ignore WAIVER-UNUSED``)."""
        return not _stage_match(code, self.stage_ignore)

    def checks(self, registry: Registry) -> tuple[Check[Any], ...]:
        """The checks to run; a ``--select`` of stage codes only runs none.  Raises :class:`RegistryError`."""
        chosen = registry.select(self.check_select, self.check_ignore)
        return chosen if self.check_select or not self.selected else ()


def _default_profile() -> Profile:
    from jixiao.rules.profile import Profile

    return Profile()


def _default_registry() -> Registry:
    from jixiao.rules.registry import default_registry

    return default_registry()


@dataclass(frozen=True)
class Options:
    """Everything a check run is configured by.

    Attributes:
        profile: the scoring settings.
        selection: which stage findings and checks are kept.
        waivers: the accepted findings in force.
        about_waivers: findings about the waiver file itself (``WAIVER-INVALID``).
        registry: the checks available (the installed ones by default).
    """

    profile: Profile = field(default_factory=_default_profile)
    selection: Selection = field(default_factory=Selection)
    waivers: Sequence[Waiver] = ()
    about_waivers: Sequence[Finding] = ()
    registry: Registry = field(default_factory=_default_registry)

    @classmethod
    def build(
        cls,
        *,
        profile: str | None = None,
        overrides: Sequence[str] = (),
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        waivers: Path | None = None,
        no_waivers: bool = False,
        registry: Registry | None = None,
    ) -> Options:
        """Options from the command line's words: a profile name or TOML file, ``--set`` overrides, selectors,
        and the waiver file (``--waivers FILE``, else ``jixiao-waivers.toml`` here if present, none with
        ``no_waivers``).  Raises :class:`OptionsError` naming the option at fault."""
        from jixiao.rules.profile import ProfileError, load_profile
        from jixiao.rules.registry import RegistryError, default_registry
        from jixiao.rules.waivers import WAIVER_FILE, WaiverError, load_waivers

        try:
            prof = load_profile(profile, overrides)
        except ProfileError as exc:
            raise OptionsError(str(exc), "--profile / --set") from exc
        reg = registry or default_registry()
        selection = Selection.of(select, ignore)
        try:
            selection.checks(reg)
        except RegistryError as exc:
            raise OptionsError(str(exc), "--select / --ignore") from exc
        path = None if no_waivers else waivers or (Path(WAIVER_FILE) if Path(WAIVER_FILE).is_file() else None)
        accepted: list[Waiver] = []
        about: list[Finding] = []
        if path is not None:
            try:
                accepted, about = load_waivers(path, reg)
            except WaiverError as exc:
                raise OptionsError(str(exc), "--waivers") from exc
        return cls(prof, selection, tuple(accepted), tuple(about), reg)

    @cached_property
    def checks(self) -> tuple[Check[Any], ...]:
        return self.selection.checks(self.registry)

    @cached_property
    def local_checks(self) -> tuple[Check[Any], ...]:
        """The selected checks that look at one document alone."""
        return tuple(c for c in self.checks if CROSS_GROUP not in c.groups)

    @cached_property
    def cross_checks(self) -> tuple[Check[Any], ...]:
        """The selected checks that look at the other documents of the project."""
        return tuple(c for c in self.checks if CROSS_GROUP in c.groups)

    @cached_property
    def cross_codes(self) -> frozenset[str]:
        """The codes of every cross-document check (selected or not): what the store replaces after linking."""
        return frozenset(c.code for c in self.registry.checks if CROSS_GROUP in c.groups)


# --- checking -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Checked:
    """The findings of one check pass, waivers applied: ``kept`` per document (by position in ``documents``)
    and about the file, the findings a waiver covered, and the project each finding is about."""

    documents: list[AnyDocument]
    kept: list[list[Finding]]
    file_kept: list[Finding] = field(default_factory=list)
    waived: list[Waived] = field(default_factory=list)
    labels: dict[int, str] = field(
        default_factory=dict
    )  # ``项目 (年度)`` by id(finding), waived ones included

    def stored(self) -> list[AnyDocument]:
        """The documents with the kept findings as their own (what the store keeps)."""
        return [d.model_copy(update={"findings": k}) for d, k in zip(self.documents, self.kept, strict=True)]


def _split_waived(
    found: Sequence[Sequence[Finding]], options: Options
) -> tuple[list[list[Finding]], list[Waived]]:
    from jixiao.rules.waivers import apply_waivers

    kept: list[list[Finding]] = []
    waived: list[Waived] = []
    for group in found:
        outcome = apply_waivers(group, options.waivers, codes=(), documents=())
        kept.append(outcome.kept)
        waived.extend(outcome.waived)
    return kept, waived


def check_local(file: FileResult, options: Options) -> Checked:
    """One file's stage findings (as selected) and the findings of the local checks on each of its documents,
    waivers applied."""
    from jixiao.rules.engine import run_checks

    sel = options.selection
    docs = file.documents
    per_doc: list[list[Finding]] = [[f for f in d.findings if sel.keeps_stage(f.code)] for d in docs]
    if options.local_checks and docs:
        found = run_checks(docs, options.local_checks, profile=options.profile)
        for i, d in enumerate(docs):
            per_doc[i].extend(found.get(id(d), ()))
    file_level = [f for f in file.findings if sel.keeps_stage(f.code)]
    labels = _labels(docs, per_doc)
    if len(docs) == 1:
        labels.update((id(x), project_label(docs[0])) for x in file_level)
    (file_kept, *kept), waived = _split_waived([file_level, *per_doc], options)
    return Checked(list(docs), kept, file_kept, waived, labels)


def _labels(docs: Sequence[AnyDocument], found: Sequence[Sequence[Finding]]) -> dict[int, str]:
    return {id(x): project_label(d) for d, group in zip(docs, found, strict=True) for x in group}


def check_across(documents: Sequence[AnyDocument], options: Options) -> Checked:
    """The cross-document findings of each of ``documents``, which are one project's, waivers applied."""
    from jixiao.rules.engine import run_checks

    docs = list(documents)
    if not options.cross_checks or not docs:
        return Checked(docs, [[] for _ in docs])
    found = run_checks(docs, options.cross_checks, profile=options.profile, one_project=True)
    per_doc = [list(found.get(id(d), [])) for d in docs]
    kept, waived = _split_waived(per_doc, options)
    return Checked(docs, kept, [], waived, _labels(docs, per_doc))


def project_label(doc: AnyDocument) -> str:
    """``项目 (年度)``, as check findings name their subject."""
    return f"{doc.project or '?'} ({doc.year or '?'})"


@dataclass(slots=True)
class CheckRun:
    """What ``jixiao check`` reports for a set of inputs.

    Attributes:
        files: every input, read and parsed (an unreadable one with its reason).
        findings: the findings shown, sorted: kept stage and check findings, and those about the waivers.
        waived: the findings a waiver covered.
        projects: ``项目 (年度)`` of each finding's document, by ``id(finding)``; a file-level finding gets its
            file's only document's.
    """

    files: list[FileResult]
    findings: list[Finding]
    waived: list[Waived]
    projects: dict[int, str] = field(default_factory=dict)

    @property
    def documents(self) -> list[AnyDocument]:
        return [d for f in self.files for d in f.documents]

    @property
    def unreadable(self) -> list[str]:
        """The reason of each input that could not be read."""
        return [f.unreadable for f in self.files if f.unreadable is not None]

    @property
    def empty(self) -> list[str]:
        """The reason of each readable input that holds no document."""
        return [r for f in self.files if f.unreadable is None and (r := f.refusal) is not None]

    def project(self, finding: Finding) -> str:
        """``项目 (年度)`` of the document a finding is about (``—`` when it is about no one document)."""
        return self.projects.get(id(finding), "—")

    def exit_code(self, fail_on: str) -> int:
        """:data:`EXIT_UNREADABLE` when an input could not be read, else :data:`EXIT_FINDINGS` when a finding
        is at or above ``fail_on`` (never for ``never``) or an input held no document, else 0."""
        if self.unreadable:
            return EXIT_UNREADABLE
        if self.empty or fails(self.findings, fail_on):
            return EXIT_FINDINGS
        return EXIT_OK


FAIL_LEVELS = ("error", "warning", "info", "never")


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """True when any finding is at or above the ``fail_on`` severity (never for ``never``)."""
    if fail_on == "never":
        return False
    floor = Severity(fail_on).rank
    return any(f.severity.rank >= floor for f in findings)


def combine(
    documents: Sequence[AnyDocument],
    local: Sequence[Checked],
    across: Sequence[Checked],
    options: Options,
) -> tuple[list[Finding], list[Waived], list[Finding]]:
    """The findings of a run's passes put together: kept ones, waived ones, and those about the waivers
    (expired, unused within the run, invalid), each list in a stable order."""
    from jixiao.rules.engine import sort_findings
    from jixiao.rules.waivers import waiver_findings

    kept = [f for c in (*local, *across) for f in (*c.file_kept, *(x for k in c.kept for x in k))]
    waived = [w for c in (*local, *across) for w in c.waived]
    about = waiver_findings(
        options.waivers,
        {w.waiver for w in waived},
        codes={c.code for c in options.checks},
        documents=documents,
    )
    shown = [f for f in (*options.about_waivers, *about) if options.selection.keeps_about_waivers(f.code)]
    return sort_findings(kept), waived, sort_findings(shown)


def check(files: Sequence[FileResult], options: Options | None = None) -> CheckRun:
    """Check the documents of ``files``: the local pass per file, the cross-document pass per project (the
    run's documents clustered as the linker clusters them), waivers applied."""
    from jixiao.rules.engine import sort_findings
    from jixiao.store.cluster import group_documents

    opts = options or Options()
    local = [check_local(f, opts) for f in files]
    documents = [d for f in files for d in f.documents]
    across = [check_across(group, opts) for group in group_documents(documents)] if opts.cross_checks else []
    kept, waived, about = combine(documents, local, across, opts)
    labels = {k: v for c in (*local, *across) for k, v in c.labels.items()}
    return CheckRun(list(files), sort_findings([*kept, *about]), waived, labels)


def check_paths(paths: Iterable[str | Path], options: Options | None = None) -> CheckRun:
    """:func:`load` then :func:`check`."""
    return check(load(paths), options)


def findings_of(documents: Mapping[int, AnyDocument]) -> list[Finding]:
    """Every finding the documents carry (e.g. as loaded from the store), sorted as a check run's are."""
    from jixiao.rules.engine import sort_findings

    return sort_findings(f for d in documents.values() for f in d.findings)
