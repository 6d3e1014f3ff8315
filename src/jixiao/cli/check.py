"""`jixiao check`, `jixiao score` and `jixiao rules`: thin over :mod:`jixiao.rules`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import typer
from rich.markup import escape

from jixiao import __version__
from jixiao.cli.app import app, err, out
from jixiao.cli.parse import _parse_all
from jixiao.model import AnyDocument, Finding, SelfEvaluation, Severity
from jixiao.rules import (
    WAIVER_FILE,
    Profile,
    ProfileError,
    Registry,
    RegistryError,
    Waived,
    Waiver,
    WaiverError,
    apply_waivers,
    check_documents,
    default_registry,
    draft_waivers,
    load_profile,
    load_waivers,
    score_document,
    settings,
)
from jixiao.rules.engine import sort_findings
from jixiao.rules.scoring import DocumentScore, RowScore, fmt, tolerance_for

ProfileOption = Annotated[
    str | None, typer.Option("--profile", help="评分配置：内置名称（national、provincial）或 TOML 文件")
]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="覆盖单项设置，如 reverse_formula=B、severity.C-SE-11=info（可重复）")
]
_WAIVERS_HELP = (
    f"豁免文件（TOML，每条豁免一个 {escape('[[waiver]]')} 表）；未指定时使用当前目录下的 {WAIVER_FILE}（如存在）。"
    "被豁免的结果不计入 --fail-on；未使用或已过期的豁免会作为检查结果报告"
)
WaiversOption = Annotated[Path | None, typer.Option("--waivers", help=_WAIVERS_HELP)]
_FAIL_LEVELS = ("error", "warning", "info", "never")


def _profile(spec: str | None, overrides: Sequence[str] | None) -> Profile:
    try:
        return load_profile(spec, overrides or ())
    except ProfileError as exc:
        raise typer.BadParameter(str(exc), param_hint="--profile / --set") from exc


# --- output formats --------------------------------------------------------------------------------------------


def _human(
    findings: Sequence[Finding], waived: Sequence[Waived], registry: Registry, *, show_waived: bool = False
) -> str:
    lines = [f.render() for f in findings]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    lines.append(f"共 {len(findings)} 条：错误 {counts[Severity.ERROR]}，警告 {counts[Severity.WARNING]}，"
                 f"提示 {counts[Severity.INFO]}")  # fmt: skip
    if waived:
        lines.append(f"已豁免 {len(waived)} 条" + ("：" if show_waived else "（--show-waived 列出）"))
    if show_waived:
        lines += [f"  {w.finding.render()}  ← 豁免 {w.waiver.label()}：{w.waiver.reason}" for w in waived]
    return "\n".join(lines) + "\n"


def _json(
    findings: Sequence[Finding], waived: Sequence[Waived], registry: Registry, *, show_waived: bool = False
) -> str:
    """A JSON array of findings; with ``--show-waived`` the waived ones follow, each with its ``waiver``."""
    rows = [f.to_dict() for f in findings] + ([w.to_dict() for w in waived] if show_waived else [])
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_result(f: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": f.code, "level": _SARIF_LEVEL[f.severity], "message": {"text": f.message}}
    src = f.source
    if src is not None and src.path:
        region = {k: v for k, v in (("startLine", src.line or src.row), ("startColumn", src.col)) if v}
        location: dict[str, Any] = {"artifactLocation": {"uri": Path(src.path).as_posix()}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    props = {k: v for k, v in (("subject", f.subject), ("expected", f.expected), ("actual", f.actual),
                               ("tolerance", f.tolerance)) if v is not None}  # fmt: skip
    if props:
        result["properties"] = props
    return result


def _sarif_suppressed(w: Waived) -> dict[str, Any]:
    """A waived finding as a SARIF result with an external suppression carrying the waiver's reason."""
    suppression: dict[str, Any] = {"kind": "external", "status": "accepted", "justification": w.waiver.reason}
    src = w.waiver.source
    if src is not None and src.path:
        region = {"region": {"startLine": src.line}} if src.line else {}
        artifact = {"artifactLocation": {"uri": Path(src.path).as_posix()}}
        suppression["location"] = {"physicalLocation": {**artifact, **region}}
    if w.waiver.by:
        suppression["properties"] = {"by": w.waiver.by}
    return {**_sarif_result(w.finding), "suppressions": [suppression]}


def _sarif(findings: Sequence[Finding], waived: Sequence[Waived], registry: Registry) -> str:
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
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "jixiao", "version": __version__, "rules": rules}},
                "results": [*map(_sarif_result, findings), *map(_sarif_suppressed, waived)],
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


Formatter = Callable[[Sequence[Finding], Sequence[Waived], Registry], str]
FORMATTERS: Mapping[str, Formatter] = MappingProxyType({"human": _human, "json": _json, "sarif": _sarif})


# Codes of the stages around checking (reading, parsing, waivers): selectable like checks, not in the registry.
_STAGE_PREFIXES = ("READ", "PARSE", "CHECK-CRASH", "WAIVER")


