"""`jixiao serve`: the web application over the store, under uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
from sqlalchemy import Engine

from jixiao.cli.app import app, err, out
from jixiao.store import StoreError, resolve_url
from jixiao.store.engine import open_engine, open_store

FIRST_ADMIN = "admin"
ROOT_ORG = ("ROOT", "财政局")  # the tree's root when a store has none yet (renamed by the first orgs import)


def first_admin(engine: Engine) -> str | None:
    """On a store without users: the first administrator (系统管理 and 绩效管理 over the root of the tree) and a
    one-time login link token for them; None when the store already has a user."""
    import datetime as dt

    from jixiao.cycle.access import Grant, Role
    from jixiao.cycle.orgs import Org, OrgKind
    from jixiao.store.people import add_user, any_users, import_orgs, load_tree
    from jixiao.store.sessions import create_login_link

    if any_users(engine):
        return None
    tree = load_tree(engine)
    roots = sorted(o.code for o in tree.orgs.values() if o.parent is None)
    if not roots:
        import_orgs(engine, [Org(ROOT_ORG[0], ROOT_ORG[1], OrgKind.FINANCE)], actor="serve")
        roots = [ROOT_ORG[0]]
    grants = [Grant(role, root) for root in roots for role in (Role.SYSTEM_ADMIN, Role.PERFORMANCE_ADMIN)]
    user = add_user(engine, FIRST_ADMIN, "管理员", grants, actor="serve")
    return create_login_link(engine, user.id, dt.datetime.now(dt.UTC))


@app.command("serve")
def serve_cmd(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="工作进程数")] = 1,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="只读发布：不接受上传，不能合并/拆分项目")
    ] = False,
) -> None:
    """在浏览器中浏览库内文档（工作台、项目库、项目档案、官方表样、问题清单、仪表盘），每页都有 JSON。"""
    import uvicorn

    url = resolve_url(db)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    try:  # open (and migrate) once here, so that a bad store is one line before the server starts
        engine = open_store(url, write=False) if read_only else open_engine(url)
        link = None if read_only else first_admin(engine)
        engine.dispose()
    except StoreError as exc:
        err.print(f"[red]错误[/red]：{exc}", highlight=False)
        raise typer.Exit(2) from exc
    if link is not None:
        out.print(
            f"库中还没有用户：已创建管理员 {FIRST_ADMIN}（系统管理、绩效管理）。"
            f"一次性登录链接（24 小时内有效，只能用一次）：http://{shown}:{port}/login/once/{link}",
            highlight=False,
        )
    os.environ["JIXIAO_DB"] = url
    os.environ["JIXIAO_READ_ONLY"] = "1" if read_only else ""
    os.environ.setdefault("JIXIAO_CSRF_SECRET", secrets.token_hex(32))  # one secret for every worker
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
