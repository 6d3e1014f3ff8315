"""`jixiao users …` and `jixiao orgs …`: thin over :mod:`jixiao.store.people` and :mod:`jixiao.cycle`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import app, err, out

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="JIXIAO_DB", help="数据库：SQLAlchemy URL 或 SQLite 文件（默认 ./jixiao.db）"
    ),
]
ACTOR = "cli"  # audit entries from the command line name the operating-system user too

users_app = typer.Typer(no_args_is_help=True, help="用户与角色：添加、列出、停用用户，签发 API 令牌。")
orgs_app = typer.Typer(
    no_args_is_help=True, help="组织树：从 CSV 导入（编码,名称,类型,上级编码[,归口处室]）并列出。"
)
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="orgs")


def _actor() -> str:
    try:
        return f"{ACTOR}:{getpass.getuser()}"
    except Exception:
        return ACTOR


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]错误[/red]：{message}", highlight=False)
    return typer.Exit(1)


@users_app.command("add")
def users_add(
    login: Annotated[str, typer.Argument(help="登录名")],
    role: Annotated[
        list[str],
        typer.Option("--role", "-r", help="角色@组织编码，如 单位填报@U1、主管部门审核@D1（可重复）"),
    ],
    name: Annotated[str, typer.Option("--name", help="姓名（默认同登录名）")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码")] = False,
    db: DbOption = None,
) -> None:
    """添加用户并授予角色；不给密码时用户须经一次性链接设置。"""
    from jixiao.cycle.access import Grant, Role
    from jixiao.cycle.passwords import PasswordError
    from jixiao.store.engine import open_store
    from jixiao.store.people import add_user

    grants: list[Grant] = []
    roles = {r.value: r for r in Role}
    for item in role:
        title, _, org = item.partition("@")
        if title not in roles or not org:
            raise _fail(f"角色“{item}”应写作 角色@组织编码，角色为 {'、'.join(roles)} 之一")
        grants.append(Grant(roles[title], org))
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    engine = open_store(db, write=True, create=True)
    try:
        user = add_user(engine, login, name, grants, password=password, actor=_actor())
    except PasswordError as exc:
        raise _fail(str(exc)) from exc
    finally:
        engine.dispose()
    out.print(
        f"已添加用户 {user.login}（{user.name}）：{'、'.join(f'{g.role}@{g.org}' for g in user.grants)}",
        highlight=False,
    )


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """列出用户、角色与状态。"""
    from jixiao.store.engine import open_store
    from jixiao.store.people import list_users

    engine = open_store(db, write=False)
    try:
        users = list_users(engine)
    finally:
        engine.dispose()
    if not users:
        out.print("库中还没有用户（jixiao users add 添加）。", highlight=False)
    for u in users:
        state = "已停用" if u.disabled else ("可登录" if u.has_password else "待设置密码")
        roles = "、".join(f"{g.role}@{g.org}" for g in u.grants) or "无角色"
        out.print(f"{u.login}\t{u.name}\t{state}\t{roles}", highlight=False)


@users_app.command("disable")
def users_disable(
    login: Annotated[str, typer.Argument(help="登录名")],
    reason: Annotated[str, typer.Option("--reason", help="停用原因（记入审计日志）")] = "",
    db: DbOption = None,
) -> None:
    """停用用户（不删除：审计日志仍指向他），并吊销其 API 令牌。"""
    from jixiao.store.engine import open_store
    from jixiao.store.people import disable_user

    engine = open_store(db, write=True)
    try:
        disable_user(engine, login, actor=_actor(), reason=reason)
    finally:
        engine.dispose()
    out.print(f"已停用用户 {login}。", highlight=False)


@users_app.command("token")
def users_token(
    login: Annotated[str, typer.Argument(help="登录名")],
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="有效天数")] = 90,
    purpose: Annotated[str, typer.Option("--purpose", help="用途（记入审计日志）")] = "",
    db: DbOption = None,
) -> None:
    """为用户签发 API 令牌（只显示这一次；库中只存其 SHA-256）。"""
    from jixiao.store.engine import open_store
    from jixiao.store.people import issue_token

    engine = open_store(db, write=True)
    try:
        token = issue_token(engine, login, days=days, purpose=purpose, actor=_actor())
    finally:
        engine.dispose()
    sys.stdout.write(token + "\n")
    err.print(f"令牌有效 {days} 天；请妥善保存，它不会再次显示。", highlight=False)


@orgs_app.command("import")
def orgs_import(
    file: Annotated[Path, typer.Argument(help="CSV：编码,名称,类型,上级编码[,归口处室]（UTF-8 或 GB18030）")],
    db: DbOption = None,
) -> None:
    """导入组织：新增或修改（可只导入一部分），不删除已有组织；导入后的组织树须完整，否则完全不导入。"""
    from jixiao.cycle.orgs import OrgError, read_rows
    from jixiao.readers.base import ReadError
    from jixiao.readers.decode import decode_text
    from jixiao.store.engine import open_store
    from jixiao.store.people import import_orgs

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"{file}：无法读取（{exc.strerror or exc}）") from exc
    try:
        orgs = read_rows(decode_text(data, str(file)).text, str(file))
    except (OrgError, ReadError) as exc:
        raise _fail(str(exc)) from exc
    engine = open_store(db, write=True, create=True)
    try:
        added, changed = import_orgs(engine, orgs, actor=_actor())
    finally:
        engine.dispose()
    out.print(f"已导入组织 {len(orgs)} 个：新增 {added}，修改 {changed}。", highlight=False)


@orgs_app.command("list")
def orgs_list(db: DbOption = None) -> None:
    """按层级列出组织树。"""
    from jixiao.store.engine import open_store
    from jixiao.store.people import load_tree

    engine = open_store(db, write=False)
    try:
        tree = load_tree(engine)
    finally:
        engine.dispose()
    children: dict[str | None, list[str]] = {}
    for org in tree.orgs.values():
        children.setdefault(org.parent, []).append(org.code)

    def show(code: str, depth: int) -> None:
        org = tree[code]
        extra = f"（归口 {org.division}）" if org.division else ""
        out.print(f"{'  ' * depth}{org.code} {org.name} [{org.kind.value}]{extra}", highlight=False)
        for child in sorted(children.get(code, [])):
            show(child, depth + 1)

    for root in sorted(children.get(None, [])):
        show(root, 0)
    if not tree.orgs:
        out.print("库中还没有组织（jixiao orgs import FILE.csv 导入）。", highlight=False)
