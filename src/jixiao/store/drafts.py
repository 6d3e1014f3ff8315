"""Drafts: forms the cycle produces, as v1 JSON versions, moved through :func:`jixiao.cycle.workflow.step`.

* Every version is a new ``draft_versions`` row (body as hashed, author, time); nothing is updated or deleted,
  so a withdrawn or unlocked version stays readable.
* :func:`save` names the version it edited: when another save came first it is refused with that other change
  (:class:`Stale`), never written over (no lost update).  A save of the current body writes nothing.
* :func:`act` asks the workflow for the next state and, in the same transaction, writes the state, the return's
  row comments and one ``audit_log`` row (who, what, when, from → to, the snapshot hash); so does every save.
* Reviewers' 核定分 (:func:`set_review`) are their own rows and never touch the unit's numbers.

Refusals are values (:class:`Refused`, a Chinese reason), not exceptions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from jixiao.cycle.access import Action, Actor, Subject, can
from jixiao.cycle.orgs import OrgTree
from jixiao.cycle.workflow import Form, Request, State, snapshot, step
from jixiao.store import schema
from jixiao.store.engine import writing

MAX_BODY = 4 * 2**20  # a draft's v1 JSON: far above a 200-row form, far below what could hurt the server
MAX_TEXT = 4000  # a comment, an answer, a reason


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def canonical(body: dict[str, Any]) -> str:
    """The text a version is stored and hashed as: sorted keys, compact, Chinese as UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Refused:
    reason: str
    status: int = 409


@dataclass(frozen=True)
class Draft:
    id: int
    org: str
    project: str
    kind: str
    year: int
    state: State
    level: int
    version: int
    submitter: str | None
    approvals: tuple[str, ...]
    created_by: str
    updated_at: dt.datetime
    campaign_id: int | None = None
    declaration_id: int | None = None
    declaration_draft_id: int | None = None  # the declaration draft a self-evaluation draft was made from
    open_comments: int = 0

    @property
    def form(self) -> Form:
        return Form(
            unit=self.org,
            state=self.state,
            level=self.level,
            version=self.version,
            submitter=self.submitter,
            approvals=self.approvals,
            open_comments=self.open_comments,
        )

    @property
    def subject(self) -> Subject:
        return Subject(unit=self.org, submitter=self.submitter)


@dataclass(frozen=True)
class Version:
    draft_id: int
    version: int
    body: str
    snapshot: str
    author: str
    at: dt.datetime

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass(frozen=True)
class Saved:
    draft: Draft
    version: Version
    changed: bool = True


@dataclass(frozen=True)
class Stale:
    """A save that named an older version: the change that came first, for the user to see."""

    current: Version
    expected: int

    @property
    def reason(self) -> str:
        return (
            f"表格已被 {self.current.author} 于 {self.current.at:%H:%M:%S} 另存为第 {self.current.version} 版"
            f"（你编辑的是第 {self.expected} 版），你的修改未保存"
        )


@dataclass(frozen=True)
class Comment:
    id: int
    draft_id: int
    row: int
    author: str
    text: str
    at: dt.datetime
    answer: str | None = None
    answered_by: str | None = None


@dataclass(frozen=True)
class Review:
    row: int
    level: int
    reviewer: str
    score: float | None
    note: str | None


@dataclass(frozen=True)
class Acted:
    draft: Draft
    before: State
    audit_id: int


def _draft(row: Row[Any], open_comments: int) -> Draft:
    return Draft(
        id=int(row.id),
        org=row.org_code,
        project=row.project,
        kind=row.kind,
        year=int(row.year),
        state=State(row.state),
        level=int(row.level),
        version=int(row.version),
        submitter=row.submitter,
        approvals=tuple(row.approvals or ()),
        created_by=row.created_by,
        updated_at=_utc(row.updated_at),
        campaign_id=row.campaign_id,
        declaration_id=row.declaration_id,
        declaration_draft_id=row.declaration_draft_id,
        open_comments=open_comments,
    )


def _open_count() -> Any:
    """The number of a draft's unanswered comments, as a column of a query of ``drafts``."""
    d, dc = schema.drafts, schema.draft_comments
    return (
        select(func.count())
        .select_from(dc)
        .where(dc.c.draft_id == d.c.id, dc.c.answer.is_(None))
        .scalar_subquery()
        .label("open_comments")
    )


