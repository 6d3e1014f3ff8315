"""Waiver files: findings a reviewer has accepted, recorded once and applied on every run, like ``noqa``.

A waiver file is TOML with one ``[[waiver]]`` table per accepted finding::

    [[waiver]]
    check = "C-SE-05"                   # a code, a former code (alias) or a check name
    project = "干部教育工作经费"          # folded like cross-document matching: 「…项目」 ~ 「…」
    year = 2023                         # optional
    indicator = "领导干部外向型培训人次"   # optional; without it every finding of the project and check
    path = "samples/001_*.txt"          # optional glob on the finding's file (matched against the path's tail)
    reason = "按实际培训人次计分，经主管部门确认"
    by = "张三"                          # optional
    until = 2025-12-31                  # optional; after this date the waiver no longer applies

A waiver matches a finding by the finding's ``subject`` (``项目 (年度) / 指标``), its code and its file.  The
findings it matches are not dropped: :func:`apply_waivers` returns them apart, with their waiver, for reports.  A
waiver that matched nothing in the part of the work a run covered is reported as ``WAIVER-UNUSED``; an expired one
as ``WAIVER-EXPIRED``; an entry that cannot be used as ``WAIVER-INVALID``.  A file that is not valid TOML raises
:class:`WaiverError`, a one-line message naming the file and the position.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, NamedTuple

from jixiao.model import AnyDocument, Finding, Severity, SourceRef
from jixiao.rules.base import fold_name, project_key
from jixiao.rules.registry import Registry, default_registry

__all__ = [
    "EXPIRED_CODE",
    "INVALID_CODE",
    "UNUSED_CODE",
    "WAIVER_FILE",
    "Waived",
    "Waiver",
    "WaiverError",
    "WaiverOutcome",
    "apply_waivers",
    "draft_waivers",
    "load_waivers",
    "waiver_findings",
]

WAIVER_FILE = "jixiao-waivers.toml"
UNUSED_CODE = "WAIVER-UNUSED"
EXPIRED_CODE = "WAIVER-EXPIRED"
INVALID_CODE = "WAIVER-INVALID"

_FIELDS = ("check", "project", "year", "indicator", "path", "reason", "by", "until")
_HEADER = re.compile(r"[ \t]*\[\[[ \t]*waiver[ \t]*\]\]")
# The subject checks give their findings (CheckContext.subject): "项目 (年度)" or "项目 (年度) / 指标".
_SUBJECT = re.compile(r"(?P<project>.*?) \((?P<year>\d+|\?)\)(?: / (?P<indicator>.+))?", re.S)


class WaiverError(ValueError):
    """A waiver file that cannot be read or is not a TOML file of ``[[waiver]]`` tables."""


def _path_matches(source: SourceRef | None, glob: str) -> bool:
    """True when the file of ``source`` matches ``glob``, whole or as its tail (``samples/*.txt``)."""
    if source is None or not source.path:
        return False
    posix = source.path.replace("\\", "/")
    return fnmatchcase(posix, glob) or fnmatchcase(posix, "*/" + glob)


class _Subject(NamedTuple):
    project: str  # folded by project_key
    year: int | None
    indicator: str | None  # folded by fold_name

    @classmethod
    def parse(cls, subject: str | None) -> _Subject | None:
        m = _SUBJECT.fullmatch(subject or "")
        if m is None:
            return None
        year, indicator = m["year"], m["indicator"]
        return cls(
            project_key(m["project"]),
            int(year) if year.isdigit() else None,
            indicator and fold_name(indicator),
        )


@dataclass(frozen=True, slots=True)
class Waiver:
    """One accepted finding (or set of findings) of a waiver file.

    Attributes:
        code: the current code of the waived check (an alias or name in the file is resolved to it).
        project: the project, as written; matched folded (``领导干部培训经费项目`` ~ ``领导干部培训经费``).
        reason: why the finding is accepted.
        year: only findings of this year, if set.
        indicator: only findings on this indicator, if set (whitespace and bracket width ignored).
        path: only findings in files matching this glob, if set.
        by: who accepted it.
        until: the last day the waiver applies.
        check: the check as written in the file (a code, an alias or a name); the code when not given.
        source: the waiver file and the line of its ``[[waiver]]`` header.
    """

    code: str
    project: str
    reason: str
    year: int | None = None
    indicator: str | None = None
    path: str | None = None
    by: str | None = None
    until: date | None = None
    check: str = ""
    source: SourceRef | None = None
    _key: _Subject = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.check:
            object.__setattr__(self, "check", self.code)
        indicator = None if self.indicator is None else fold_name(self.indicator)
        object.__setattr__(self, "_key", _Subject(project_key(self.project), self.year, indicator))

    def expired(self, today: date) -> bool:
        """True once ``today`` is past :attr:`until`."""
        return self.until is not None and today > self.until

    def matches(self, finding: Finding) -> bool:
        """True when this waiver covers ``finding`` (its code, subject and file), expired or not."""
        return self._matches(finding, _Subject.parse(finding.subject))

    def _matches(self, finding: Finding, got: _Subject | None) -> bool:
        key = self._key
        return (
            got is not None
            and finding.code == self.code
            and got.project == key.project
            and (key.year is None or got.year == key.year)
            and (key.indicator is None or got.indicator == key.indicator)
            and (self.path is None or _path_matches(finding.source, self.path))
        )

    def within(self, document: AnyDocument) -> bool:
        """True when checking ``document`` is enough to tell whether this waiver is still needed.

        With a ``path``, the document is in a file the glob names (so a misspelt project is still reported);
        without, it is about the waiver's project (and year).
        """
        if self.path is not None:
            return _path_matches(document.source, self.path)
        key = self._key
        return project_key(document.project) == key.project and (
            key.year is None or document.year == key.year
        )

    def label(self) -> str:
        """Where the waiver is written and what it names: ``jixiao-waivers.toml:12（C-SE-05，项目 2023 / 指标）``."""
        what = " ".join(str(p) for p in (self.project, self.year) if p is not None)
        if self.indicator:
            what += f" / {self.indicator}"
        where = self.source.label() if self.source else "<豁免>"
        return f"{where}（{self.check}，{what}）"

    def to_dict(self) -> dict[str, Any]:
        """The waiver as JSON: what it names, why, by whom, until when and where it is written."""
        src = self.source or SourceRef()
        out: dict[str, Any] = {
            "check": self.check, "code": self.code, "project": self.project, "year": self.year,
            "indicator": self.indicator, "path": self.path, "reason": self.reason, "by": self.by,
            "until": None if self.until is None else self.until.isoformat(),
            "file": src.path, "line": src.line,
        }  # fmt: skip
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Waived:
    """A finding a waiver suppressed, kept for reports."""

    finding: Finding
    waiver: Waiver

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "waiver": self.waiver.to_dict()}


