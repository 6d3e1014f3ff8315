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


def _explain(path: Path) -> int:
    """The stages for one file: the grid the reader made, the role each cell got, the documents."""
    from jixiao.explain import roles
    from jixiao.forms import parse_grid
    from jixiao.readers import read_path

    try:
        grid = read_path(path)
    except ReadError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        return 1
    result = parse_grid(grid)
    out.rule(f"1. 读取 {path}（{grid.format}，{len(grid.rows)} 行）")
    table = Table(show_lines=False)
    for col in ("位置", "表", "文字", "用作"):
        table.add_column(col, overflow="fold")
    for item in roles(grid, result):
        if item.cell.empty and not item.roles:
            continue
        ref = item.cell.ref
        where = ref.label().rsplit(":", 1)[-1] + (f" c{ref.col}" if ref.col else "")
        text = item.cell.text if len(item.cell.text) <= 40 else item.cell.text[:39] + "…"
        table.add_row(where, str(item.row.table or ""), text, ", ".join(item.roles) or "[dim]—[/dim]")
    out.print(table)
    out.rule(f"2. 解析结果：{len(result.documents)} 份文档")
    _print_summary([result])
    out.rule("3. 文档（v1 JSON）")
    docs = [to_v1(d, provenance=False) for d in result.documents]
    out.print_json(json.dumps(docs, ensure_ascii=False))
    return 0 if result.documents else 1


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="文件（文本、Markdown、TSV、HTML、DOCX、XLSX、PDF）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 v1 JSON 数组")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="逐步显示：读取的单元格、每个单元格的用途、解析出的文档")
    ] = False,
) -> None:
    """解析文件中的绩效文档：默认输出摘要，--json 输出开放 JSON 格式（v1）。"""
    if explain:
        codes = [_explain(f) for f in files]
        if any(codes):
            raise typer.Exit(1)
        return
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