def _load(conn: Connection, draft_id: int, *, lock: bool = False) -> Draft | None:
    """The draft with its count of open comments, in one statement (locked on PostgreSQL when ``lock``)."""
    q = select(schema.drafts, _open_count()).where(schema.drafts.c.id == draft_id)
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update(of=schema.drafts)
    row = conn.execute(q).first()
    return None if row is None else _draft(row, int(row.open_comments))


def _version(row: Row[Any]) -> Version:
    return Version(int(row.draft_id), int(row.version), row.body, row.snapshot, row.author, _utc(row.at))


def _get_version(conn: Connection, draft_id: int, number: int) -> Version | None:
    dv = schema.draft_versions
    row = conn.execute(select(dv).where(dv.c.draft_id == draft_id, dv.c.version == number)).first()
    return None if row is None else _version(row)


def _audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    draft_id: int,
    at: dt.datetime,
    before: State | None,
    after: State | None,
    level: int,
    version: int,
    snap: str,
    reason: str = "",
) -> int:
    got = conn.execute(
        insert(schema.audit_log).values(
            at=at,
            actor=actor,
            action=action,
            subject=f"draft:{draft_id}",
            before=before.value if before else None,
            after=after.value if after else None,
            level=level,
            version=version,
            snapshot=snap,
            reason=reason[:MAX_TEXT],
        )
    )
    return int(got.inserted_primary_key[0])  # type: ignore[index]


def _audit_in_place(
    conn: Connection, draft: Draft, actor: str, action: str, at: dt.datetime, level: int, reason: str
) -> int:
    """Audit an act that leaves the draft's state and version as they are (an answer, a 核定分, a file), against
    the snapshot of its current version."""
    have = _get_version(conn, draft.id, draft.version)
    return _audit(
        conn,
        actor=actor,
        action=action,
        draft_id=draft.id,
        at=at,
        before=draft.state,
        after=draft.state,
        level=level,
        version=draft.version,
        snap=have.snapshot if have else "",
        reason=reason,
    )


def _insert_version(
    conn: Connection, draft_id: int, number: int, text: str, author: str, at: dt.datetime
) -> Version:
    snap = snapshot(text.encode("utf-8"))
    conn.execute(
        insert(schema.draft_versions).values(
            draft_id=draft_id, version=number, body=text, snapshot=snap, author=author, at=at
        )
    )
    return Version(draft_id, number, text, snap, author, at)


def _for(
    conn: Connection,
    draft_id: int,
    actor: Actor,
    tree: OrgTree,
    action: Action,
    *,
    level: int | None = None,
    reviewing: bool = False,
) -> Draft | Refused:
    """The draft, locked for this transaction, when ``actor`` may see it (else 404, as for none) and do
    ``action`` on it (else 403 with the reason); ``reviewing``: only while it awaits review, at its level."""
    draft = _load(conn, draft_id, lock=True)
    if draft is None or not can(actor, Action.READ, draft.subject, tree):
        return Refused("没有这份表格", 404)
    if reviewing:
        if draft.state is not State.PENDING:
            return Refused(f"表格{draft.state.value}，不在审核中")
        level = draft.level
    decision = can(actor, action, draft.subject, tree, level=level)
    if not decision:
        return Refused(decision.reason, 403)
    return draft