class WaiverOutcome(NamedTuple):
    """The findings of a run with waivers applied.

    Attributes:
        kept: the findings no waiver covers, in their order.
        waived: the findings a waiver covers, with that waiver.
        findings: ``WAIVER-UNUSED`` and ``WAIVER-EXPIRED`` findings about the waivers themselves.
    """

    kept: list[Finding]
    waived: list[Waived]
    findings: list[Finding]


# --- reading ---------------------------------------------------------------------------------------------------


def _text(entry: Mapping[str, Any], key: str, problems: list[str], *, required: bool = False) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            problems.append(f"缺少「{key}」")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"「{key}」应为非空字符串，得到 {value!r}")
        return None
    return value.strip()


def _year(value: Any, problems: list[str]) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    problems.append(f"「year」应为整数年度，得到 {value!r}")
    return None


def _until(value: Any, problems: list[str]) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"「until」应为日期（如 2025-12-31），得到 {value!r}")
        return None


def _resolve(token: str, registry: Registry) -> str | None:
    """The current code of a check named by code, alias or name."""
    found = registry.by_code.get(token) or next((c for c in registry.checks if c.name == token), None)
    return None if found is None else found.code


def _entry(entry: Any, source: SourceRef, registry: Registry) -> Waiver | str:
    """A waiver, or the problems of an entry that cannot be one, joined into one line."""
    if not isinstance(entry, Mapping):
        return f"应为表（[[waiver]]），得到 {entry!r}"
    problems = [f"未知字段「{k}」" for k in entry if k not in _FIELDS]
    check = _text(entry, "check", problems, required=True)
    code = None if check is None else _resolve(check, registry)
    if check is not None and code is None:
        problems.append(f"未知的检查「{check}」（应为检查代码、原代码或名称）")
    project = _text(entry, "project", problems, required=True)
    reason = _text(entry, "reason", problems, required=True)
    year = _year(entry.get("year"), problems)
    indicator, path, by = (_text(entry, k, problems) for k in ("indicator", "path", "by"))
    until = _until(entry.get("until"), problems)
    if problems or check is None or code is None or project is None or reason is None:
        return "；".join(problems)
    return Waiver(code, project, reason, year, indicator, path, by, until, check, source)


