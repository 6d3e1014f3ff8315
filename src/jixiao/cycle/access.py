"""Who may do what: roles scoped to a subtree of the organisation tree, one ``can`` and one scope filter.

Every page, JSON twin and export asks :func:`can` for an action on one form and filters lists by :func:`scope`;
nothing else decides access. The roles are those of the 预算管理一体化 performance module:

========== =====================================================================
单位填报     drafts, saves, submits and recalls its own unit's forms
主管部门审核  reviews level 1 for the units under its department
财政审核     reviews level 2 for the departments assigned to its 处室
绩效管理     campaigns, deadlines, 延期, unlock and publish (no approvals of its own)
查阅         reads everything in its subtree (audit, research); changes nothing
系统管理     users and organisations; no approvals and no forms
========== =====================================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from jixiao.cycle.orgs import OrgKind, OrgTree


class Role(StrEnum):
    UNIT_FILER = "单位填报"
    DEPARTMENT_REVIEWER = "主管部门审核"
    FINANCE_REVIEWER = "财政审核"
    PERFORMANCE_ADMIN = "绩效管理"
    READER = "查阅"
    SYSTEM_ADMIN = "系统管理"


class Action(StrEnum):
    READ = "read"
    SAVE = "save"
    SUBMIT = "submit"
    RECALL = "recall"
    APPROVE = "approve"
    RETURN = "return"
    UNAPPROVE = "unapprove"
    UNLOCK = "unlock"
    PUBLISH = "publish"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    MANAGE_USERS = "manage_users"


@dataclass(frozen=True)
class Grant:
    """A role held over the subtree rooted at ``org`` (an org code)."""

    role: Role
    org: str


@dataclass(frozen=True)
class Actor:
    """A signed-in person (or an API token acting for one)."""

    user: str
    grants: tuple[Grant, ...] = ()
    name: str = ""

    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)


ANONYMOUS = Actor(user="", grants=())


@dataclass(frozen=True)
class Subject:
    """What an action is on: the unit a form belongs to, and (for the cycle) who submitted it.

    A published document read from a file has ``unit`` None and ``public`` True: anyone may read it.
    """

    unit: str | None
    public: bool = False
    submitter: str | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def _over(tree: OrgTree, grant: Grant, unit: str) -> bool:
    """Whether a grant's subtree covers ``unit``: below its org, or (财政审核) below a department of its 处室."""
    if unit not in tree:
        return False
    if tree.within(unit, grant.org):
        return True
    if grant.role is Role.FINANCE_REVIEWER:
        department = tree.department_of(unit)
        return department is not None and department.division == grant.org
    return False


_WRITE = {Action.SAVE, Action.SUBMIT, Action.RECALL}
_REVIEW = {Action.APPROVE, Action.RETURN, Action.UNAPPROVE}
_ADMIN = {Action.UNLOCK, Action.PUBLISH, Action.MANAGE_CAMPAIGNS}
_ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.UNIT_FILER: frozenset({Action.READ, *_WRITE}),
    Role.DEPARTMENT_REVIEWER: frozenset({Action.READ, *_REVIEW}),
    Role.FINANCE_REVIEWER: frozenset({Action.READ, *_REVIEW}),
    Role.PERFORMANCE_ADMIN: frozenset({Action.READ, *_ADMIN}),
    Role.READER: frozenset({Action.READ}),
    Role.SYSTEM_ADMIN: frozenset({Action.MANAGE_USERS}),
}


def review_level(role: Role) -> int | None:
    """The review level a role acts at: 1 主管部门, 2 财政."""
    return {Role.DEPARTMENT_REVIEWER: 1, Role.FINANCE_REVIEWER: 2}.get(role)


def can(
    actor: Actor, action: Action, subject: Subject, tree: OrgTree, *, level: int | None = None
) -> Decision:
    """Whether ``actor`` may do ``action`` on ``subject``; for a review action, at review ``level``.

    Only the role and the scope are decided here; the workflow adds what the form's state allows.
    """
    if action is Action.READ and subject.public:
        return ALLOW
    if action is Action.MANAGE_USERS:
        if any(g.role is Role.SYSTEM_ADMIN for g in actor.grants):
            return ALLOW
        return Decision(False, "只有系统管理员可以管理用户和组织")
    if subject.unit is None:
        return Decision(False, "该文档不属于任何单位，只能查阅公开内容")
    for grant in actor.grants:
        if action not in _ROLE_ACTIONS[grant.role] or not _over(tree, grant, subject.unit):
            continue
        if action in _REVIEW and level is not None and review_level(grant.role) != level:
            continue
        if action in _REVIEW and subject.submitter is not None and subject.submitter == actor.user:
            return Decision(False, "审核人不能是送审人本人")
        return ALLOW
    if not actor.grants:
        return Decision(False, "请先登录")
    return Decision(False, f"无权对该单位的表格执行此操作（{action.value}）")


@dataclass(frozen=True)
class Scope:
    """The units whose forms an actor may read; ``everything`` for a role over the whole tree's roots.

    Lists filter by it in SQL (``unit_code IN units``), never by loading every row and asking :func:`can`.
    """

    units: frozenset[str] = field(default_factory=frozenset)
    public: bool = True  # published documents read from files are visible to everyone

    def allows(self, unit: str | None) -> bool:
        return (unit is None and self.public) or (unit is not None and unit in self.units)


def scope(actor: Actor, tree: OrgTree) -> Scope:
    """The one scope filter: every unit some grant of ``actor`` may read."""
    units: set[str] = set()
    for grant in actor.grants:
        if Action.READ not in _ROLE_ACTIONS[grant.role]:
            continue
        units.update(code for code in tree.orgs if _over(tree, grant, code))
    return Scope(units=frozenset(u for u in units if tree[u].kind in (OrgKind.UNIT, OrgKind.DEPARTMENT)))


def grants(pairs: Iterable[tuple[Role, str]]) -> tuple[Grant, ...]:
    return tuple(Grant(role, org) for role, org in pairs)
