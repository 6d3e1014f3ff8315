"""`jixiao serve`: the web application over the store, under uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from jixiao.cli.app import app, err, out
from jixiao.store import StoreError, resolve_url
from jixiao.store.engine import open_engine, open_store


@app.command("serve")
def serve_cmd(
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="工作进程数")] = 1,
    read_only: Annotated[bool, typer.Option("--read-only", help="只读发布：不接受上传，不能合并/拆分项目")] = False,
) -> None:
    """在浏览器中浏览库内文档（工作台、项目库、项目档案、官方表样、问题清单、仪表盘），每页都有 JSON。"""
    import uvicorn

    url = resolve_url(db)
    try:  # open (and migrate) once here, so that a bad store is one line before the server starts
        engine = open_store(url, write=False) if read_only else open_engine(url)
        engine.dispose()
    except StoreError as exc:
        err.print(f"[red]错误[/red]：{exc}", highlight=False)
        raise typer.Exit(2) from exc
    os.environ["JIXIAO_DB"] = url
    os.environ["JIXIAO_READ_ONLY"] = "1" if read_only else ""
    os.environ.setdefault("JIXIAO_CSRF_SECRET", secrets.token_hex(32))  # one secret for every worker
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"jixiao 网页：http://{shown}:{port}/ （Ctrl-C 停止）", highlight=False)
    uvicorn.run(
        "jixiao.web.app:from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
