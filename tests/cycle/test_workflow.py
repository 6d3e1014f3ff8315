from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.cycle.access import Action, Actor, Role, grants
from jixiao.cycle.orgs import OrgTree
from jixiao.cycle.workflow import Form, Request, State, may, step
from tests.cycle.conftest import CITY

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
UNIT = Actor("unit", grants([(Role.UNIT_FILER, "U1")]))
DEPT = Actor("dept", grants([(Role.DEPARTMENT_REVIEWER, "D1")]))
FIN = Actor("fin", grants([(Role.FINANCE_REVIEWER, "F1")]))
ADMIN = Actor("admin", grants([(Role.PERFORMANCE_ADMIN, "F")]))


def req(action: Action, actor: Actor, **kw: object) -> Request:
    return Request(action=action, actor=actor, at=NOW, snapshot="h", **kw)  # type: ignore[arg-type]


def run(city: OrgTree, form: Form, *steps: Request) -> Form:
    for r in steps:
        out = step(form, r, city)
        assert out.ok, (r.action, out.refused)
        assert out.audit is not None
        assert out.audit.before is form.state
        assert out.audit.after is out.form.state
        form = out.form
    return form


def test_the_whole_cycle(city: OrgTree) -> None:
    form = Form(unit="U1")
    form = run(city, form, req(Action.SAVE, UNIT), req(Action.SUBMIT, UNIT))
    assert (form.state, form.level, form.submitter) == (State.PENDING, 1, "unit")
    form = run(city, form, req(Action.RETURN, DEPT, reason="偏差原因不充分", comments=2))
    assert form.state is State.RETURNED
    assert form.open_comments == 2
    refused = step(form, req(Action.SUBMIT, UNIT), city)
    assert not refused.ok
    assert "未答复" in refused.refused
    form = run(city, form, req(Action.SAVE, UNIT, answered=2), req(Action.SUBMIT, UNIT))
    form = run(city, form, req(Action.APPROVE, DEPT))
    assert (form.state, form.level) == (State.PENDING, 2)
    form = run(city, form, req(Action.APPROVE, FIN))
    assert form.state is State.LOCKED
    assert form.approvals == ("dept", "fin")
    edit = step(form, req(Action.SAVE, UNIT), city)
    assert not edit.ok
    assert "锁定" in edit.refused
    form = run(city, form, req(Action.PUBLISH, ADMIN))
    assert form.state is State.PUBLISHED


def test_submit_is_refused_while_errors_or_warnings_remain(city: OrgTree) -> None:
    draft = run(city, Form(unit="U1"), req(Action.SAVE, UNIT))
    assert "2 个错误" in step(draft, req(Action.SUBMIT, UNIT, errors=2), city).refused
    assert "警告" in step(draft, req(Action.SUBMIT, UNIT, unacknowledged=1), city).refused


def test_recall_until_a_reviewer_acts(city: OrgTree) -> None:
    pending = run(city, Form(unit="U1"), req(Action.SAVE, UNIT), req(Action.SUBMIT, UNIT))
    assert run(city, pending, req(Action.RECALL, UNIT)).state is State.DRAFT
    level2 = run(city, pending, req(Action.APPROVE, DEPT))
    assert not step(level2, req(Action.RECALL, UNIT), city).ok


def test_unapprove_while_the_next_level_has_not_acted(city: OrgTree) -> None:
    level2 = run(
        city, Form(unit="U1"), req(Action.SAVE, UNIT), req(Action.SUBMIT, UNIT), req(Action.APPROVE, DEPT)
    )
    back = run(city, level2, req(Action.UNAPPROVE, DEPT))
    assert (back.state, back.level, back.approvals) == (State.PENDING, 1, ())
    locked = run(city, level2, req(Action.APPROVE, FIN))
    assert not step(locked, req(Action.UNAPPROVE, FIN), city).ok


def test_return_and_unlock_need_a_reason(city: OrgTree) -> None:
    pending = run(city, Form(unit="U1"), req(Action.SAVE, UNIT), req(Action.SUBMIT, UNIT))
    assert "原因" in step(pending, req(Action.RETURN, DEPT, reason=" "), city).refused
    locked = run(city, pending, req(Action.APPROVE, DEPT), req(Action.APPROVE, FIN))
    assert "原因" in step(locked, req(Action.UNLOCK, ADMIN), city).refused
    unlocked = run(city, locked, req(Action.UNLOCK, ADMIN, reason="数据更正"))
    assert unlocked.state is State.DRAFT
    assert unlocked.version == locked.version + 1


def test_the_approver_is_never_the_submitter(city: OrgTree) -> None:
    both = Actor("x", grants([(Role.UNIT_FILER, "U1"), (Role.DEPARTMENT_REVIEWER, "D1")]))
    pending = run(city, Form(unit="U1"), req(Action.SAVE, both), req(Action.SUBMIT, both))
    assert "送审人" in step(pending, req(Action.APPROVE, both), city).refused


def test_may_lists_the_buttons(city: OrgTree) -> None:
    pending = run(city, Form(unit="U1"), req(Action.SAVE, UNIT), req(Action.SUBMIT, UNIT))
    assert may(pending, UNIT, city) == {
        "save": False,
        "submit": False,
        "recall": True,
        "approve": False,
        "return": False,
        "unapprove": False,
        "unlock": False,
        "publish": False,
    }
    assert {k for k, v in may(pending, DEPT, city).items() if v} == {"approve", "return"}


ACTORS = [UNIT, DEPT, FIN, ADMIN, Actor("other", grants([(Role.UNIT_FILER, "U2")]))]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(Action)[1:9]),
            st.sampled_from(ACTORS),
            st.sampled_from(["", "理由"]),
            st.integers(0, 2),
        ),
        max_size=30,
    )
)
def test_invariants_over_any_sequence(steps: list[tuple[Action, Actor, str, int]]) -> None:
    from jixiao.cycle.orgs import read_csv

    city = read_csv(CITY)
    form = Form(unit="U1")
    for action, actor, reason, n in steps:
        out = step(
            form, Request(action=action, actor=actor, at=NOW, reason=reason, errors=n % 2, comments=n), city
        )
        if not out.ok:
            assert out.form is form
            assert out.audit is None
            assert out.refused
            continue
        assert out.audit is not None
        assert out.audit.actor == actor.user
        new = out.form
        # the unit's numbers change only by the unit, and only outside review
        if new.version != form.version:
            assert action in (Action.SAVE, Action.UNLOCK)
        if action is Action.APPROVE:
            assert actor.user != form.submitter
        if action is Action.SUBMIT:
            assert n % 2 == 0  # never with an error
        if form.state in (State.LOCKED, State.PUBLISHED):
            assert action in (Action.UNLOCK, Action.PUBLISH)
        assert (new.state is State.PENDING) == (new.level > 0)
        assert "other" not in new.approvals
        assert new.submitter != "other"
        form = new
