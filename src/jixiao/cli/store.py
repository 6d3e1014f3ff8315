"""`jixiao ingest`, `link`, `projects`, `show`, `export` and `summary`: thin over :mod:`jixiao.store`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from jixiao.cli.app import app, err, out
from jixiao.cli.check import ProfileOption, SetOption, WaiversOption, build_options
from jixiao.cli.parse import sample_paths
from jixiao.export import FORMATS, ExportItem, write_to
from jixiao.ingest import Interrupted, check_projects, ingest_files
from jixiao.model import EvaluationResult, to_v1
from jixiao.pipeline import Options
from jixiao.store import FileOutcome, IngestReport, StoreError, ensure_linked, relink
from jixiao.store import link as linking
from jixiao.store.engine import open_store
from jixiao.store.query import (
    DocumentEntry,
    document_ids,
    iter_documents,
    iter_projects,
    load_documents,
    projects,
    projects_across_years,
    resolve_project,
)
from jixiao.store.report import summarise, vars_of
from jixiao.store.views import KIND_SHORT, KIND_TITLE, Matrix, doc_label, fmt, headline, indicator_matrix

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _table(title: str, *columns: str) -> Table:
    """A table whose long Chinese names wrap instead of being cut off."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def _engine(db: str | None, *, write: bool = False, create: bool = False) -> Engine:
    try:
        return open_store(db, write=write, create=create)
    except StoreError as exc:
        err.print(f"[red]错误[/red]：{exc}", highlight=False)
        raise typer.Exit(2) from exc


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]错误[/red]：{message}", highlight=False)
    return typer.Exit(code)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _stream_json(items: Iterable[Any]) -> None:
    """A JSON array written item by item, the same text :func:`_print_json` gives for the whole list."""
    write = sys.stdout.write
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n ")
        write(("[\n " if first else ",\n ") + body)
        first = False
    write("[]\n" if first else "\n]\n")


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
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行这些检查（同 jixiao check）")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="跳过这些检查（同 jixiao check）")] = None,
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


# --- projects and show --------------------------------------------------------------------------------------------


def _doc_labels(docs: Sequence[DocumentEntry]) -> str:
    """``2018 申报 · 2022 自评×3``: copies of one form (the same form in several files) counted once."""
    counts: dict[str, int] = {}
    for d in docs:
        label = doc_label(d)
        counts[label] = counts.get(label, 0) + 1
    return " · ".join(label if n == 1 else f"{label}×{n}" for label, n in counts.items())


@app.command("projects")
def projects_cmd(
    db: DbOption = None,
    as_json: JsonOption = False,
    linked: Annotated[bool, typer.Option("--linked", help="只列出关联了多份文档的项目")] = False,
) -> None:
    """列出项目及其文档（类型、年度、印刷名称、关联分）。"""
    engine = _engine(db)
    ensure_linked(engine)
    with engine.connect() as conn:
        listed = (p for p in iter_projects(conn) if not linked or len(p.documents) > 1)
        if as_json:
            _stream_json(p.to_dict() for p in listed)
            return
        rows = [
            (
                f"P{p.id}",
                p.name,
                p.unit or "—",
                _doc_labels(p.documents),
                f"{min(scores):.2f}" if len(p.documents) > 1 and (scores := [d.score for d in p.documents if d.score is not None]) else "",
            )
            for p in listed
        ]
    table = _table(f"项目 {len(rows)} 个", "编号", "项目", "实施单位", "文档", "最低关联分")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _indicator_matrix(matrix: Matrix | None) -> Table | None:
    """The indicator matrix of :mod:`jixiao.store.views` as a table."""
    if matrix is None:
        return None
    table = _table(
        "绩效指标（年度指标值 → 实际完成值  得分/分值）", "一级指标", "三级指标", *(doc_label(e) for e in matrix.columns)
    )
    for row in matrix.rows:
        table.add_row(row.level1, row.name, *(row.cells[e.id].text() if e.id in row.cells else "" for e in matrix.columns))
    return table