def create(
    engine: Engine,
    *,
    org: str,
    project: str,
    kind: str,
    year: int,
    body: dict[str, Any],
    actor: Actor,
    tree: OrgTree,
    campaign_id: int | None = None,
    declaration_id: int | None = None,
    declaration_draft_id: int | None = None,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Draft | Refused:
    """A new draft (version 1) for ``org``, by a user who may fill in that unit's forms; ``reason``: what it was
    made from, for the audit log (by default the stored declaration it names)."""
    decision = can(actor, Action.SAVE, Subject(unit=org), tree)
    if not decision:
        return Refused(decision.reason, 403)
    text = canonical(body)
    if len(text.encode("utf-8")) > MAX_BODY:
        return Refused(f"表格内容超过 {MAX_BODY // 2**20} MB 上限", 413)
    at = now or _now()
    with writing(engine) as conn:
        draft_id = int(
            conn.execute(
                insert(schema.drafts).values(
                    org_code=org,
                    project=project,
                    kind=kind,
                    year=year,
                    campaign_id=campaign_id,
                    declaration_id=declaration_id,
                    declaration_draft_id=declaration_draft_id,
                    state=State.DRAFT.value,
                    level=0,
                    version=1,
                    submitter=None,
                    approvals=[],
                    created_by=actor.user,
                    created_at=at,
                    updated_at=at,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        v = _insert_version(conn, draft_id, 1, text, actor.user, at)
        _audit(
            conn,
            actor=actor.user,
            action="create",
            draft_id=draft_id,
            at=at,
            before=State.NOT_STARTED,
            after=State.DRAFT,
            level=0,
            version=1,
            snap=v.snapshot,
            reason=reason
            if reason is not None
            else f"由申报表 {declaration_id} 生成"
            if declaration_id
            else "",
        )
        made = _load(conn, draft_id)
    assert made is not None
    return made


def get(engine: Engine, draft_id: int) -> Draft | None:
    with engine.connect() as conn:
        return _load(conn, draft_id)


def current(engine: Engine, draft_id: int) -> Version | None:
    with engine.connect() as conn:
        d = _load(conn, draft_id)
        return None if d is None else _get_version(conn, draft_id, d.version)


def version(engine: Engine, draft_id: int, number: int) -> Version | None:
    with engine.connect() as conn:
        return _get_version(conn, draft_id, number)


def versions(engine: Engine, draft_id: int) -> list[Version]:
    dv = schema.draft_versions
    with engine.connect() as conn:
        rows = conn.execute(select(dv).where(dv.c.draft_id == draft_id).order_by(dv.c.version))
        return [_version(r) for r in rows]


def made_from(engine: Engine, declaration_draft_id: int) -> Draft | None:
    """The self-evaluation draft made from the declaration draft ``declaration_draft_id`` (the first one), or None."""
    d = schema.drafts
    q = (
        select(d, _open_count())
        .where(d.c.declaration_draft_id == declaration_draft_id)
        .order_by(d.c.id)
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(q).first()
    return None if row is None else _draft(row, int(row.open_comments))


def list_drafts(
    engine: Engine,
    units: Collection[str] | None,
    *,
    states: Collection[State] | None = None,
    year: int | None = None,
    limit: int = 1000,
) -> list[Draft]:
    """Drafts of ``units`` (None: every unit), newest change first; the scope filter is in the SQL."""
    d = schema.drafts
    if units is not None and not units:
        return []
    q = select(d, _open_count()).order_by(d.c.updated_at.desc(), d.c.id.desc()).limit(limit)
    if units is not None:
        q = q.where(d.c.org_code.in_(sorted(units)))
    if states is not None:
        q = q.where(d.c.state.in_([s.value for s in states]))
    if year is not None:
        q = q.where(d.c.year == year)
    with engine.connect() as conn:
        return [_draft(r, int(r.open_comments)) for r in conn.execute(q)]


def acted_on(engine: Engine, login: str, limit: int = 1000) -> list[int]:
    """The drafts ``login`` ever acted on (曾经办), newest first."""
    al = schema.audit_log
    q = (
        select(al.c.subject, func.max(al.c.id).label("last"))
        .where(al.c.actor == login, al.c.subject.like("draft:%"))
        .group_by(al.c.subject)
        .order_by(func.max(al.c.id).desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [int(r.subject.split(":", 1)[1]) for r in conn.execute(q)]


def save(
    engine: Engine,
    draft_id: int,
    body: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    *,
    expected: int,
    actor: Actor,
    tree: OrgTree,
    now: dt.datetime | None = None,
) -> Saved | Stale | Refused:
    """Save ``body`` as the next version of a draft whose current version the editor saw was ``expected``.

    ``body`` may be a function of the current version's body (the unit's edits applied to it): it is then called
    inside the transaction, on the version the save checks, so one request reads the draft once."""
    at = now or _now()
    with writing(engine) as conn:
        draft = _load(conn, draft_id, lock=True)
        if draft is None:
            return Refused("没有这份表格", 404)
        if not can(actor, Action.READ, draft.subject, tree):
            return Refused("没有这份表格", 404)
        have = _get_version(conn, draft_id, draft.version)
        assert have is not None
        if draft.version != expected:
            return Stale(have, expected)
        outcome = step(draft.form, Request(Action.SAVE, actor, at, snapshot=have.snapshot), tree)
        if not outcome.ok:
            return Refused(outcome.refused, 403 if "无权" in outcome.refused else 409)
        text = canonical(body(have.document()) if callable(body) else body)
        if len(text.encode("utf-8")) > MAX_BODY:
            return Refused(f"表格内容超过 {MAX_BODY // 2**20} MB 上限", 413)
        if have.body == text:
            return Saved(draft, have, changed=False)
        new = outcome.form
        v = _insert_version(conn, draft_id, new.version, text, actor.user, at)
        done = conn.execute(
            update(schema.drafts)
            .where(schema.drafts.c.id == draft_id, schema.drafts.c.version == expected)
            .values(version=new.version, state=new.state.value, updated_at=at)
        )
        if done.rowcount != 1:  # cannot happen under the write lock; refuse rather than lose an update
            raise RuntimeError("draft changed under the write lock")
        _audit(
            conn,
            actor=actor.user,
            action=Action.SAVE.value,
            draft_id=draft_id,
            at=at,
            before=draft.state,
            after=new.state,
            level=draft.level,
            version=new.version,
            snap=v.snapshot,
        )
    return Saved(replace(draft, version=new.version, state=new.state, updated_at=at), v)  # what was written


def act(
    engine: Engine,
    draft_id: int,
    action: Action,
    *,
    actor: Actor,
    tree: OrgTree,
    reason: str = "",
    errors: int = 0,
    unacknowledged: int = 0,
    comments: Sequence[tuple[int, str]] = (),
    expected: int | None = None,
    now: dt.datetime | None = None,
) -> Acted | Refused:
    """One workflow step (送审, 撤销送审, 审核通过, 退回, 取消审核, 解锁, 公开) on a draft, audited.

    ``errors`` / ``unacknowledged``: the error findings and unacknowledged warnings on the current version, as the
    caller's checks found them.  ``comments``: a return's row comments, (1-based row, text).  ``expected``: the
    version the actor looked at; an action on a version they have not seen is refused.
    """
    if action is Action.SAVE:
        return Refused("保存请用 save()")
    at = now or _now()
    with writing(engine) as conn:
        draft = _load(conn, draft_id, lock=True)
        if draft is None or not can(actor, Action.READ, draft.subject, tree):
            return Refused("没有这份表格", 404)
        if expected is not None and expected != draft.version:
            return Refused(f"表格已更新为第 {draft.version} 版，请刷新后再操作")
        have = _get_version(conn, draft_id, draft.version)
        assert have is not None
        kept = [(row, text.strip()[:MAX_TEXT]) for row, text in comments if text.strip()]
        req = Request(
            action,
            actor,
            at,
            snapshot=have.snapshot,
            reason=reason.strip()[:MAX_TEXT],
            errors=errors,
            unacknowledged=unacknowledged,
            comments=len(kept),
        )
        outcome = step(draft.form, req, tree)
        if not outcome.ok:
            return Refused(
                outcome.refused, 403 if "无权" in outcome.refused or "本人" in outcome.refused else 409
            )
        new = outcome.form
        snap = have.snapshot
        if new.version != draft.version:  # 解锁: the same content as a new version, open for editing
            snap = _insert_version(conn, draft_id, new.version, have.body, actor.user, at).snapshot
        conn.execute(
            update(schema.drafts)
            .where(schema.drafts.c.id == draft_id)
            .values(
                state=new.state.value,
                level=new.level,
                version=new.version,
                submitter=new.submitter,
                approvals=list(new.approvals),
                updated_at=at,
            )
        )
        for row, text in kept:
            conn.execute(
                insert(schema.draft_comments).values(
                    draft_id=draft_id, row=row, author=actor.user, text=text, at=at
                )
            )
        audit_id = _audit(
            conn,
            actor=actor.user,
            action=action.value,
            draft_id=draft_id,
            at=at,
            before=draft.state,
            after=new.state,
            level=draft.level,
            version=new.version,
            snap=snap,
            reason=req.reason,
        )
        done = _load(conn, draft_id)
    assert done is not None
    return Acted(done, draft.state, audit_id)


def comments(engine: Engine, draft_id: int) -> list[Comment]:
    dc = schema.draft_comments
    with engine.connect() as conn:
        rows = conn.execute(select(dc).where(dc.c.draft_id == draft_id).order_by(dc.c.id))
        return [
            Comment(int(r.id), draft_id, int(r.row), r.author, r.text, _utc(r.at), r.answer, r.answered_by)
            for r in rows
        ]


def answer(
    engine: Engine,
    draft_id: int,
    comment_id: int,
    text: str,
    *,
    actor: Actor,
    tree: OrgTree,
    now: dt.datetime | None = None,
) -> Comment | Refused:
    """The unit's answer to a reviewer's row comment (a return's, required for each before resubmitting, or one
    made while the form awaited review), audited; the form's state is not touched."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return Refused("答复不能为空", 422)
    at = now or _now()
    dc = schema.draft_comments
    with writing(engine) as conn:
        draft = _for(conn, draft_id, actor, tree, Action.SAVE)
        if isinstance(draft, Refused):
            return draft
        row = conn.execute(select(dc).where(dc.c.id == comment_id, dc.c.draft_id == draft_id)).first()
        if row is None:
            return Refused("没有这条意见", 404)
        conn.execute(
            update(dc)
            .where(dc.c.id == comment_id)
            .values(answer=text, answered_by=actor.user, answered_at=at)
        )
        _audit_in_place(conn, draft, actor.user, "answer", at, 0, f"第 {row.row} 行：{text}")
    return Comment(comment_id, draft_id, int(row.row), row.author, row.text, _utc(row.at), text, actor.user)


def set_review(
    engine: Engine,
    draft_id: int,
    row: int,
    score: float | None,
    note: str,
    *,
    actor: Actor,
    tree: OrgTree,
    now: dt.datetime | None = None,
) -> Review | Refused:
    """A reviewer's 核定分 and note for one row at the draft's current review level (replacing their earlier one)."""
    at = now or _now()
    dr = schema.draft_reviews
    with writing(engine) as conn:
        draft = _for(conn, draft_id, actor, tree, Action.APPROVE, reviewing=True)
        if isinstance(draft, Refused):
            return draft
        key = (dr.c.draft_id == draft_id, dr.c.row == row, dr.c.level == draft.level)
        values = {"reviewer": actor.user, "score": score, "note": note.strip()[:MAX_TEXT] or None, "at": at}
        if conn.execute(select(dr.c.id).where(*key)).first() is None:
            conn.execute(insert(dr).values(draft_id=draft_id, row=row, level=draft.level, **values))
        else:
            conn.execute(update(dr).where(*key).values(**values))
        reason = f"第 {row} 行核定分 {'' if score is None else score}"
        _audit_in_place(conn, draft, actor.user, "review", at, draft.level, reason)
    return Review(row, draft.level, actor.user, score, values["note"])  # type: ignore[arg-type]


def comment(
    engine: Engine,
    draft_id: int,
    row: int,
    text: str,
    *,
    actor: Actor,
    tree: OrgTree,
    now: dt.datetime | None = None,
) -> Comment | Refused:
    """A reviewer's comment on one row (0: the form as a whole) while the form awaits their review, without
    returning it: pinned on the unit's form and answered as a return's comments are (an open one bars 送审 after
    a 退回 until answered), audited."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return Refused("意见不能为空", 422)
    at = now or _now()
    with writing(engine) as conn:
        draft = _for(conn, draft_id, actor, tree, Action.APPROVE, reviewing=True)
        if isinstance(draft, Refused):
            return draft
        have = _get_version(conn, draft_id, draft.version)
        assert have is not None
        rows = len(json.loads(have.body).get("indicators") or [])
        if not 0 <= row <= rows:
            return Refused(f"表格没有第 {row} 行", 422)
        got = conn.execute(
            insert(schema.draft_comments).values(
                draft_id=draft_id, row=row, author=actor.user, text=text, at=at
            )
        )
        comment_id = int(got.inserted_primary_key[0])  # type: ignore[index]
        _audit_in_place(conn, draft, actor.user, "comment", at, draft.level, f"第 {row} 行：{text}")
    return Comment(comment_id, draft_id, row, actor.user, text, at)


def reviews(engine: Engine, draft_id: int) -> list[Review]:
    dr = schema.draft_reviews
    with engine.connect() as conn:
        rows = conn.execute(select(dr).where(dr.c.draft_id == draft_id).order_by(dr.c.level, dr.c.row))
        return [Review(int(r.row), int(r.level), r.reviewer, r.score, r.note) for r in rows]


@dataclass(frozen=True)
class AuditFilter:
    subjects: Collection[str] | None = None  # None: every subject the caller may see was decided elsewhere
    actor: str | None = None
    action: str | None = None
    limit: int = 500


def audit(engine: Engine, f: AuditFilter) -> list[dict[str, Any]]:
    """Audit entries, newest first, filtered by subject (the scope), actor and action."""
    al = schema.audit_log
    q = select(al).order_by(al.c.id.desc()).limit(max(1, min(f.limit, 10_000)))
    if f.subjects is not None:
        if not f.subjects:
            return []
        q = q.where(al.c.subject.in_(sorted(f.subjects)))
    if f.actor:
        q = q.where(al.c.actor == f.actor)
    if f.action:
        q = q.where(al.c.action == f.action)
    with engine.connect() as conn:
        return [{**r._mapping, "at": _utc(r.at)} for r in conn.execute(q)]


MAX_FILE = 20 * 2**20  # one 佐证材料 file
MAX_FILES = 50  # per draft


@dataclass(frozen=True)
class Evidence:
    sha256: str
    row: int
    name: str
    size: int
    author: str
    at: dt.datetime


def add_file(
    engine: Engine,
    draft_id: int,
    row: int,
    name: str,
    content: bytes,
    *,
    actor: Actor,
    tree: OrgTree,
    now: dt.datetime | None = None,
) -> Evidence | Refused:
    """A 佐证材料 file for one row (stored once per row by content hash, size-bounded), while the unit may edit."""
    import hashlib

    if not content:
        return Refused("文件为空", 422)
    if len(content) > MAX_FILE:
        return Refused(f"文件超过 {MAX_FILE // 2**20} MB 上限", 413)
    name = (name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "佐证材料")[:200]
    digest = hashlib.sha256(content).hexdigest()
    at = now or _now()
    df = schema.draft_files
    with writing(engine) as conn:
        draft = _for(conn, draft_id, actor, tree, Action.SAVE)
        if isinstance(draft, Refused):
            return draft
        if draft.state not in (State.DRAFT, State.RETURNED):
            return Refused(f"表格{draft.state.value}，不能上传佐证材料")
        have = conn.execute(
            select(func.count()).select_from(df).where(df.c.draft_id == draft_id)
        ).scalar_one()
        if int(have) >= MAX_FILES:
            return Refused(f"每份表格最多 {MAX_FILES} 个佐证材料", 413)
        known = (df.c.draft_id == draft_id, df.c.row == row, df.c.sha256 == digest)
        if conn.execute(select(df.c.id).where(*known)).first() is None:
            conn.execute(
                insert(df).values(
                    draft_id=draft_id, row=row, sha256=digest, name=name, size=len(content), content=content,
                    author=actor.user, at=at,
                )
            )  # fmt: skip
            reason = f"第 {row} 行佐证材料 {name}（{len(content)} 字节，SHA-256 {digest[:12]}…）"
            _audit_in_place(conn, draft, actor.user, "file", at, 0, reason)
    return Evidence(digest, row, name, len(content), actor.user, at)


def files(engine: Engine, draft_id: int) -> list[Evidence]:
    df = schema.draft_files
    q = select(df.c.sha256, df.c.row, df.c.name, df.c.size, df.c.author, df.c.at).where(
        df.c.draft_id == draft_id
    )
    with engine.connect() as conn:
        return [
            Evidence(r.sha256, int(r.row), r.name, int(r.size), r.author, _utc(r.at))
            for r in conn.execute(q.order_by(df.c.row, df.c.id))
        ]


def file_content(engine: Engine, draft_id: int, sha256: str) -> tuple[str, bytes] | None:
    df = schema.draft_files
    with engine.connect() as conn:
        row = conn.execute(
            select(df.c.name, df.c.content).where(df.c.draft_id == draft_id, df.c.sha256 == sha256).limit(1)
        ).first()
    return None if row is None else (row.name, bytes(row.content))
