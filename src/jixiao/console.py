"""The console script (``jixiao``) and ``python -m jixiao``: ``jixiao show`` is answered here first, without
the Typer app, SQLAlchemy or the document model, so that it answers in a fraction of their start-up; whatever
this path is not sure of, and every other command, goes to the app (:mod:`jixiao.cli`).  (A module outside
:mod:`jixiao.cli`, whose package imports the app.)

``show`` reads the store through the driver (:mod:`jixiao.store.light`) and prints exactly what
:func:`jixiao.cli.store.show_cmd` prints (tests compare the two over the same stores).  Whatever it is not sure
of (options it does not know, ``--help`` included; a store that is not plainly healthy; documents left unlinked;
a name matching no project or several) is left to the full command (:func:`run` returns None), which prints its
help, its errors and their exit codes as it always has."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jixiao.store import light


def main() -> None:
    if sys.argv[1:2] == ["show"]:
        code = run(sys.argv[2:])
        if code is not None:
            raise SystemExit(code)
    from jixiao.cli import app

    app()


def parse(argv: Sequence[str]) -> tuple[str, str | None, bool] | None:
    """``PROJECT [--db DB] [--json]`` in any order (``--db=DB`` too); None for anything else."""
    project: str | None = None
    db: str | None = None
    as_json = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--json":
            as_json = True
        elif arg == "--db":
            if i + 1 >= len(argv) or argv[i + 1].startswith("-") or db is not None:
                return None
            db = argv[i + 1]
            i += 1
        elif arg.startswith("--db=") and db is None:
            db = arg[len("--db=") :]
        elif arg.startswith("-") or project is not None:
            return None
        else:
            project = arg
        i += 1
    if project is None:
        return None
    return project, db if db is not None else (os.environ.get(light.ENV_VAR) or None), as_json


def gather(db: str | None, ref: str) -> tuple[dict[str, Any], dict[int, dict[str, Any]]] | None:
    """The project ``ref`` names and its documents (v1), or None when the full command must answer."""
    try:
        with light.open_reader(db) as reader:
            fresh = light.facts_fresh(reader)
            if not fresh and light.unlinked(reader):
                return None  # the full command links them first
            found = light.entries(reader, light.project_ids(reader, ref), fresh=fresh)
            if len(found) != 1:
                return None  # none or several: the full command's messages
            project = found[0]
            return project, light.load_documents(reader, [d["id"] for d in project["documents"]])
    except light.Unsure:
        return None


def run(argv: Sequence[str]) -> int | None:
    """``jixiao show argv``: the exit status, or None when the full command is to run instead."""
    parsed = parse(argv)
    if parsed is None:
        return None
    ref, db, as_json = parsed
    got = gather(db, ref)
    if got is None:
        return None
    project, docs = got
    if as_json:
        print_json(project, docs)
    else:
        print_text(project, docs)
    return 0


def print_json(p: dict[str, Any], docs: dict[int, dict[str, Any]]) -> None:
    from jixiao.jsontext import indented_json

    data = {**p, "documents": [{**e, "document": docs[e["id"]]} for e in p["documents"] if e["id"] in docs]}
    sys.stdout.write(indented_json(data) + "\n")


def _table(title: str, *columns: str) -> Any:
    """cli.store._table: a table whose long Chinese names wrap instead of being cut off."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def print_text(p: dict[str, Any], docs: dict[int, dict[str, Any]]) -> None:
    """What show_cmd prints: the project, its timeline, the indicator matrix, the evaluations' problems and
    suggestions, and the findings."""
    from rich.console import Console

    out = Console(soft_wrap=True)
    entries = p["documents"]
    out.print(
        f"[bold]P{p['id']} {p['name']}[/bold]  实施单位：{p['unit'] or '—'}  主管部门：{p['department'] or '—'}",
        highlight=False,
    )
    timeline = _table("时间线", "年度", "类型", "文档", "印刷名称", "要点", "检查", "关联")
    for e in entries:
        doc = docs[e["id"]]
        link = (
            f"{e['score']:.2f} {e['reason']}"
            if e["method"] not in (None, "first") and e["score"] is not None
            else "—"
        )
        name = Path(e["path"]).name if e["path"] else ""
        timeline.add_row(
            str(e["year"] or "?"),
            light.KIND_TITLE[e["kind"]],
            f"D{e['id']} {name}".strip(),
            e["name"],
            light.headline(doc),
            str(len(doc.get("findings", []))) if doc.get("findings") else "",
            link,
        )
    out.print(timeline)
    matrix = light.indicator_matrix(entries, docs)
    if matrix is not None:
        cols, rows = matrix
        table = _table(
            "绩效指标（年度指标值 → 实际完成值  得分/分值）",
            "一级指标",
            "三级指标",
            *(light.doc_label(e) for e in cols),
        )
        for level1, name, cells in rows:
            table.add_row(level1, name, *(cells.get(e["id"], "") for e in cols))
        out.print(table)
    for e in entries:
        doc = docs[e["id"]]
        if doc["kind"] == "evaluation_result":
            for title, key in (
                ("存在问题", "problems"),
                ("整改建议", "suggestions"),
                ("整改情况", "rectification"),
            ):
                if doc[key]:
                    out.print(f"{e['year']} 评价·{title}：", highlight=False)
                    for n, item in enumerate(doc[key], 1):
                        out.print(f"  {n}. {item}", highlight=False)
    flagged = [(e, f) for e in entries for f in docs[e["id"]].get("findings", [])]
    if flagged:
        out.print(f"检查结果 {len(flagged)} 条：")
        for e, f in flagged:
            out.print(f"  {e['year']} {light.KIND_SHORT[e['kind']]} {light.finding_text(f)}", highlight=False)
