"""`jixiao rm`: thin over :mod:`jixiao.store.remove`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jixiao.cli.app import app, err, out

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"
    ),
]


@app.command("rm")
def rm_cmd(
    refs: Annotated[
        list[str], typer.Argument(help="要删除的：文档 D12、项目 P3、入库时的文件路径或 SHA-256（至少 8 位）")
    ],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="确认删除（不加时只列出将删除的内容）")] = False,
    purge: Annotated[
        bool,
        typer.Option(
            "--purge", help="同时删除原始文件内容（默认保留，以便查看；该文件的文档全部删除时才生效）"
        ),
    ] = False,
) -> None:
    """从库中删除文档、文件或项目（默认只列出将删除的内容，加 --yes 才删除）。

    删除记录在入库日志中；原始文件默认保留，同一文件再次入库不会重新生成已删除的文档（加 --purge 则连原始文件一起删除，之后可重新入库）。
    """
    from jixiao.store.engine import open_store
    from jixiao.store.remove import RemoveError, plan_removal, remove

    engine = open_store(db, write=yes, create=False)
    try:
        try:
            if yes:
                plan = remove(
                    engine, refs, purge=purge, args=sys.argv[2:] if len(sys.argv) > 2 else list(refs)
                )
            else:
                with engine.connect() as conn:
                    plan = plan_removal(conn, refs, purge=purge)
                    conn.rollback()
        except RemoveError as exc:
            err.print(f"[red]错误[/red]：{exc}", highlight=False)
            raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    for sha, ids in plan.documents.items():
        keep = "原始文件一并删除" if sha in plan.purged else "原始文件保留"
        out.print(f"{plan.names.get(sha, sha[:12])}（{keep}）：", highlight=False)
        for i in ids:
            out.print(f"  {plan.labels[i]}", highlight=False)
    if yes:
        out.print(
            f"已删除 {plan.document_count} 份文档（{len(plan.documents)} 个文件），已记入入库日志。",
            highlight=False,
        )
    else:
        out.print(
            f"将删除 {plan.document_count} 份文档（{len(plan.documents)} 个文件）；这是预演，加 --yes 才真正删除。",
            highlight=False,
        )
