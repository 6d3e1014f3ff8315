"""`jixiao db check` and `jixiao db upgrade`: thin over :mod:`jixiao.store.integrity`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from jixiao.cli.app import app, err, out

db_app = typer.Typer(no_args_is_help=True, help="数据库维护：完整性检查与架构升级。")
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"
    ),
]


@db_app.command("check")
def check_cmd(
    db: DbOption = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="不重新计算原始文件的 SHA-256（只比对大小）")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """检查数据库：SQLite 完整性检查（PostgreSQL 为系统目录检查）与库内约束（每份文档都有原始文件，每条检查结果都有文档）。

    退出码：0 通过；1 发现问题；2 无法打开数据库。
    """
    from jixiao.store.engine import open_store
    from jixiao.store.integrity import check_store

    engine = open_store(db, write=False, verify=False)
    try:
        report = check_store(engine, hashes=not quick)
    finally:
        engine.dispose()
    if as_json:
        data = {"ok": report.ok, "problems": report.problems, "notes": report.notes, "counts": report.counts}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        for line in report.problems:
            err.print(f"[red]问题[/red]：{line}", highlight=False)
        for line in report.notes:
            out.print(f"提示：{line}", highlight=False)
        c = report.counts
        summary = (
            f"原始文件 {c.get('source_files', 0)} 个，文档 {c.get('documents', 0)} 份，"
            f"检查结果 {c.get('findings', 0)} 条，项目 {c.get('projects', 0)} 个"
        )
        if report.ok:
            out.print(f"数据库检查通过：{summary}。", highlight=False)
        else:
            err.print(f"数据库检查未通过：{len(report.problems)} 类问题（{summary}）。", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@db_app.command("upgrade")
def upgrade_cmd(db: DbOption = None) -> None:
    """把数据库架构升级到本程序的版本（Alembic 迁移；已是最新时什么也不做）。"""
    from jixiao.store.engine import open_store
    from jixiao.store.integrity import upgrade_store

    engine = open_store(db, write=True, verify=False)
    try:
        before, after = upgrade_store(engine)
    finally:
        engine.dispose()
    if before == after:
        out.print(f"数据库架构已是最新版本（{after}），无需升级。", highlight=False)
    else:
        out.print(f"数据库架构已从 {before or '（空）'} 升级到 {after}。", highlight=False)
