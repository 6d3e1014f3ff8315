"""The cycle's drafts, sessions, throttle and campaigns in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine, func, select

from jixiao.cycle.access import Action, Grant, Role
from jixiao.cycle.orgs import OrgTree, read_rows
from jixiao.cycle.workflow import State, snapshot
from jixiao.store import campaigns, drafts, schema, sessions
from jixiao.store.people import User, add_user, import_orgs, load_tree
from tests.cycle.conftest import CITY

PW = "correct horse 9"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _people(engine: Engine) -> tuple[OrgTree, dict[str, User]]:
    import_orgs(engine, read_rows(CITY), actor="t")
    spec = {
        "u1": [Grant(Role.UNIT_FILER, "U1")],
        "u2": [Grant(Role.UNIT_FILER, "U2")],
        "d1": [Grant(Role.DEPARTMENT_REVIEWER, "D1")],
        "f1": [Grant(Role.FINANCE_REVIEWER, "F1")],
        "adm": [Grant(Role.PERFORMANCE_ADMIN, "F")],
    }
    users = {login: add_user(engine, login, login, g, actor="t") for login, g in spec.items()}
    return load_tree(engine), users


BODY = {
    "kind": "self_evaluation",
    "year": 2025,
    "project": "测试项目",
    "indicators": [{"name": "课时", "actual": None}],
}


def _body(actual: str) -> dict[str, object]:
    return {**BODY, "indicators": [{"name": "课时", "actual": actual}]}


def test_draft_versions_stale_save_and_the_whole_workflow(engine: Engine) -> None:
    tree, us = _people(engine)
    u1, u2, d1, f1, adm = (us[k].actor() for k in ("u1", "u2", "d1", "f1", "adm"))
    refused = drafts.create(
        engine, org="U1", project="p", kind="self_evaluation", year=2025, body=BODY, actor=u2, tree=tree
    )
    assert isinstance(refused, drafts.Refused)
    assert refused.status == 403
    d = drafts.create(
        engine,
        org="U1",
        project="测试项目",
        kind="self_evaluation",
        year=2025,
        body=BODY,
        actor=u1,
        tree=tree,
    )
    assert isinstance(d, drafts.Draft)
    assert d.state is State.DRAFT
    assert d.version == 1

    first = drafts.save(engine, d.id, _body("40"), expected=1, actor=u1, tree=tree)
    assert isinstance(first, drafts.Saved)
    assert first.draft.version == 2
    again = drafts.save(engine, d.id, _body("40"), expected=2, actor=u1, tree=tree)
    assert isinstance(again, drafts.Saved)
    assert not again.changed
    assert again.draft.version == 2
    stale = drafts.save(engine, d.id, _body("41"), expected=1, actor=u1, tree=tree)  # a second tab
    assert isinstance(stale, drafts.Stale)
    assert stale.current.version == 2
    assert stale.current.document()["indicators"][0]["actual"] == "40"
    assert "第 2 版" in stale.reason
    other = drafts.save(engine, d.id, _body("41"), expected=2, actor=u2, tree=tree)
    assert isinstance(other, drafts.Refused)
    assert other.status == 404  # another unit's draft does not exist for u2

    assert isinstance(drafts.act(engine, d.id, Action.SUBMIT, actor=u1, tree=tree, errors=1), drafts.Refused)
    sub = drafts.act(engine, d.id, Action.SUBMIT, actor=u1, tree=tree)
    assert isinstance(sub, drafts.Acted)
    assert sub.draft.state is State.PENDING
    assert sub.draft.level == 1
    assert isinstance(drafts.save(engine, d.id, _body("42"), expected=2, actor=u1, tree=tree), drafts.Refused)
    assert isinstance(
        drafts.act(engine, d.id, Action.RETURN, actor=d1, tree=tree), drafts.Refused
    )  # no reason
    ret = drafts.act(
        engine, d.id, Action.RETURN, actor=d1, tree=tree, reason="数据不实", comments=[(1, "请核对课时")]
    )
    assert isinstance(ret, drafts.Acted)
    assert ret.draft.state is State.RETURNED
    assert ret.draft.open_comments == 1
    blocked = drafts.act(engine, d.id, Action.SUBMIT, actor=u1, tree=tree)
    assert isinstance(blocked, drafts.Refused)
    assert "未答复" in blocked.reason
    (comment,) = drafts.comments(engine, d.id)
    assert isinstance(drafts.answer(engine, d.id, comment.id, "已核对", actor=u2, tree=tree), drafts.Refused)
    assert isinstance(drafts.answer(engine, d.id, comment.id, "已核对", actor=u1, tree=tree), drafts.Comment)
    assert isinstance(drafts.act(engine, d.id, Action.SUBMIT, actor=u1, tree=tree), drafts.Acted)

    review = drafts.set_review(engine, d.id, 1, 8.5, "核减", actor=d1, tree=tree)
    assert isinstance(review, drafts.Review)
    assert review.level == 1
    assert isinstance(
        drafts.set_review(engine, d.id, 1, 9, "", actor=f1, tree=tree), drafts.Refused
    )  # not level 2 yet
    assert isinstance(drafts.act(engine, d.id, Action.APPROVE, actor=d1, tree=tree), drafts.Acted)
    final = drafts.act(engine, d.id, Action.APPROVE, actor=f1, tree=tree)
    assert isinstance(final, drafts.Acted)
    assert final.draft.state is State.LOCKED
    assert final.draft.approvals == ("d1", "f1")
    assert isinstance(drafts.save(engine, d.id, _body("43"), expected=2, actor=u1, tree=tree), drafts.Refused)
    assert isinstance(
        drafts.act(engine, d.id, Action.UNLOCK, actor=adm, tree=tree), drafts.Refused
    )  # no reason
    unlocked = drafts.act(engine, d.id, Action.UNLOCK, actor=adm, tree=tree, reason="财政复核")
    assert isinstance(unlocked, drafts.Acted)
    assert unlocked.draft.state is State.DRAFT
    assert unlocked.draft.version == 3

    kept = drafts.versions(engine, d.id)
    assert [v.version for v in kept] == [1, 2, 3]
    assert kept[2].body == kept[1].body  # nothing lost or rewritten
    assert all(v.snapshot == snapshot(v.body.encode()) for v in kept)
    log = list(reversed(drafts.audit(engine, drafts.AuditFilter(subjects={f"draft:{d.id}"}))))
    assert [(e["action"], e["before"], e["after"]) for e in log] == [
        ("create", "未填报", "草稿"),
        ("save", "草稿", "草稿"),
        ("submit", "草稿", "待审核"),
        ("return", "待审核", "被退回"),
        ("answer", "被退回", "被退回"),
        ("submit", "被退回", "待审核"),
        ("review", "待审核", "待审核"),
        ("approve", "待审核", "待审核"),
        ("approve", "待审核", "已审核·锁定"),
        ("unlock", "已审核·锁定", "草稿"),
    ]
    assert log[2]["snapshot"] == kept[1].snapshot
    assert log[2]["actor"] == "u1"
    assert [x.id for x in drafts.list_drafts(engine, {"U2"})] == []
    assert [x.id for x in drafts.list_drafts(engine, {"U1"}, states={State.DRAFT})] == [d.id]
    assert drafts.acted_on(engine, "d1") == [d.id]


def test_racing_saves_lose_nothing(engine: Engine) -> None:
    """Two editors save from the same version at once: one is written, the other refused with its change."""
    tree, us = _people(engine)
    u1 = us["u1"].actor()
    d = drafts.create(
        engine, org="U1", project="p", kind="self_evaluation", year=2025, body=BODY, actor=u1, tree=tree
    )
    assert isinstance(d, drafts.Draft)
    results: list[object] = []
    barrier = threading.Barrier(8)

    def edit(i: int) -> None:
        barrier.wait()
        results.append(drafts.save(engine, d.id, _body(str(i)), expected=1, actor=u1, tree=tree))

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [r for r in results if isinstance(r, drafts.Saved)]
    stale = [r for r in results if isinstance(r, drafts.Stale)]
    assert len(saved) == 1
    assert len(stale) == 7
    assert all(s.current.version == 2 for s in stale)
    assert [v.version for v in drafts.versions(engine, d.id)] == [1, 2]
    with engine.connect() as conn:
        al = schema.audit_log
        saves = conn.execute(
            select(func.count()).where(al.c.action == "save", al.c.subject == f"draft:{d.id}")
        )
        assert saves.scalar_one() == 1


def test_sessions_idle_absolute_and_links(engine: Engine) -> None:
    _tree, us = _people(engine)
    uid = us["u1"].id
    t = sessions.Timeouts(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=2))
    sid = sessions.create_session(engine, uid, T0, t)
    with engine.connect() as conn:  # only the hash is stored
        assert conn.execute(select(schema.web_sessions.c.digest)).scalar_one() != sid
    assert (u := sessions.session_user(engine, sid, T0 + dt.timedelta(minutes=20), t))
    assert u.login == "u1"
    assert sessions.session_user(engine, sid, T0 + dt.timedelta(minutes=45), t) is not None  # touched at 20
    assert sessions.session_user(engine, sid, T0 + dt.timedelta(minutes=80), t) is None  # idle 35 minutes
    assert sessions.session_user(engine, sid, T0 + dt.timedelta(minutes=81), t) is None  # and deleted
    sid2 = sessions.create_session(engine, uid, T0, t)
    for minutes in range(20, 120, 20):
        assert sessions.session_user(engine, sid2, T0 + dt.timedelta(minutes=minutes), t) is not None
    assert sessions.session_user(engine, sid2, T0 + dt.timedelta(minutes=121), t) is None  # absolute expiry
    assert sessions.session_user(engine, "nonsense", T0, t) is None

    link = sessions.create_login_link(engine, uid, T0)
    assert (who := sessions.use_login_link(engine, link, T0)) is not None
    assert who.login == "u1"
    assert sessions.use_login_link(engine, link, T0) is None  # once only
    late = sessions.create_login_link(engine, uid, T0, dt.timedelta(hours=1))
    assert sessions.use_login_link(engine, late, T0 + dt.timedelta(hours=2)) is None


def test_throttle_locks_after_repeated_failures(engine: Engine) -> None:
    th = sessions.Throttle(limit=3, window=dt.timedelta(minutes=10), lock_for=dt.timedelta(minutes=15))
    assert sessions.record_failure(engine, "x", T0, th) is None
    assert (
        sessions.record_failure(engine, "x", T0 + dt.timedelta(minutes=11), th) is None
    )  # first one aged out
    assert sessions.record_failure(engine, "x", T0 + dt.timedelta(minutes=12), th) is None
    until = sessions.record_failure(engine, "x", T0 + dt.timedelta(minutes=13), th)
    assert until == T0 + dt.timedelta(minutes=28)
    assert sessions.locked_until(engine, "x", T0 + dt.timedelta(minutes=20)) == until
    assert sessions.locked_until(engine, "x", T0 + dt.timedelta(minutes=29)) is None
    assert sessions.locked_until(engine, "y", T0) is None
    sessions.clear_failures(engine, "x")
    assert sessions.locked_until(engine, "x", T0 + dt.timedelta(minutes=20)) is None


def test_campaigns_and_extensions(engine: Engine) -> None:
    tree, us = _people(engine)
    adm, u1 = us["adm"].actor(), us["u1"].actor()
    start, end = dt.date(2026, 3, 1), dt.date(2026, 4, 30)
    assert isinstance(
        campaigns.create_campaign(
            engine, year=2025, kind="self_evaluation", starts_on=start, deadline=end, actor=u1, tree=tree
        ),
        campaigns.CampaignRefused,
    )
    c = campaigns.create_campaign(
        engine, year=2025, kind="self_evaluation", starts_on=start, deadline=end, actor=adm, tree=tree
    )
    assert isinstance(c, campaigns.Campaign)
    assert c.title == "2025 年度绩效自评"
    dup = campaigns.create_campaign(
        engine, year=2025, kind="self_evaluation", starts_on=start, deadline=end, actor=adm, tree=tree
    )
    assert isinstance(dup, campaigns.CampaignRefused)
    assert "已有" in dup.reason
    assert isinstance(
        campaigns.extend(engine, c.id, "U1", dt.date(2026, 5, 15), " ", actor=adm, tree=tree),
        campaigns.CampaignRefused,
    )
    c2 = campaigns.extend(engine, c.id, "U1", dt.date(2026, 5, 15), "校舍维修", actor=adm, tree=tree)
    assert isinstance(c2, campaigns.Campaign)
    assert c2.deadline_for("U1") == dt.date(2026, 5, 15)
    assert c2.deadline_for("U2") == end
    assert c2.days_left("U2", dt.date(2026, 4, 20)) == 10
    assert campaigns.find_campaign(engine, 2025, "self_evaluation") == c2


def test_0005_upgrades_a_0004_store_with_its_data_and_downgrades(db_url: str) -> None:
    """A store made by main's migrations (0004) keeps its users and orgs through 0005 (and what follows), and
    comes off again down to 0004."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from jixiao.store.engine import HEAD, make_engine, migrate, migrations_dir, writing

    engine = make_engine(db_url)
    try:

        def alembic(fn: str, rev: str) -> None:
            with writing(engine) as conn:
                cfg = Config()
                cfg.set_main_option("script_location", str(migrations_dir()))
                cfg.attributes["connection"] = conn
                getattr(command, fn)(cfg, rev)

        alembic("upgrade", "0004")
        assert "drafts" not in inspect(engine).get_table_names()
        import_orgs(engine, read_rows(CITY), actor="t")
        with writing(engine) as conn:
            conn.execute(
                schema.users.insert().values(login="old", name="旧用户", disabled=False, created_at=T0)
            )
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(select(schema.users.c.name)).scalar_one() == "旧用户"
            assert conn.execute(select(func.count()).select_from(schema.drafts)).scalar_one() == 0
        assert load_tree(engine)["U1"].name == "第一中学"
        assert HEAD >= "0005"  # later migrations (0006 the web's facts) sit on top of it
        alembic("downgrade", "0004")
        names = set(inspect(engine).get_table_names())
        assert "drafts" not in names
        assert "web_sessions" not in names
        assert "users" in names
    finally:
        engine.dispose()
