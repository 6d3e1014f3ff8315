"""`jixiao parse` and `jixiao demo`."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jixiao import ParseResult, ReadError, parse_file
from jixiao.cli.app import app, err, out
from jixiao.model import AnyDocument, EvaluationResult, SelfEvaluation, TargetDeclaration, to_v1


def sample_paths() -> list[Path]:
    """The five bundled seed documents (Shanghai, 2018–2024)."""
    root = resources.files("jixiao.samples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def _parse_all(files: list[Path]) -> tuple[list[ParseResult], int]:
    results: list[ParseResult] = []
    failures = 0
    for f in files:
        try:
            res = parse_file(f)
        except ReadError as exc:
            err.print(f"[red]error[/red]: {exc}", highlight=False)
            failures += 1
            continue
        if not res.documents:
            reason = next((x.message for x in res.findings if x.severity == "error"), "no document")
            err.print(f"[red]error[/red]: {f}: {reason}", highlight=False)
            failures += 1
        results.append(res)
    return results, failures


def _summary_row(doc: AnyDocument) -> tuple[str, str, str, str, str]:
    if isinstance(doc, SelfEvaluation):
        detail = f"{len(doc.indicators)} 项指标"
        total = f"{_fmt(doc.total_score)} / {_fmt(doc.total_weight)}"
        if doc.grade:
            total += f" {doc.grade}"
    elif isinstance(doc, TargetDeclaration):
        detail = f"{len(doc.indicators)} 项指标"
        total = f"预算 {_fmt(doc.annual_budget)} {doc.money_unit or ''}"
    else:
        assert isinstance(doc, EvaluationResult)
        detail = f"问题 {len(doc.problems)} 条"
        total = f"{_fmt(doc.score)} {doc.conclusion or ''}"
    return doc.kind_title, str(doc.year or "?"), doc.project or "?", detail, total


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _print_summary(results: list[ParseResult]) -> None:
    for res in results:
        table = Table(title=res.path, title_justify="left", show_lines=False)
        for col in ("类型", "年度", "项目", "内容", "总分/结论"):
            table.add_column(col)
        for doc in res.documents:
            table.add_row(*_summary_row(doc))
        out.print(table)
        findings = res.all_findings
        if findings:
            out.print(f"  解析提示 {len(findings)} 条：")
            for f in findings[:20]:
                out.print(f"  {f.render()}", highlight=False)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="文件（文本、Markdown、TSV …）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 v1 JSON 数组")] = False,
) -> None:
    """解析文件中的绩效文档：默认输出摘要，--json 输出开放 JSON 格式（v1）。"""
    results, failures = _parse_all(files)
    if as_json:
        docs = [to_v1(d) for r in results for d in r.documents]
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_summary(results)
    if failures:
        raise typer.Exit(1)


@app.command()
def demo() -> None:
    """解析随附的上海示例文档并输出摘要（make run）。"""
    results, failures = _parse_all(sample_paths())
    _print_summary(results)
    total = sum(len(r.documents) for r in results)
    out.print(f"共 {total} 份文档，来自 {len(results)} 个示例文件。")
    if failures:
        raise typer.Exit(1)
