"""`jixiao ingest`, `link` and `export`: thin over :mod:`jixiao.ingest`, :mod:`jixiao.store` and
:mod:`jixiao.export` (the pipeline, the rules and the exporters load with these commands only)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.cli.app import app, err, out
from jixiao.cli.check import ProfileOption, SetOption, WaiversOption, build_options
from jixiao.cli.parse import sample_paths
from jixiao.cli.store import DbOption, JsonOption, _engine, _fail, _print_json, _table, ensure_linked
from jixiao.export import FORMATS, ExportItem, write_to
from jixiao.ingest import Interrupted, check_projects, ingest_files
from jixiao.pipeline import Options
from jixiao.store import FileOutcome, IngestReport, relink
from jixiao.store import link as linking
from jixiao.store.query import document_ids, iter_documents, projects, resolve_project
from jixiao.store.report import summarise, vars_of
from jixiao.store.search import refresh_store_facts
from jixiao.store.views import KIND_SHORT, KIND_TITLE

# --- ingest -------------------------------------------------------------------------------------------------------


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("入库"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        yield bar


_OUTCOME = {
    "added": "新增",
    "new_version": "新版本",
    "copy": "同内容文件",
    "unchanged": "未变",
    "refused": "拒收",
}


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="文件或文件夹（递归）")] = None,
    db: DbOption = None,
    samples: Annotated[bool, typer.Option("--samples", help="入库随附的上海示例文档")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", min=1, help="解析进程数（默认：CPU 核数）")
    ] = None,
    check: Annotated[bool, typer.Option("--check/--no-check", help="入库时运行规则检查并保存结果")] = True,
    profile: ProfileOption = None,
    overrides: SetOption = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="只运行这些检查（同 jixiao check）")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="跳过这些检查（同 jixiao check）")
    ] = None,
    waivers: WaiversOption = None,
    no_waivers: Annotated[bool, typer.Option("--no-waivers", help="不使用任何豁免文件")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    as_json: JsonOption = False,
) -> None:
    """把文件入库：每个文件一个事务（整份入库或完全不入），相同内容不重复入库，修改过的文件保存为新版本。

    检查与 jixiao check 相同（同样的配置、选择与豁免）；关联项目后，跨文档检查在每个项目的全部文档上运行。
    不是绩效文档的文件（无法读取或未识别到文档）拒收并说明原因，不入库。Ctrl-C 中断时说明已入库与未入库的文件，
    并完成已入库部分的项目关联。
    """
    targets: list[Path] = [*(paths or []), *(sample_paths() if samples else [])]
    if not targets:
        raise _fail("请指定要入库的文件或文件夹（或使用 --samples）", 2)
    options = build_options(
        profile=profile, overrides=overrides or (), select=select, ignore=ignore, waivers=waivers,
        no_waivers=no_waivers,
    )  # fmt: skip
    engine = _engine(db, write=True, create=True)
    with _progress(not quiet and not as_json) as bar:
        task = bar.add_task("", total=None) if bar else None

        def on_start(total: int) -> None:
            if bar is not None and task is not None:
                bar.update(task, total=total)

        def on_file(outcome: FileOutcome) -> None:
            if outcome.outcome == "refused":
                (bar.console if bar else err).print(f"[red]拒收[/red] {outcome.reason}", highlight=False)
            if bar is not None and task is not None:
                bar.update(task, advance=1, description=Path(outcome.path).name)

        try:
            report = ingest_files(
                engine,
                targets,
                workers=workers,
                check=check,
                options=options,
                args=sys.argv[1:],
                on_start=on_start,
                on_file=on_file,
            )
        except Interrupted as stop:
            _interrupted(stop.report)
            raise typer.Exit(130) from stop
    if as_json:
        _print_json({"run": report.run_id, "files": [vars_of(f) for f in report.files]})
    else:
        parts = [f"{_OUTCOME[k]} {report.count(k)}" for k in _OUTCOME if report.count(k)]  # type: ignore[arg-type]
        with engine.connect() as conn:
            s = summarise(conn)
        out.print(
            f"入库完成（第 {report.run_id} 次）：{len(report.files)} 个文件，{'，'.join(parts) or '无'}；"
            f"新增文档 {report.documents} 份；库内项目 {s.projects} 个，跨年度关联 {s.across_years} 个。",
            highlight=False,
        )
    if report.refused:
        raise typer.Exit(1)


def _interrupted(report: IngestReport) -> None:
    """What a Ctrl-C left: the files stored (linked, checked) and those not stored (a re-run picks them up)."""
    kept = sum(1 for f in report.files if f.outcome != "refused")
    err.print(
        f"[yellow]已中断[/yellow]（第 {report.run_id} 次入库）：已入库 {kept} 个文件（已关联项目），"
        f"拒收 {len(report.refused)} 个，未入库 {len(report.not_stored)} 个；再次运行同一命令即可继续。",
        highlight=False,
    )
    for path in report.not_stored[:20]:
        err.print(f"  未入库 {path}", highlight=False)
    if len(report.not_stored) > 20:
        err.print(f"  ……另有 {len(report.not_stored) - 20} 个", highlight=False)


# --- link ---------------------------------------------------------------------------------------------------------


@app.command("link")
def link_cmd(
    refs: Annotated[list[str] | None, typer.Argument(help="项目（P3）或文档（D12）编号")] = None,
    merge: Annotated[bool, typer.Option("--merge", help="确认这些项目/文档是同一个项目")] = False,
    split: Annotated[bool, typer.Option("--split", help="把这些文档从所在项目中拆出")] = False,
    note: Annotated[str | None, typer.Option("--note", help="备注（记录在决定中）")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """跨年度、跨类型关联项目；--merge/--split 记录用户的决定，之后的入库都会遵守。"""
    refs = refs or []
    if merge and split:
        raise _fail("--merge 与 --split 不能同时使用", 2)
    engine = _engine(db, write=True)
    touched: list[int] = []
    try:
        if merge:
            touched = linking.merge(engine, refs, note)
        elif split:
            touched = linking.split(engine, refs, note)
        else:
            relink(engine)
    except linking.LinkError as exc:
        raise _fail(str(exc), 2) from exc
    if touched:  # the projects changed: their cross-document findings are checked again
        check_projects(engine, touched, Options())
    # the web's facet counts and the summary's figures follow: by delta after a decision, rebuilt whole by a
    # plain `jixiao link` (which relinks everything: the store's way to redo every derived table)
    refresh_store_facts(engine, full=not refs)
    with engine.connect() as conn:
        listed = projects(conn)
    if touched:
        listed = [p for p in listed if any(d.id in touched for d in p.documents)]
    else:
        listed = [p for p in listed if len(p.documents) > 1]
    if as_json:
        _print_json([p.to_dict() for p in listed])
        return
    table = _table(
        "项目关联" if not touched else "关联结果",
        "项目",
        "文档",
        "年度",
        "类型",
        "印刷名称",
        "关联分",
        "理由",
    )
    for p in listed:
        for i, d in enumerate(p.documents):
            table.add_row(
                f"P{p.id} {p.name}" if i == 0 else "",
                f"D{d.id}",
                str(d.year or "?"),
                KIND_SHORT[d.kind],
                d.name,
                f"{d.score:.2f}" if d.score is not None else "—",
                d.reason or "",
            )
    out.print(table)


# --- export ---


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | csv | parquet | xlsx")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认：标准输出）")] = None,
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="只导出这个项目（编号或名称）")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="self_evaluation | target_declaration | evaluation_result")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="只导出这一年度")] = None,
    db: DbOption = None,
    bom: Annotated[
        bool, typer.Option("--bom/--no-bom", help="CSV 带 UTF-8 BOM（Excel 据此识别编码）")
    ] = True,
) -> None:
    """导出：JSON（v1 格式）、CSV/Parquet（指标明细宽表）、XLSX（官方绩效自评表样式，可再读回）。"""
    if fmt not in FORMATS:
        raise _fail(f"未知格式「{fmt}」，可用：{'、'.join(FORMATS)}", 2)
    if kind is not None and kind not in KIND_SHORT:
        raise _fail(f"未知文档类型「{kind}」，可用：{'、'.join(KIND_SHORT)}", 2)
    spec = FORMATS[fmt]
    if output is None and spec.binary and sys.stdout.isatty():
        raise _fail(f"{fmt} 是二进制格式，请用 -o 指定输出文件", 2)
    engine = _engine(db)
    ensure_linked(engine)
    with engine.connect() as conn:
        pid = None
        if project is not None:
            found = resolve_project(conn, project)
            if len(found) != 1:
                raise _fail(f"「{project}」对应 {len(found)} 个项目，请用编号（jixiao projects）")
            pid = found[0].id
        ids = document_ids(conn, project_id=pid, kind=kind, year=year, kinds=spec.kinds)
        if not ids:
            raise _fail(
                f"没有可导出的文档（{fmt} 格式只导出{'、'.join(KIND_TITLE[k] for k in KIND_TITLE if _writes(fmt, k))}；请检查 --project/--kind/--year）"
            )
        items = (
            ExportItem(s.document, s.id, s.project_id, s.project_name if s.project_id is not None else None,
                       s.sha256 if s.project_id is not None else None)
            for s in iter_documents(conn, ids)
        )  # fmt: skip
        if output is None:
            write_to(items, fmt, sys.stdout.buffer, bom=bom)
            sys.stdout.flush()
            return
        try:
            with output.open("wb") as sink:
                write_to(items, fmt, sink, bom=bom)
        except OSError as exc:
            raise _fail(f"{output}: 无法写入（{exc.strerror or exc}）") from exc
    err.print(f"已导出 {len(ids)} 份文档到 {output}（{spec.help}）", highlight=False)


def _writes(fmt: str, kind: str) -> bool:
    kinds = FORMATS[fmt].kinds
    return kinds is None or kind in kinds


# --- summary (make run) -------------------------------------------------------------------------------------------
