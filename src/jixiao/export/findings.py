"""Findings renderers (human, json, sarif) as a registry: a check run → the text a front end prints.

``jixiao check --format NAME`` and any other caller (the web's download of a run) take a renderer from
:data:`FINDINGS_FORMATS`; each takes a :class:`jixiao.pipeline.CheckRun` and returns text, and never prints::

    text = render_findings(run, "sarif")
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jixiao import __version__
from jixiao.model import Finding, Severity
from jixiao.pipeline import CheckRun
from jixiao.rules.registry import Registry, default_registry
from jixiao.rules.waivers import Waived

__all__ = ["FINDINGS_FORMATS", "FindingsFormat", "human_line", "render_findings"]

Renderer = Callable[[CheckRun, Registry, bool], str]


@dataclass(frozen=True, slots=True)
class FindingsFormat:
    """A findings format.

    Attributes:
        name: what ``--format`` takes.
        help: one line, Chinese first.
        render: (run, registry, show_waived) → text; a format that always carries the waived findings (SARIF,
            as suppressions) ignores ``show_waived``.
    """

    name: str
    help: str
    render: Renderer


def human_line(run: CheckRun, finding: Finding) -> str:
    """``文件:行: 代码 严重程度 〔项目 (年度)〕 说明``: every line names the project and year it is about."""
    where = finding.source.label() if finding.source else "<input>"
    return f"{where}: {finding.code} {finding.severity.value} 〔{run.project(finding)}〕 {finding.message}"


def _human(run: CheckRun, registry: Registry, show_waived: bool) -> str:
    findings, waived = run.findings, run.waived
    lines = [human_line(run, f) for f in findings]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    lines.append(
        f"共 {len(findings)} 条：错误 {counts[Severity.ERROR]}，警告 {counts[Severity.WARNING]}，"
        f"提示 {counts[Severity.INFO]}"
    )
    if waived:
        lines.append(f"已豁免 {len(waived)} 条" + ("：" if show_waived else "（--show-waived 列出）"))
    if show_waived:
        lines += [
            f"  {human_line(run, w.finding)}  ← 豁免 {w.waiver.label()}：{w.waiver.reason}" for w in waived
        ]
    return "\n".join(lines) + "\n"


def _located(run: CheckRun, finding: Finding) -> dict[str, Any]:
    """A finding as a JSON object, with the project and year of its document (``—`` when none)."""
    return {**finding.to_dict(), "project": run.project(finding)}


def _json(run: CheckRun, registry: Registry, show_waived: bool) -> str:
    """A JSON array of findings; with ``show_waived`` the waived ones follow, each with its ``waiver``."""
    rows = [_located(run, f) for f in run.findings]
    if show_waived:
        rows += [{**_located(run, w.finding), "waiver": w.waiver.to_dict()} for w in run.waived]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_result(run: CheckRun, f: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
    }
    src = f.source
    if src is not None and src.path:
        region = {k: v for k, v in (("startLine", src.line or src.row), ("startColumn", src.col)) if v}
        location: dict[str, Any] = {"artifactLocation": {"uri": Path(src.path).as_posix()}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    pairs = (
        ("project", run.project(f)),
        ("subject", f.subject),
        ("expected", f.expected),
        ("actual", f.actual),
        ("tolerance", f.tolerance),
    )
    props = {k: v for k, v in pairs if v is not None}
    if props:
        result["properties"] = props
    return result


def _sarif_suppressed(run: CheckRun, w: Waived) -> dict[str, Any]:
    """A waived finding as a SARIF result with an external suppression carrying the waiver's reason."""
    suppression: dict[str, Any] = {"kind": "external", "status": "accepted", "justification": w.waiver.reason}
    src = w.waiver.source
    if src is not None and src.path:
        region = {"region": {"startLine": src.line}} if src.line else {}
        artifact = {"artifactLocation": {"uri": Path(src.path).as_posix()}}
        suppression["location"] = {"physicalLocation": {**artifact, **region}}
    if w.waiver.by:
        suppression["properties"] = {"by": w.waiver.by}
    return {**_sarif_result(run, w.finding), "suppressions": [suppression]}


def _sarif(run: CheckRun, registry: Registry, show_waived: bool) -> str:
    rules = [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary()},
            "fullDescription": {"text": c.documentation().get("What it checks", c.summary())},
            "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
        }
        for c in registry.checks
    ]
    results = [
        *(_sarif_result(run, f) for f in run.findings),
        *(_sarif_suppressed(run, w) for w in run.waived),
    ]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "jixiao", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


FINDINGS_FORMATS: Mapping[str, FindingsFormat] = MappingProxyType(
    {
        f.name: f
        for f in (
            FindingsFormat("human", "每行 `文件:行: 代码 严重程度 〔项目 (年度)〕 说明`，末行计数", _human),
            FindingsFormat("json", "检查结果 JSON 数组（每条带 project）", _json),
            FindingsFormat("sarif", "SARIF 2.1.0（代码扫描平台通用格式，豁免记为 suppressions）", _sarif),
        )
    }
)


def render_findings(
    run: CheckRun, fmt: str, *, registry: Registry | None = None, show_waived: bool = False
) -> str:
    """The text of ``run``'s findings in format ``fmt`` (a key of :data:`FINDINGS_FORMATS`)."""
    return FINDINGS_FORMATS[fmt].render(run, registry or default_registry(), show_waived)
