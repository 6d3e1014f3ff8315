"""`jixiao projects`, `show` and `summary`: thin over :mod:`jixiao.store`, and what the store's commands share.

These read the store only: they import no parser, rule or exporter (and ``summary`` and ``projects`` not the
document model either: only ``show`` prints documents), so that they answer quickly
(`ingest`, `link` and `export` are :mod:`jixiao.cli.ingest`'s)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import Engine

if TYPE_CHECKING:
    from jixiao.store.views import Matrix

from jixiao.cli.app import app, err, out
from jixiao.jsontext import indented_json as indented_json
from jixiao.store import StoreError
from jixiao.store.engine import open_store
from jixiao.store.query import (
    KIND_SHORT,
    KIND_TITLE,
    DocumentEntry,
    doc_label,
    fmt,
    iter_projects,
    load_documents,
    projects_across_years,
    resolve_project,
    unlinked,
)
from jixiao.store.report import summarise
from jixiao.store.search import snapshot

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


def ensure_linked(engine: Engine) -> None:
    """Link the current documents that have no project yet (an ingest stopped before it linked); the linker
    is imported only then.  Maintained figures that hold the store (:func:`jixiao.store.search.snapshot`) were
    refreshed after the last link, so none is missing and the count, a scan of every document, is skipped."""
    with engine.connect() as conn:
        missing = 0 if snapshot(conn)[1] else unlinked(conn)
    if missing:
        from jixiao.store.link import link_documents

        link_documents(engine, ())


def _print_json(data: Any) -> None:
    sys.stdout.write(indented_json(data) + "\n")


def _stream_json(items: Iterable[Any]) -> None:
    """A JSON array written item by item, the same text :func:`_print_json` gives for the whole list."""
    write = sys.stdout.write
    first = True
    for item in items:
        write(("[\n " if first else ",\n ") + indented_json(item, 1))
        first = False
    write("[]\n" if first else "\n]\n")


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
                f"{min(scores):.2f}"
                if len(p.documents) > 1 and (scores := [d.score for d in p.documents if d.score is not None])
                else "",
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
        "绩效指标（年度指标值 → 实际完成值  得分/分值）",
        "一级指标",
        "三级指标",
        *(doc_label(e) for e in matrix.columns),
    )
    for row in matrix.rows:
        table.add_row(
            row.level1,
            row.name,
            *(row.cells[e.id].text() if e.id in row.cells else "" for e in matrix.columns),
        )
    return table


@app.command("show")
def show_cmd(
    project: Annotated[str, typer.Argument(help="项目编号（P3）、文档编号（D12）或项目名称")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """一个项目的时间线：申报目标、自评得分、评价结论与检查结果。"""
    from jixiao.model import EvaluationResult, to_v1  # (the one read command that prints documents)
    from jixiao.store.views import headline, indicator_matrix

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


SUMMARY_ROWS = 50  # cross-year projects listed by summary (the rest: jixiao projects --linked)


@app.command("summary")
def summary_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """库内概况：各类型、各年度文档数，跨年度关联的项目，检查结果，得分最低与问题最多的项目。"""
    engine = _engine(db)
    with engine.connect() as conn:
        _gen, fresh = snapshot(
            conn
        )  # fresh figures: every current document is linked (the refresh follows it)
    if not fresh:
        ensure_linked(engine)
    with engine.connect() as conn:
        s = summarise(conn, fresh=fresh)
        multi = projects_across_years(conn, SUMMARY_ROWS, fresh=fresh)
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
        out.print(
            f"……另有 {s.across_years - len(multi)} 个跨年度项目（jixiao projects --linked 查看）",
            highlight=False,
        )
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
