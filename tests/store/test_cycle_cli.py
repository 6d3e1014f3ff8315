"""`jixiao users demo` and the first admin `jixiao serve` makes on an empty store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.cli.serve import FIRST_ADMIN, first_admin
from jixiao.cycle.access import Role
from jixiao.store import sessions
from jixiao.store.people import authenticate, get_user, list_users, load_tree


def test_users_demo_seeds_one_account_per_role(engine: Engine, db_url: str) -> None:
    got = CliRunner().invoke(app, ["users", "demo", "--db", db_url])
    assert got.exit_code == 0, got.output
    lines = [ln.split() for ln in got.output.splitlines()[1:] if ln.strip()]
    assert {Role(ln[2].split("@")[0]) for ln in lines} == set(Role)  # every role once at least
    login, password = lines[0][0], lines[0][1]
    assert authenticate(engine, login, password) is not None
    assert load_tree(engine)["DJ"].name == "上海市党建服务中心"
    again = CliRunner().invoke(app, ["users", "demo", "--db", db_url])
    assert again.exit_code == 0
    assert again.output.count("已存在") == len(lines)
    assert authenticate(engine, login, password) is not None  # a second run changes no password


def test_first_admin_on_an_empty_store_only(engine: Engine) -> None:
    token = first_admin(engine)
    assert token is not None
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)
    admin = get_user(engine, FIRST_ADMIN)
    assert admin is not None
    assert not admin.has_password
    assert {g.role for g in admin.grants} == {Role.SYSTEM_ADMIN, Role.PERFORMANCE_ADMIN}
    assert first_admin(engine) is None  # never a second one
    assert [u.login for u in list_users(engine)] == [FIRST_ADMIN]
    now = dt.datetime.now(dt.UTC)
    assert (who := sessions.use_login_link(engine, token, now)) is not None
    assert who.login == FIRST_ADMIN
    assert sessions.use_login_link(engine, token, now) is None
