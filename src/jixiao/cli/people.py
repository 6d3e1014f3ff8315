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


# The demo tree: the bundled seeds' bureau, department and units (so that the demo unit's declaration is in the
# store after `jixiao ingest --samples`), and one account per role.
DEMO_ORGS = """编码,名称,类型,上级编码,归口处室
SH,上海市财政局,财政局,,
SH-JK,上海市财政局行政政法处,业务处室,SH,
ZZB,中共上海市委组织部,主管部门,SH,SH-JK
DJ,上海市党建服务中心,实施单位,ZZB,
GB,上海市干部教育中心,实施单位,ZZB,
"""
DEMO_ACCOUNTS = (
    ("danwei", "党建服务中心填报员", "单位填报", "DJ"),
    ("danwei2", "干部教育中心填报员", "单位填报", "GB"),
    ("bumen", "组织部审核员", "主管部门审核", "ZZB"),
    ("caizheng", "行政政法处审核员", "财政审核", "SH-JK"),
    ("jixiao", "绩效管理员", "绩效管理", "SH"),
    ("chayue", "审计查阅员", "查阅", "SH"),
    ("xitong", "系统管理员", "系统管理", "SH"),
)


def demo_password() -> str:
    """A random password that meets the rules (letters and digits, 14 characters)."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(14))
        if not pw.isalpha() and not pw.isdigit():
            return pw


def seed_demo(engine: object) -> list[tuple[str, str, str, str | None]]:
    """The demo tree, one account per role (new random passwords; an existing account is kept as it is) and
    a self-evaluation campaign for each year a demo unit's declaration is stored for.

    Returns (login, name, role@org, password or None when the account existed)."""
    import datetime as dt

    from sqlalchemy import Engine, select

    from jixiao.cycle.access import Grant, Role
    from jixiao.cycle.orgs import read_rows
    from jixiao.store import campaigns, schema
    from jixiao.store.people import add_user, get_user, import_orgs, load_tree

    assert isinstance(engine, Engine)
    import_orgs(engine, read_rows(DEMO_ORGS, "演示组织"), actor=_actor())
    made: list[tuple[str, str, str, str | None]] = []
    for login, name, role, org in DEMO_ACCOUNTS:
        if get_user(engine, login) is not None:
            made.append((login, name, f"{role}@{org}", None))
            continue
        pw = demo_password()
        add_user(engine, login, name, [Grant(Role(role), org)], password=pw, actor=_actor())
        made.append((login, name, f"{role}@{org}", pw))
    d, o = schema.documents, schema.organisations
    names = [row.split(",")[1] for row in DEMO_ORGS.splitlines()[1:]]
    with engine.connect() as conn:
        years = sorted({
            int(y) for y in conn.execute(
                select(d.c.year).join(o, o.c.id == d.c.unit_id)
                .where(d.c.kind == "target_declaration", d.c.year.is_not(None), o.c.name.in_(names))
            ).scalars()
        })  # fmt: skip
    admin = get_user(engine, "jixiao")
    assert admin is not None
    today = dt.date.today()
    for year in years:
        if campaigns.find_campaign(engine, year, "self_evaluation") is None:
            campaigns.create_campaign(
                engine, year=year, kind="self_evaluation", starts_on=today,
                deadline=today + dt.timedelta(days=30), actor=admin.actor(), tree=load_tree(engine),
            )  # fmt: skip
    return made


@users_app.command("demo")
def users_demo(db: DbOption = None) -> None:
    """演示账户：导入演示组织树（与内置样例的单位对应），每个角色一个账户，并打印登录名与密码。"""
    from jixiao.store.engine import open_store

    engine = open_store(db, write=True, create=True)
    try:
        made = seed_demo(engine)
    finally:
        engine.dispose()
    out.print("演示账户（密码只显示这一次）：", highlight=False)
    for login, name, role, pw in made:
        out.print(f"  {login}\t{pw or '（已存在，密码未改）'}\t{role}\t{name}", highlight=False)
