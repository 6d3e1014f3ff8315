"""`jixiao check`, `jixiao score` and `jixiao rules`: thin over :mod:`jixiao.pipeline` and :mod:`jixiao.rules`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from jixiao import pipeline
from jixiao.cli.app import app, err, out
from jixiao.cli.parse import EXIT_HELP, report_unreadable
from jixiao.export.findings import FINDINGS_FORMATS, render_findings
from jixiao.model import Finding, SelfEvaluation
from jixiao.rules import WAIVER_FILE, Profile, default_registry, draft_waivers, score_document, settings
from jixiao.rules.scoring import DocumentScore, RowScore, fmt, tolerance_for

ProfileOption = Annotated[
    str | None, typer.Option("--profile", help="评分配置：内置名称（national、provincial）或 TOML 文件")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="覆盖单项设置，如 reverse_formula=B、severity.C-SE-11=info（可重复）"),
]
_WAIVERS_HELP = (
    f"豁免文件（TOML，每条豁免一个 {escape('[[waiver]]')} 表）；未指定时使用当前目录下的 {WAIVER_FILE}（如存在）。"
    "被豁免的结果不计入 --fail-on；未使用或已过期的豁免会作为检查结果报告"
)
WaiversOption = Annotated[Path | None, typer.Option("--waivers", help=_WAIVERS_HELP)]


def build_options(**kwargs: Any) -> pipeline.Options:
    try:
        return pipeline.Options.build(**kwargs)
    except pipeline.OptionsError as exc:  # one line naming the option, as an unreadable input gets
        err.print(f"[red]错误[/red]：{exc.hint}：{escape(str(exc))}", highlight=False)
        raise typer.Exit(pipeline.EXIT_USAGE) from exc


def _write_draft(path: Path, findings: Sequence[Finding]) -> None:
    """Write a waiver-file draft for ``findings``; an existing file is never overwritten (exit 2)."""
    text, count = draft_waivers(findings)
    try:
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        why = "文件已存在，不覆盖" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))
        err.print(f"[red]错误[/red]：无法写出豁免草稿 {escape(str(path))}：{why}", highlight=False)
        raise typer.Exit(pipeline.EXIT_USAGE) from exc
    err.print(f"已写出 {count} 条豁免草稿到 {escape(str(path))}：逐条填写 reason 后生效", highlight=False)


# --- commands -----------------------------------------------------------------------------------------------------


@app.command(epilog=EXIT_HELP)
def check(
    files: Annotated[list[Path], typer.Argument(help="要检查的文件")],
    output: Annotated[str, typer.Option("--format", help="输出格式：human、json、sarif")] = "human",
    select: Annotated[
        list[str] | None, typer.Option("--select", help="只运行这些检查：代码、前缀、名称或分组，逗号分隔")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="跳过这些检查")] = None,
    profile: ProfileOption = None,
    overrides: SetOption = None,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="达到该级别即以 1 退出：error、warning、info、never")
    ] = "error",
    waivers: WaiversOption = None,
    no_waivers: Annotated[
        bool, typer.Option("--no-waivers", help=f"不使用任何豁免文件（包括 {WAIVER_FILE}）")
    ] = False,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft-waivers", help="把本次的检查结果写成豁免文件草稿（不覆盖已有文件），填写理由后生效"
        ),
    ] = None,
    show_waived: Annotated[
        bool, typer.Option("--show-waived", help="human 与 json 格式也列出被豁免的结果及其豁免理由")
    ] = False,
) -> None:
    """按规则检查文档；human 格式每行为 `文件:行: 代码 严重程度 〔项目 (年度)〕 说明`。"""
    if output not in FINDINGS_FORMATS:
        raise typer.BadParameter(
            f"未知格式「{output}」，可用：{'、'.join(FINDINGS_FORMATS)}", param_hint="--format"
        )
    if fail_on not in pipeline.FAIL_LEVELS:
        raise typer.BadParameter(f"应为 {'、'.join(pipeline.FAIL_LEVELS)} 之一", param_hint="--fail-on")
    options = build_options(
        profile=profile, overrides=overrides or (), select=select, ignore=ignore, waivers=waivers,
        no_waivers=no_waivers,
    )  # fmt: skip
    run = pipeline.check(pipeline.load(files), options)
    report_unreadable(run.files)
    sys.stdout.write(render_findings(run, output, registry=options.registry, show_waived=show_waived))
    if draft is not None:
        _write_draft(draft, [f for f in run.findings if not f.code.startswith("WAIVER")])
    code = run.exit_code(fail_on)
    if code:
        raise typer.Exit(code)


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
        ok = (
            "?"
            if ex.expected is None or printed is None
            else ("✓" if abs(printed - ex.expected) <= tolerance_for(printed, profile) + 1e-9 else "✗")
        )
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


@app.command(epilog=EXIT_HELP)
def score(
    files: Annotated[list[Path], typer.Argument(help="含绩效自评表的文件")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    profile: ProfileOption = None,
    overrides: SetOption = None,
) -> None:
    """逐行列出表中得分与按规则计算的得分及其依据（公式与数值）。"""
    prof = build_options(profile=profile, overrides=overrides or (), no_waivers=True).profile
    loaded = pipeline.load(files)
    report_unreadable(loaded)
    scored = [score_document(d, prof) for r in loaded for d in r.documents if isinstance(d, SelfEvaluation)]
    if as_json:
        sys.stdout.write(
            json.dumps([_score_json(s, prof) for s in scored], ensure_ascii=False, indent=1) + "\n"
        )
    else:
        for s in scored:
            sys.stdout.write("\n".join(_score_lines(s, prof)) + "\n\n")
        if not scored:
            err.print("未找到绩效自评表。")
    if any(r.unreadable for r in loaded):
        raise typer.Exit(pipeline.EXIT_UNREADABLE)
    if not scored:
        raise typer.Exit(pipeline.EXIT_FINDINGS)


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
        out.print(
            f"{r['code']:<9} {r['severity']:<8} {r['name']:<36} {escape(str(r['summary']))}", highlight=False
        )


def _print_settings(as_json: bool) -> None:
    rows = [{"name": s.name, "default": s.default, "help": s.help, "tag": s.tag} for s in settings()]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    for r in rows:
        out.print(
            f"{r['name']:<32} {r['tag']:<6} {escape(str(r['default'])):<40} {r['help']}", highlight=False
        )
