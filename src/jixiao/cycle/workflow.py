"""The review workflow of a form in the cycle: 草稿 → 待审核 (level k) → 已审核·锁定 → 已公开.

States and steps follow the 预算管理一体化 performance module (DHIS2's data-approval semantics):

* 送审 (submit) from 草稿 or 被退回: refused while an error finding remains or a warning is not acknowledged, and,
  after a return, while a reviewer's row comment is unanswered.
* 撤销送审 (recall) by the unit, until a reviewer acts.
* 审核通过 (approve) by a reviewer of the form's current level, never the submitter; the last level locks it.
* 退回 (return) to the unit, with a reason.
* 取消审核 (unapprove) by the previous level's reviewer while the next level has not acted.
* 解锁 (unlock) by 绩效管理, with a reason: a new version, back to 草稿; 公开 (publish) a locked form.

:func:`step` is pure: it takes the form's state and returns the next one with its audit entry, or a refusal
with a Chinese reason. The caller stores both in one transaction (and refuses a stale version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from jixiao.cycle.access import Action, Actor, Subject, can
from jixiao.cycle.orgs import OrgTree

LEVELS = 2  # 1 主管部门, 2 财政


class State(StrEnum):
    NOT_STARTED = "未填报"
    DRAFT = "草稿"
    RETURNED = "被退回"
    PENDING = "待审核"
    LOCKED = "已审核·锁定"
    PUBLISHED = "已公开"


@dataclass(frozen=True)
class Form:
    """A form's place in the workflow (its contents live in the store as v1 JSON versions)."""

    unit: str
    state: State = State.NOT_STARTED
    level: int = 0  # the review level it waits for (PENDING), else 0
    version: int = 0
    submitter: str | None = None
    approvals: tuple[str, ...] = ()  # who approved each level so far, level 1 first
    open_comments: int = 0  # reviewer row comments the unit has not answered

    @property
    def subject(self) -> Subject:
        return Subject(unit=self.unit, submitter=self.submitter)


@dataclass(frozen=True)
class Audit:
    """One append-only audit entry: who did what, when, from which state to which, on which version."""

    actor: str
    action: Action
    at: dt.datetime
    before: State
    after: State
    level: int
    version: int
    snapshot: str  # SHA-256 of the document version acted on
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    form: Form
    audit: Audit | None = None
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused


@dataclass(frozen=True)
class Request:
    """What the actor asks, with what the server knows about the document at that moment."""

    action: Action
    actor: Actor
    at: dt.datetime
    snapshot: str = ""
    reason: str = ""
    errors: int = 0  # error findings on the document now
    unacknowledged: int = 0  # warnings not acknowledged
    comments: int = 0  # row comments given with a return
    answered: int = 0  # comments answered with this save


def snapshot(document_json: bytes) -> str:
    return hashlib.sha256(document_json).hexdigest()


def _refuse(form: Form, why: str) -> Outcome:
    return Outcome(form=form, refused=why)


def step(form: Form, req: Request, tree: OrgTree) -> Outcome:
    """The next state of ``form`` after ``req``, or a refusal saying why."""
    before = form.state
    level = form.level
    action = req.action
    review_level = form.level if action in (Action.APPROVE, Action.RETURN) else None
    if action is Action.UNAPPROVE:
        review_level = form.level - 1
    decision = can(req.actor, action, form.subject, tree, level=review_level)
    if not decision:
        return _refuse(form, decision.reason)
    new: Form
    if action is Action.SAVE:
        if form.state not in (State.NOT_STARTED, State.DRAFT, State.RETURNED):
            return _refuse(form, f"表格{form.state.value}，不能修改")
        state = State.RETURNED if form.state is State.RETURNED else State.DRAFT
        new = replace(
            form,
            state=state,
            version=form.version + 1,
            open_comments=max(0, form.open_comments - req.answered),
        )
    elif action is Action.SUBMIT:
        if form.state not in (State.DRAFT, State.RETURNED):
            return _refuse(form, f"表格{form.state.value}，不能送审")
        if req.errors:
            return _refuse(form, f"仍有 {req.errors} 个错误，修正后才能送审")
        if req.unacknowledged:
            return _refuse(form, f"有 {req.unacknowledged} 个警告尚未确认")
        if form.open_comments:
            return _refuse(form, f"退回意见中还有 {form.open_comments} 条未答复")
        new = replace(form, state=State.PENDING, level=1, submitter=req.actor.user, approvals=())
    elif action is Action.RECALL:
        if form.state is not State.PENDING or form.level != 1:
            return _refuse(form, "审核人已处理，不能撤销送审")
        if form.submitter != req.actor.user and form.submitter is not None:
            return _refuse(form, "只有送审人可以撤销送审")
        new = replace(form, state=State.DRAFT, level=0)
    elif action is Action.APPROVE:
        if form.state is not State.PENDING:
            return _refuse(form, f"表格{form.state.value}，没有待审核的内容")
        approvals = (*form.approvals, req.actor.user)
        if form.level >= LEVELS:
            new = replace(form, state=State.LOCKED, level=0, approvals=approvals)
        else:
            new = replace(form, level=form.level + 1, approvals=approvals)
    elif action is Action.RETURN:
        if form.state is not State.PENDING:
            return _refuse(form, f"表格{form.state.value}，不能退回")
        if not req.reason.strip():
            return _refuse(form, "退回必须填写原因")
        new = replace(form, state=State.RETURNED, level=0, approvals=(), open_comments=req.comments)
    elif action is Action.UNAPPROVE:
        if form.state is not State.PENDING or form.level < 2:
            return _refuse(form, "下一级已处理或尚未审核，不能取消审核")
        new = replace(form, level=form.level - 1, approvals=form.approvals[:-1])
    elif action is Action.UNLOCK:
        if form.state not in (State.LOCKED, State.PUBLISHED):
            return _refuse(form, "只有已锁定的表格可以解锁")
        if not req.reason.strip():
            return _refuse(form, "解锁必须填写原因")
        new = replace(
            form, state=State.DRAFT, level=0, version=form.version + 1, approvals=(), submitter=None
        )
    elif action is Action.PUBLISH:
        if form.state is not State.LOCKED:
            return _refuse(form, "只有审核通过并锁定的表格可以公开")
        new = replace(form, state=State.PUBLISHED)
    else:
        return _refuse(form, f"不是工作流操作：{action.value}")
    audit = Audit(
        actor=req.actor.user,
        action=action,
        at=req.at,
        before=before,
        after=new.state,
        level=level,
        version=new.version,
        snapshot=req.snapshot,
        reason=req.reason,
    )
    return Outcome(form=new, audit=audit)


WORKFLOW_ACTIONS = (
    Action.SAVE,
    Action.SUBMIT,
    Action.RECALL,
    Action.APPROVE,
    Action.RETURN,
    Action.UNAPPROVE,
    Action.UNLOCK,
    Action.PUBLISH,
)


def may(form: Form, actor: Actor, tree: OrgTree, *, at: dt.datetime | None = None) -> dict[str, bool]:
    """What ``actor`` may do to ``form`` now (the JSON twins' ``may``), from the same :func:`step`.

    Content conditions (errors, warnings, a reason) are taken as met: ``may`` tells which buttons to show, and
    :func:`step` still refuses a submit with errors.
    """
    when = at or dt.datetime.now(dt.UTC)
    out: dict[str, bool] = {}
    for action in WORKFLOW_ACTIONS:
        req = Request(action=action, actor=actor, at=when, reason="-")
        out[action.value] = step(form, req, tree).ok
    return out
