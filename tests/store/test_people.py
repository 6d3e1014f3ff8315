"""The cycle's people in the store, on SQLite and PostgreSQL: orgs import, users, grants, tokens, the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.cycle.access import Action, Grant, Role, Subject, can
from jixiao.cycle.orgs import read_rows
from jixiao.store.engine import StoreError
from jixiao.store.people import (
    add_user,
    audit_entries,
    authenticate,
    disable_user,
    import_orgs,
    issue_token,
    list_users,
    load_tree,
    token_user,
)
from tests.cycle.conftest import CITY


def test_orgs_users_tokens_and_audit(engine: Engine) -> None:
    assert import_orgs(engine, read_rows(CITY), actor="t") == (9, 0)
    assert import_orgs(engine, read_rows(CITY.replace("第一中学", "市第一中学")), actor="t") == (0, 1)
    tree = load_tree(engine)
    assert tree["U1"].name == "市第一中学"
    assert tree["D1"].division == "F1"

    alice = add_user(
        engine, "alice", "张三", [Grant(Role.UNIT_FILER, "U1")], password="correct horse 9", actor="t"
    )
    assert can(alice.actor(), Action.SAVE, Subject(unit="U1"), tree)
    with pytest.raises(StoreError, match="用户已存在"):
        add_user(engine, "alice", "", [], actor="t")
    with pytest.raises(StoreError, match="组织编码不存在：X"):
        add_user(engine, "bob", "", [Grant(Role.READER, "X")], actor="t")
    assert [u.login for u in list_users(engine)] == ["alice"]  # bob's failed add stored nothing

    assert authenticate(engine, "alice", "correct horse 9") is not None
    assert authenticate(engine, "alice", "wrong horse 9") is None
    assert authenticate(engine, "nobody", "correct horse 9") is None

    token = issue_token(engine, "alice", days=1, purpose="导入脚本", actor="t")
    assert token_user(engine, token) is not None
    assert token_user(engine, token, dt.datetime.now(dt.UTC) + dt.timedelta(days=2)) is None
    assert token_user(engine, token + "x") is None

    disable_user(engine, "alice", actor="t", reason="调离")
    assert authenticate(engine, "alice", "correct horse 9") is None
    assert token_user(engine, token) is None  # revoked with the user
    assert not list_users(engine)[0].actor().grants  # a disabled user's grants give nothing

    actions = [e["action"] for e in reversed(audit_entries(engine))]
    assert actions == ["orgs.import", "orgs.import", "user.add", "token.issue", "user.disable"]
    assert audit_entries(engine, "user:alice")[0]["reason"] == "调离"


def test_a_partial_import_joins_the_stored_tree_or_stores_nothing(engine: Engine) -> None:
    import_orgs(engine, read_rows(CITY), actor="t")
    # a part of a tree: a new unit under a stored one
    assert import_orgs(
        engine, read_rows("编码,名称,类型,上级编码\nU9,第一中学分校,实施单位,U1\n"), actor="t"
    ) == (1, 0)
    assert load_tree(engine)["U9"].parent == "U1"
    # D1 turned into a 处室 would leave its stored units under a division: refused as a whole
    bad = read_rows("编码,名称,类型,上级编码\nU8,新单位,实施单位,D2\nD1,某市教育局,业务处室,F\n")
    with pytest.raises(StoreError, match="实施单位不能位于业务处室之下"):
        import_orgs(engine, bad, actor="t")
    tree = load_tree(engine)
    assert "U8" not in tree
    assert tree["D1"].kind.value == "主管部门"
    with pytest.raises(StoreError, match="上级编码 X 不存在"):
        import_orgs(engine, read_rows("编码,名称,类型,上级编码\nU7,甲,实施单位,X\n"), actor="t")


def test_cli_users_and_orgs(tmp_path: Path) -> None:
    db = str(tmp_path / "jx.db")
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes(CITY.encode("gb18030"))  # what Excel on a Chinese Windows saves
    run = CliRunner().invoke
    r = run(app, ["orgs", "import", str(orgs), "--db", db])
    assert r.exit_code == 0, r.output
    assert "新增 9" in r.output
    r = run(app, ["users", "add", "li", "-r", "主管部门审核@D1", "--name", "李四", "--db", db])
    assert r.exit_code == 0, r.output
    r = run(app, ["users", "add", "wang", "-r", "审核@D1", "--db", db])
    assert r.exit_code == 1
    assert "角色@组织编码" in r.output
    r = run(app, ["users", "list", "--db", db])
    assert r.output.split() == ["li", "李四", "待设置密码", "主管部门审核@D1"]
    bad = tmp_path / "bad.csv"
    bad.write_text("编码,名称\nA,甲\n", encoding="utf-8")
    r = run(app, ["orgs", "import", str(bad), "--db", db])
    assert r.exit_code == 1
    assert "缺少列" in r.output
    assert str(bad) in r.output
