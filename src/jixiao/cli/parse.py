"""`jixiao parse` and `jixiao demo`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from jixiao import ReadError, pipeline
from jixiao.cli.app import app, err, out
from jixiao.model import AnyDocument, EvaluationResult, SelfEvaluation, TargetDeclaration, to_v1

if TYPE_CHECKING:
    from jixiao.forms import ParseResult

# Documented in the --help of every command that reads files (parse, check, score, demo).
EXIT_HELP = (
    f"退出码：{pipeline.EXIT_OK} 正常；{pipeline.EXIT_FINDINGS} 有达到 --fail-on 级别的检查结果，或某个文件中没有绩效文档；"
    f"{pipeline.EXIT_USAGE} 参数、配置或豁免文件有误；"
    f"{pipeline.EXIT_UNREADABLE} 有文件无法读取（每个一行说明原因，其余文件照常处理）。"
)


def sample_paths() -> list[Path]:
    """The five bundled seed documents (Shanghai, 2018–2024)."""
    root = resources.files("jixiao.samples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def report_unreadable(files: Sequence[pipeline.FileResult]) -> None:
    """One line on stderr for each input that could not be read or holds no document, naming it and why."""
    for f in files:
        why = f.refusal
        if why is not None:
            err.print(f"[red]错误[/red]：{escape(why)}", highlight=False)


def exit_code(files: Sequence[pipeline.FileResult]) -> int:
    """:data:`~jixiao.pipeline.EXIT_UNREADABLE` when an input could not be read, else
    :data:`~jixiao.pipeline.EXIT_FINDINGS` when one holds no document, else 0."""
    if any(f.unreadable is not None for f in files):
        return pipeline.EXIT_UNREADABLE
    return pipeline.EXIT_FINDINGS if any(f.refusal for f in files) else pipeline.EXIT_OK


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


def _print_summary(results: Sequence[pipeline.FileResult | ParseResult]) -> None:
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
        err.print(f"[red]错误[/red]：{escape(str(exc))}", highlight=False)
        return pipeline.EXIT_UNREADABLE
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


@app.command(epilog=EXIT_HELP)
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
            raise typer.Exit(max(codes))
        return
    loaded = pipeline.load(files)
    report_unreadable(loaded)
    if as_json:
        docs = [to_v1(d) for r in loaded for d in r.documents]
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_summary([r for r in loaded if r.unreadable is None])
    code = exit_code(loaded)
    if code:
        raise typer.Exit(code)


@app.command(epilog=EXIT_HELP)
def demo() -> None:
    """解析随附的上海示例文档并输出摘要（make run）。"""
    loaded = pipeline.load(sample_paths())
    report_unreadable(loaded)
    _print_summary([r for r in loaded if r.unreadable is None])
    total = sum(len(r.documents) for r in loaded)
    out.print(f"共 {total} 份文档，来自 {len(loaded)} 个示例文件。")
    code = exit_code(loaded)
    if code:
        raise typer.Exit(code)