def _entries(data: dict[str, Any], path: Path) -> list[Any]:
    entries = data.pop("waiver", [])
    if data:
        raise WaiverError(f"豁免文件 {path}：未知的键「{'、'.join(data)}」；每条豁免应写作 [[waiver]] 表")
    if not isinstance(entries, list):
        raise WaiverError(f"豁免文件 {path}：「waiver」应为表的数组，每条豁免写作 [[waiver]]")
    return entries


def load_waivers(path: str | Path, registry: Registry | None = None) -> tuple[list[Waiver], list[Finding]]:
    """The waivers of a TOML file, and a ``WAIVER-INVALID`` finding for each entry that cannot be used.

    Check codes, former codes and names are resolved through ``registry`` (the installed checks by default).
    A file that cannot be read or is not TOML raises :class:`WaiverError`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WaiverError(f"无法读取豁免文件 {path}：{exc}") from exc
    entries = _entries(data, path)
    # tomllib keeps no positions: the n-th [[waiver]] header is the n-th entry, unless entries are inline.
    headers = [n for n, line in enumerate(text.split("\n"), 1) if _HEADER.match(line)]
    lines: Sequence[int | None] = headers if len(headers) == len(entries) else [None] * len(entries)
    reg = registry or default_registry()
    waivers: list[Waiver] = []
    findings: list[Finding] = []
    for n, (entry, line) in enumerate(zip(entries, lines, strict=True), 1):
        source = SourceRef(path=str(path), line=line)
        got = _entry(entry, source, reg)
        if isinstance(got, Waiver):
            waivers.append(got)
            continue
        findings.append(Finding(
            code=INVALID_CODE, name="waivers.invalid", severity=Severity.ERROR, source=source,
            message=f"豁免文件 {source.label()} 的第 {n} 条豁免无效，未生效：{got}",
        ))  # fmt: skip
    return waivers, findings


# --- applying --------------------------------------------------------------------------------------------------


def _about(waiver: Waiver, code: str, message: str) -> Finding:
    return Finding(
        code=code,
        name=f"waivers.{code.removeprefix('WAIVER-').lower()}",
        severity=Severity.WARNING,
        message=message,
        source=waiver.source,
        actual=waiver.check,
    )


def apply_waivers(
    findings: Iterable[Finding],
    waivers: Sequence[Waiver],
    *,
    codes: Collection[str] | None = None,
    documents: Iterable[AnyDocument] | None = None,
    today: date | None = None,
) -> WaiverOutcome:
    """Split ``findings`` into those kept and those a waiver covers, and report the waivers themselves.

    An expired waiver covers nothing and is reported as ``WAIVER-EXPIRED``.  A waiver that covers nothing is
    reported as ``WAIVER-UNUSED`` when it lay within the run: its check ran (``codes``, the codes of the checks
    run; all when ``None``) and a checked document is in its file glob or, without one, about its project and year
    (``documents``; any when ``None``).  So checking one file does not report every other project's waivers.
    """
    day = today or date.today()
    live = [w for w in waivers if not w.expired(day)]
    used: set[int] = set()
    kept: list[Finding] = []
    waived: list[Waived] = []
    for f in findings:
        subject = _Subject.parse(f.subject)
        hits = [i for i, w in enumerate(live) if w._matches(f, subject)] if subject is not None else []
        if hits:  # every waiver covering a finding counts as used; the first is the one reported
            used.update(hits)
            waived.append(Waived(f, live[hits[0]]))
        else:
            kept.append(f)
    about = waiver_findings(waivers, {live[i] for i in used}, codes=codes, documents=documents, today=day)
    return WaiverOutcome(kept, waived, about)


def waiver_findings(
    waivers: Sequence[Waiver],
    used: Collection[Waiver],
    *,
    codes: Collection[str] | None = None,
    documents: Iterable[AnyDocument] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """``WAIVER-EXPIRED`` for each expired waiver and ``WAIVER-UNUSED`` for each live one not in ``used`` that
    lay within the run (its check among ``codes``, a document of ``documents`` within it; see
    :func:`apply_waivers`).  A run checked in parts (file by file, project by project) passes the waivers its
    parts used."""
    day = today or date.today()
    docs = None if documents is None else list(documents)
    about: list[Finding] = []
    for w in waivers:
        if w.expired(day):
            about.append(
                _about(w, EXPIRED_CODE, f"豁免 {w.label()}已于 {w.until} 到期，不再生效；请复核后续期或删除")
            )
    for w in waivers:
        if w.expired(day) or w in used or (codes is not None and w.code not in codes):
            continue
        if docs is None or any(w.within(d) for d in docs):
            about.append(_about(w, UNUSED_CODE, f"豁免 {w.label()}未匹配任何检查结果，可删除"))
    return about


# --- drafting --------------------------------------------------------------------------------------------------


def _toml(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and Chinese stays readable."""
    return json.dumps(value, ensure_ascii=False)