@app.command("show")
def show_cmd(
    project: Annotated[str, typer.Argument(help="项目编号（P3）、文档编号（D12）或项目名称")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """一个项目的时间线：申报目标、自评得分、评价结论与检查结果。"""
    engine = _engine(db)
    ensure_linked(engine)
    with engine.connect() as conn:
        found = resolve_project(conn, project)
        if len(found) > 1:
            names = "；".join(f"P{p.id} {p.name}（{p.unit or '单位未知'}）" for p in found[:10])
            raise _fail(f"「{project}」对应多个项目：{names}。请用编号")
        if not found:
            raise _fail(f"没有找到项目「{project}」（用 jixiao projects 查看）")
        p = found[0]
        docs = load_documents(conn, [d.id for d in p.documents])
    if as_json:
        _print_json(
            {
                **p.to_dict(),
                "documents": [
                    {**e.to_dict(), "document": to_v1(docs[e.id])} for e in p.documents if e.id in docs
                ],
            }
        )
        return
    out.print(
        f"[bold]P{p.id} {p.name}[/bold]  实施单位：{p.unit or '—'}  主管部门：{p.department or '—'}",
        highlight=False,
    )
    timeline = _table("时间线", "年度", "类型", "文档", "印刷名称", "要点", "检查", "关联")
    for e in p.documents:
        doc = docs[e.id]
        link = f"{e.score:.2f} {e.reason}" if e.method not in (None, "first") and e.score is not None else "—"
        timeline.add_row(
            str(e.year or "?"),
            KIND_TITLE[e.kind],
            f"D{e.id} {Path(e.path).name if e.path else ''}".strip(),
            e.name,
            headline(doc),
            str(len(doc.findings)) if doc.findings else "",
            link,
        )
    out.print(timeline)
    matrix = _indicator_matrix(indicator_matrix(p.documents, docs))
    if matrix is not None:
        out.print(matrix)
    for e in p.documents:
        doc = docs[e.id]
        if isinstance(doc, EvaluationResult):
            for title, items in (
                ("存在问题", doc.problems),
                ("整改建议", doc.suggestions),
                ("整改情况", doc.rectification),
            ):
                if items:
                    out.print(f"{e.year} 评价·{title}：", highlight=False)
                    for n, item in enumerate(items, 1):
                        out.print(f"  {n}. {item}", highlight=False)
    flagged = [(e, f) for e in p.documents for f in docs[e.id].findings]
    if flagged:
        out.print(f"检查结果 {len(flagged)} 条：")
        for e, f in flagged:
            out.print(f"  {e.year} {KIND_SHORT[e.kind]} {f.render()}", highlight=False)


# --- export -------------------------------------------------------------------------------------------------------


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
    bom: Annotated[bool, typer.Option("--bom/--no-bom", help="CSV 带 UTF-8 BOM（Excel 据此识别编码）")] = True,
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
            raise _fail(f"没有可导出的文档（{fmt} 格式只导出{'、'.join(KIND_TITLE[k] for k in KIND_TITLE if _writes(fmt, k))}；请检查 --project/--kind/--year）")
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

SUMMARY_ROWS = 50  # cross-year projects listed by summary (the rest: jixiao projects --linked)


@app.command("summary")
def summary_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """库内概况：各类型、各年度文档数，跨年度关联的项目，检查结果，得分最低与问题最多的项目。"""
    engine = _engine(db)
    ensure_linked(engine)
    with engine.connect() as conn:
        s = summarise(conn)
        multi = projects_across_years(conn, SUMMARY_ROWS)
    if as_json:
        _print_json(s.to_dict())
        return
    years = sorted({y for _k, y in s.documents if y is not None})
    docs = _table(
        f"文档 {sum(s.documents.values())} 份，来自 {s.files} 个文件", "类型", *map(str, years), "合计"
    )
    for kind in KIND_SHORT:
        counts = [s.documents.get((kind, y), 0) for y in years]
        if any(counts) or s.documents.get((kind, None)):
            docs.add_row(
                KIND_TITLE[kind],
                *(str(n or "") for n in counts),
                str(sum(n for (k, _y), n in s.documents.items() if k == kind)),
            )
    out.print(docs)
    title = f"项目 {s.projects} 个，其中跨年度关联 {s.across_years} 个、跨类型 {s.across_kinds} 个"
    linked = _table(title, "编号", "项目", "文档", "最低关联分")
    for p in multi:
        scores = [d.score for d in p.documents if d.score is not None]
        linked.add_row(
            f"P{p.id}",
            p.name,
            _doc_labels(p.documents),
            f"{min(scores):.2f}" if scores else "",
        )
    out.print(linked)
    if s.across_years > len(multi):
        out.print(f"……另有 {s.across_years - len(multi)} 个跨年度项目（jixiao projects --linked 查看）", highlight=False)
    sev = s.findings
    out.print(
        f"检查结果：错误 {sev.get('error', 0)} 条，警告 {sev.get('warning', 0)} 条，提示 {sev.get('info', 0)} 条"
        + (f"；最常见：{'、'.join(f'{c}×{n}' for c, n in s.codes)}" if s.codes else ""),
        highlight=False,
    )
    low = _table("得分最低的项目（最近一次自评或评价）", "编号", "项目", "年度", "来源", "得分")
    for lp in s.lowest:
        low.add_row(
            f"P{lp.project_id}",
            lp.name,
            str(lp.year or "?"),
            KIND_SHORT[lp.kind],
            f"{fmt(lp.score)}/{fmt(lp.out_of)}",
        )
    out.print(low)
    if s.most_flagged:
        flag = _table("检查问题最多的项目", "编号", "项目", "错误", "警告", "提示")
        for fp in s.most_flagged:
            flag.add_row(f"P{fp.project_id}", fp.name, str(fp.errors), str(fp.warnings), str(fp.infos))
        out.print(flag)
