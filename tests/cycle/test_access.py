from __future__ import annotations

import pytest

from jixiao.cycle.access import ANONYMOUS, Action, Actor, Role, Subject, can, grants, scope
from jixiao.cycle.orgs import OrgTree

FILER = Actor("filer", grants([(Role.UNIT_FILER, "U1")]))
DEPT = Actor("dept", grants([(Role.DEPARTMENT_REVIEWER, "D1")]))
FIN = Actor("fin", grants([(Role.FINANCE_REVIEWER, "F1")]))
ADMIN = Actor("admin", grants([(Role.PERFORMANCE_ADMIN, "F")]))
READER = Actor("reader", grants([(Role.READER, "D2")]))
SYS = Actor("sys", grants([(Role.SYSTEM_ADMIN, "F")]))


@pytest.mark.parametrize(
    ("actor", "action", "unit", "level", "allowed"),
    [
        (FILER, Action.SAVE, "U1", None, True),
        (FILER, Action.SAVE, "U2", None, False),  # another unit's draft
        (FILER, Action.READ, "U2", None, False),
        (FILER, Action.APPROVE, "U1", 1, False),
        (DEPT, Action.APPROVE, "U2", 1, True),
        (DEPT, Action.APPROVE, "U2", 2, False),  # level 2 is the finance bureau's
        (DEPT, Action.APPROVE, "U3", 1, False),  # another department's unit
        (DEPT, Action.SAVE, "U1", None, False),  # reviewers never touch the unit's numbers
        (FIN, Action.APPROVE, "U1", 2, True),  # D1 is assigned to F1
        (FIN, Action.APPROVE, "U3", 2, False),  # D2 belongs to F2
        (FIN, Action.READ, "U2", None, True),
        (ADMIN, Action.UNLOCK, "U31", None, True),  # the bureau's admin: every department under F
        (ADMIN, Action.APPROVE, "U1", 1, False),
        (READER, Action.READ, "U31", None, True),
        (READER, Action.SAVE, "U31", None, False),
        (SYS, Action.MANAGE_USERS, "U1", None, True),
        (SYS, Action.READ, "U1", None, False),
        (ANONYMOUS, Action.READ, "U1", None, False),
    ],
)
def test_can(
    city: OrgTree, actor: Actor, action: Action, unit: str, level: int | None, allowed: bool
) -> None:
    decision = can(actor, action, Subject(unit=unit), city, level=level)
    assert decision.allowed is allowed, decision.reason
    if not allowed:
        assert decision.reason


def test_grants_cover_only_their_subtree(city: OrgTree) -> None:
    one = Actor("admin", grants([(Role.PERFORMANCE_ADMIN, "D1")]))
    assert can(one, Action.PUBLISH, Subject(unit="U1"), city)
    assert not can(one, Action.PUBLISH, Subject(unit="U3"), city)
    # a unit's filer covers its own sub-units (农技推广中心东站 under 农技推广中心)
    assert can(Actor("u", grants([(Role.UNIT_FILER, "U3")])), Action.SAVE, Subject(unit="U31"), city)


def test_approver_is_never_the_submitter(city: OrgTree) -> None:
    both = Actor("x", grants([(Role.UNIT_FILER, "U1"), (Role.DEPARTMENT_REVIEWER, "D1")]))
    decision = can(both, Action.APPROVE, Subject(unit="U1", submitter="x"), city, level=1)
    assert not decision
    assert "送审人" in decision.reason
    assert can(both, Action.APPROVE, Subject(unit="U1", submitter="y"), city, level=1)


def test_public_documents_are_readable_by_anyone(city: OrgTree) -> None:
    assert can(ANONYMOUS, Action.READ, Subject(unit=None, public=True), city)
    assert not can(FILER, Action.SAVE, Subject(unit=None, public=True), city)


def test_scope_is_what_can_reads(city: OrgTree) -> None:
    for actor in (FILER, DEPT, FIN, ADMIN, READER, SYS, ANONYMOUS):
        s = scope(actor, city)
        for code in city.orgs:
            if city[code].kind.value in ("实施单位", "主管部门"):
                assert s.allows(code) == bool(can(actor, Action.READ, Subject(unit=code), city)), (
                    actor,
                    code,
                )
    assert scope(FIN, city).units == {"D1", "U1", "U2"}
    assert scope(ANONYMOUS, city).allows(None)