def draft_waivers(findings: Iterable[Finding]) -> tuple[str, int]:
    """A waiver file for ``findings``, one ``[[waiver]]`` per (check, project, year, indicator), and how many.

    Every entry's ``reason`` is left empty, so the draft waives nothing until a reviewer writes why each finding
    is accepted (an entry without a reason is ``WAIVER-INVALID``); entries not accepted are deleted.  Findings
    without a project subject (read and parse findings) cannot be waived and are left out.
    """
    seen: set[tuple[str, str, int | None, str | None]] = set()
    blocks: list[str] = []
    for f in findings:
        m = _SUBJECT.fullmatch(f.subject or "")
        if m is None or m["project"] in ("", "?"):
            continue
        year = int(m["year"]) if m["year"].isdigit() else None
        item = (f.code, m["project"], year, m["indicator"])
        if item in seen:
            continue
        seen.add(item)
        where = f.source.label() if f.source else ""
        lines = [f"# {where} {f.severity.value} {' '.join(f.message.split())}".rstrip(), "[[waiver]]",
                 f"check = {_toml(f.code)}", f"project = {_toml(m['project'])}"]  # fmt: skip
        if year is not None:
            lines.append(f"year = {year}")
        if m["indicator"]:
            lines.append(f"indicator = {_toml(m['indicator'])}")
        lines.append('reason = ""  # 必填：接受该结果的理由；不接受的条目请删除')
        blocks.append("\n".join(lines))
    head = ("# jixiao 豁免文件草稿：为每条接受的检查结果填写 reason（可加 by、until），删除不接受的条目。\n"
            "# 未填写 reason 的条目不生效，并报告为 WAIVER-INVALID。\n")  # fmt: skip
    return head + "".join(f"\n{b}\n" for b in blocks), len(blocks)
