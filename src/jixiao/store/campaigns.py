"""Campaigns (自评任务 / 申报任务): one per year and kind, with a start and a deadline, and per-unit 延期 with a
reason.  Every change is audited; :func:`deadline_for` is what a unit's countdown counts to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from jixiao.cycle.access import Action, Actor, Subject, can
from jixiao.cycle.orgs import OrgTree
from jixiao.store import schema
from jixiao.store.engine import writing

KINDS = {"self_evaluation": "绩效自评", "target_declaration": "绩效目标申报"}


@dataclass(frozen=True)
class Campaign:
    id: int
    year: int
    kind: str
    title: str
    starts_on: dt.date
    deadline: dt.date
    extensions: dict[str, tuple[dt.date, str]]  # org code → (extended deadline, reason)

    def deadline_for(self, org: str) -> dt.date:
        got = self.extensions.get(org)
        return got[0] if got else self.deadline

    def days_left(self, org: str, today: dt.date) -> int:
        return (self.deadline_for(org) - today).days


@dataclass(frozen=True)
class CampaignRefused:
    reason: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _audit(conn: object, actor: str, action: str, subject: str, reason: str) -> None:
    conn.execute(  # type: ignore[attr-defined]
        insert(schema.audit_log).values(at=_now(), actor=actor, action=action, subject=subject, reason=reason)
    )


def _may_manage(actor: Actor, tree: OrgTree, org: str | None) -> bool:
    """绩效管理 over ``org`` (or over some root when the campaign is the whole tree's)."""
    roots = [o.code for o in tree.orgs.values() if o.parent is None]
    targets = [org] if org else roots
    return any(can(actor, Action.MANAGE_CAMPAIGNS, Subject(unit=t), tree) for t in targets)


def create_campaign(
    engine: Engine,
    *,
    year: int,
    kind: str,
    starts_on: dt.date,
    deadline: dt.date,
    actor: Actor,
    tree: OrgTree,
    title: str = "",
) -> Campaign | CampaignRefused:
    if kind not in KINDS:
        return CampaignRefused(f"未知任务类型「{kind}」，可用：{'、'.join(KINDS)}")
    if deadline < starts_on:
        return CampaignRefused("截止日期不能早于开始日期")
    if not _may_manage(actor, tree, None):
        return CampaignRefused("只有绩效管理员可以设置填报任务")
    name = title.strip()[:200] or f"{year} 年度{KINDS[kind]}"
    try:
        with writing(engine) as conn:
            cid = conn.execute(
                insert(schema.campaigns).values(
                    year=year,
                    kind=kind,
                    title=name,
                    starts_on=starts_on,
                    deadline=deadline,
                    created_by=actor.user,
                    created_at=_now(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            _audit(
                conn, actor.user, "campaign.create", f"campaign:{cid}", f"{name}：{starts_on} 至 {deadline}"
            )
    except IntegrityError:
        return CampaignRefused(f"{year} 年度已有{KINDS[kind]}任务")
    got = get_campaign(engine, int(cid))
    assert got is not None
    return got


def extend(
    engine: Engine, campaign_id: int, org: str, deadline: dt.date, reason: str, *, actor: Actor, tree: OrgTree
) -> Campaign | CampaignRefused:
    """延期 for one unit, with a reason (the latest extension counts; earlier ones stay in the table)."""
    if not reason.strip():
        return CampaignRefused("延期必须填写原因")
    if org not in tree:
        return CampaignRefused(f"组织编码不存在：{org}")
    if not _may_manage(actor, tree, org):
        return CampaignRefused("只有绩效管理员可以批准延期")
    campaign = get_campaign(engine, campaign_id)
    if campaign is None:
        return CampaignRefused("没有这个填报任务")
    with writing(engine) as conn:
        conn.execute(
            insert(schema.campaign_extensions).values(
                campaign_id=campaign_id,
                org_code=org,
                deadline=deadline,
                reason=reason.strip()[:2000],
                granted_by=actor.user,
                granted_at=_now(),
            )
        )
        _audit(
            conn,
            actor.user,
            "campaign.extend",
            f"campaign:{campaign_id}",
            f"{org} 延期至 {deadline}：{reason}",
        )
    got = get_campaign(engine, campaign_id)
    assert got is not None
    return got


def get_campaign(engine: Engine, campaign_id: int) -> Campaign | None:
    found = _campaigns(engine, campaign_id)
    return found[0] if found else None


def list_campaigns(engine: Engine) -> list[Campaign]:
    return _campaigns(engine, None)


def find_campaign(engine: Engine, year: int, kind: str) -> Campaign | None:
    return next((c for c in _campaigns(engine, None) if c.year == year and c.kind == kind), None)


def _campaigns(engine: Engine, campaign_id: int | None) -> list[Campaign]:
    c, ce = schema.campaigns, schema.campaign_extensions
    q = select(c).order_by(c.c.year.desc(), c.c.kind)
    qe = select(ce).order_by(ce.c.id)
    if campaign_id is not None:
        q = q.where(c.c.id == campaign_id)
        qe = qe.where(ce.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        rows = list(conn.execute(q))
        ext: dict[int, dict[str, tuple[dt.date, str]]] = {}
        for e in conn.execute(qe):
            ext.setdefault(int(e.campaign_id), {})[e.org_code] = (e.deadline, e.reason)
    return [
        Campaign(int(r.id), int(r.year), r.kind, r.title, r.starts_on, r.deadline, ext.get(int(r.id), {}))
        for r in rows
    ]