def _split_stage(tokens: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Selectors split into stage codes (``PARSE-MISSING``, ``PARSE``) and check selectors."""
    stage: list[str] = []
    checks: list[str] = []
    for raw in tokens or ():
        for token in (t.strip() for t in raw.split(",")):
            if token:
                (stage if token.startswith(_STAGE_PREFIXES) else checks).append(token)
    return stage, checks


def _stage_match(code: str, tokens: Sequence[str]) -> bool:
    return any(code == t or code.startswith(t + "-") for t in tokens)


def fails(findings: Sequence[Finding], fail_on: str) -> bool:
    """True when any finding is at or above the ``fail_on`` severity (never for ``never``)."""
    if fail_on == "never":
        return False
    floor = Severity(fail_on).rank
    return any(f.severity.rank >= floor for f in findings)


def _waivers(spec: Path | None, disabled: bool) -> tuple[list[Waiver], list[Finding]]:
    """The waivers of ``--waivers FILE``, else of ``jixiao-waivers.toml`` here if present; a bad file exits 2."""
    path = None if disabled else spec or (Path(WAIVER_FILE) if Path(WAIVER_FILE).is_file() else None)
    if path is None:
        return [], []
    try:
        return load_waivers(path)
    except WaiverError as exc:
        err.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc


def _write_draft(path: Path, findings: Sequence[Finding]) -> None:
    """Write a waiver-file draft for ``findings``; an existing file is never overwritten (exit 2)."""
    text, count = draft_waivers(findings)
    try:
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        why = "文件已存在，不覆盖" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))
        err.print(f"[red]error[/red]: 无法写出豁免草稿 {escape(str(path))}：{why}", highlight=False)
        raise typer.Exit(2) from exc
    err.print(f"已写出 {count} 条豁免草稿到 {escape(str(path))}：逐条填写 reason 后生效", highlight=False)


# --- commands -----------------------------------------------------------------------------------------------------


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="要检查的文件")],
    output: Annotated[str, typer.Option("--format", help="输出格式：human、json、sarif")] = "human",
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行这些检查：代码、前缀、名称或分组，逗号分隔")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="跳过这些检查")] = None,
    profile: ProfileOption = None,
    overrides: SetOption = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="达到该级别即以 1 退出：error、warning、info、never")] = "error",
    waivers: WaiversOption = None,
    no_waivers: Annotated[bool, typer.Option("--no-waivers", help=f"不使用任何豁免文件（包括 {WAIVER_FILE}）")] = False,
    draft: Annotated[Path | None, typer.Option("--draft-waivers", help="把本次的检查结果写成豁免文件草稿（不覆盖已有文件），填写理由后生效")] = None,
    show_waived: Annotated[bool, typer.Option("--show-waived", help="human 与 json 格式也列出被豁免的结果及其豁免理由")] = False,
) -> None:
    """按规则检查文档；human 格式每行为 `文件:行: 代码 严重程度 说明`。"""
    if output not in FORMATTERS:
        raise typer.BadParameter(f"未知格式「{output}」，可用：{'、'.join(FORMATTERS)}", param_hint="--format")
    if fail_on not in _FAIL_LEVELS:
        raise typer.BadParameter(f"应为 {'、'.join(_FAIL_LEVELS)} 之一", param_hint="--fail-on")
    prof = _profile(profile, overrides)
    registry = default_registry()
    stage_select, check_select = _split_stage(select)
    stage_ignore, check_ignore = _split_stage(ignore)
    try:
        selected = registry.select(check_select, check_ignore)
    except RegistryError as exc:
        raise typer.BadParameter(str(exc), param_hint="--select / --ignore") from exc
    chosen = selected if check_select or not select else ()  # a --select of stage codes only runs no check
    accepted, invalid = _waivers(waivers, no_waivers)
    results, failures = _parse_all(files)
    docs: list[AnyDocument] = [d for r in results for d in r.documents]
    stage = [
        f for r in results for f in r.all_findings
        if (not select or _stage_match(f.code, stage_select)) and not _stage_match(f.code, stage_ignore)
    ]  # fmt: skip
    checked = check_documents(docs, profile=prof, select=check_select, ignore=check_ignore) if chosen else []
    ran = {c.code for c in chosen}
    kept, waived, stale = apply_waivers([*stage, *checked], accepted, codes=ran, documents=docs)
    shown = [f for f in [*invalid, *stale] if not _stage_match(f.code, stage_ignore)]  # --ignore WAIVER-UNUSED
    findings = sort_findings([*kept, *shown])
    render = FORMATTERS[output]
    if show_waived and output in ("human", "json"):
        render = partial(_human if output == "human" else _json, show_waived=True)
    sys.stdout.write(render(findings, waived, registry))
    if draft is not None:
        _write_draft(draft, kept)
    if failures or fails(findings, fail_on):
        raise typer.Exit(1)


def _rule_cell(rs: RowScore) -> str:
    if rs.expected is not None and rs.low is None:
        return fmt(rs.expected)
    if rs.low is not None and rs.high is not None:
        return f"[{fmt(rs.low)}, {fmt(rs.high)}{')' if rs.high_open else ']'}"
    return "—"


def _verdict(rs: RowScore, profile: Profile) -> str:
    printed = rs.printed
    if printed is None or (rs.expected is None and rs.low is None):
        return "?"
    return "✓" if rs.accepts(printed, tolerance_for(printed, profile)) else "✗"


def _score_lines(scored: DocumentScore, profile: Profile) -> list[str]:
    doc = scored.document
    lines = [f"{doc.label}（配置 {profile.name}）"]
    ex = scored.execution
    if ex is not None:
        printed = ex.fund.score
        ok = "?" if ex.expected is None or printed is None else (
            "✓" if abs(printed - ex.expected) <= tolerance_for(printed, profile) + 1e-9 else "✗")
        rule = fmt(None if ex.expected is None else round(ex.expected, 2))
        lines.append(f"  {ok} {ex.fund.line}：执行率 {fmt(ex.fund.execution_rate)}%  分值 {fmt(ex.weight)}  "
                     f"得分 {fmt(printed)}  规则 {rule}  —— {ex.formula}")  # fmt: skip
    for rs in scored.rows:
        ind = rs.indicator
        lines.append(f"  {_verdict(rs, profile)} {ind.name}：{ind.target or '—'} → {ind.actual or '—'}  "
                     f"分值 {fmt(ind.weight)}  得分 {fmt(ind.score)}  规则 {_rule_cell(rs)}  —— {rs.formula}")  # fmt: skip
    grade = f"（表中等级 {doc.grade}）" if doc.grade else ""
    lines.append(f"  总分：表中 {fmt(doc.total_score)}，按规则重新计分 {fmt(scored.total)}，"
                 f"等级 {profile.grade(scored.total)}{grade}")  # fmt: skip
    return lines


def _score_json(scored: DocumentScore, profile: Profile) -> dict[str, Any]:
    doc = scored.document
    ex = scored.execution
    return {
        "project": doc.project,
        "year": doc.year,
        "profile": profile.name,
        "execution": None if ex is None else {
            "printed": ex.fund.score, "rule": None if ex.expected is None else round(ex.expected, 4),
            "rate": ex.rate, "formula": ex.formula,
        },
        "rows": [
            {"name": rs.indicator.name, "target": rs.indicator.target, "actual": rs.indicator.actual,
             "weight": rs.indicator.weight, "printed": rs.printed, "rule": rs.expected, "low": rs.low,
             "high": rs.high, "method": rs.method.value, "rule_ref": rs.method.rule, "formula": rs.formula,
             "verdict": _verdict(rs, profile)}
            for rs in scored.rows
        ],
        "total": {"printed": doc.total_score, "rule": scored.total, "grade": profile.grade(scored.total)},
    }  # fmt: skip


@app.command()
def score(
    files: Annotated[list[Path], typer.Argument(help="含绩效自评表的文件")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    profile: ProfileOption = None,
    overrides: SetOption = None,
) -> None:
    """逐行列出表中得分与按规则计算的得分及其依据（公式与数值）。"""
    prof = _profile(profile, overrides)
    results, failures = _parse_all(files)
    scored = [score_document(d, prof) for r in results for d in r.documents if isinstance(d, SelfEvaluation)]
    if as_json:
        sys.stdout.write(json.dumps([_score_json(s, prof) for s in scored], ensure_ascii=False, indent=1) + "\n")
    else:
        for s in scored:
            sys.stdout.write("\n".join(_score_lines(s, prof)) + "\n\n")
        if not scored:
            err.print("未找到绩效自评表。")
    if failures or not scored:
        raise typer.Exit(1)


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="只显示该检查的完整说明")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    show_settings: Annotated[bool, typer.Option("--settings", help="列出评分配置的各项设置")] = False,
) -> None:
    """列出每项检查的代码、严重程度与摘要。"""
    registry = default_registry()
    if show_settings:
        _print_settings(as_json)
        return
    if code is not None:
        check_ = registry.by_code.get(code)
        if check_ is None:
            err.print(f"未知检查代码 {code}")
            raise typer.Exit(2)
        out.print(f"{check_.code} {check_.severity.value} {check_.name}", highlight=False)
        out.print(escape(type(check_).__doc__ or ""), highlight=False)
        return
    rows = [{"code": c.code, "severity": c.severity.value, "name": c.name, "groups": list(c.groups),
             "summary": c.summary()} for c in registry.checks]  # fmt: skip
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    for r in rows:
        out.print(f"{r['code']:<9} {r['severity']:<8} {r['name']:<36} {escape(str(r['summary']))}", highlight=False)


def _print_settings(as_json: bool) -> None:
    rows = [{"name": s.name, "default": s.default, "help": s.help, "tag": s.tag} for s in settings()]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    for r in rows:
        out.print(f"{r['name']:<32} {r['tag']:<6} {escape(str(r['default'])):<40} {r['help']}", highlight=False)
