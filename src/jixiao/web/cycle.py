"""The yearly cycle in the browser: 我的待办, a self-evaluation draft made from an approved declaration and scored
live as the unit types, the 送审 / 退回 / 审核 / 锁定 / 公开 workflow, the 填报进度 board and the audit log.

Every page has its JSON twin under ``/api/v1`` (the same data; a form's twin carries ``state`` and ``may``).  Access
goes through one place: :func:`jixiao.web.access.forms_scope` for what is listed and visible (a draft outside it
is 404, as one that does not exist), :func:`jixiao.cycle.access.can` inside :func:`jixiao.cycle.workflow.step`
for what is done.  The unit edits only what the rules let it: 全年预算数, 全年执行数, each row's 实际完成值 and
偏差原因; targets, indicators and weights come read-only from the declaration (R1).

A declaration draft (绩效目标申报表, kind ``target_declaration``) goes through the same routes: started blank or
from a previous year's declaration (:mod:`jixiao.web.cycle_declaration`), its header, funds, goals and indicator
rows edited and checked live by the C-TD rules with the 101号 guidance beside each row; once approved and locked
it is a source of the unit's self-evaluation draft.  A reviewer may comment on a row without returning the form
(``/drafts/{id}/comments``); the unit answers it as it answers a return's comments.

A draft's current version downloads as its official form (``/drafts/{id}/export.xlsx|docx|html``, the profile's
自评表 variant), and a filled-in workbook comes back through ``/drafts/{id}/import``: a page of the differences
(:func:`jixiao.cycle.imports.diff_into_draft`) whose confirm form carries the changes and the version they were
computed against, saved by ``/import/apply`` through the same versioned save as ``/save``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import inspect
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from jixiao.cycle.access import Action, Actor, Role, Subject, can
from jixiao.cycle.orgs import OrgKind, OrgTree
from jixiao.cycle.workflow import State, may
from jixiao.model import Severity, TargetDeclaration, from_v1
from jixiao.store import campaigns, drafts, schema
from jixiao.store.people import load_tree
from jixiao.web import auth as auth_mod
from jixiao.web import cycle_declaration as decl_form
from jixiao.web.access import forms_scope

if TYPE_CHECKING:
    from jixiao.pipeline import Options
    from jixiao.web.app import Web

ID = Annotated[int, PathParam(ge=1, le=2**62, description="编号")]
FUND_LINE = "年度资金总额"
TABS = ("未送审", "被退回", "待审核", "已审核", "曾经办")
STATE_LABEL = {
    State.PENDING: lambda level: f"待审核（第 {level} 级：{'主管部门' if level == 1 else '财政'}）",
}
WORKFLOW_ROUTES = {
    "submit": Action.SUBMIT,
    "recall": Action.RECALL,
    "approve": Action.APPROVE,
    "return": Action.RETURN,
    "unapprove": Action.UNAPPROVE,
    "unlock": Action.UNLOCK,
    "publish": Action.PUBLISH,
}
ACTION_LABEL = {
    "create": "创建",
    "save": "保存",
    "submit": "送审",
    "recall": "撤销送审",
    "approve": "审核通过",
    "return": "退回",
    "unapprove": "取消审核",
    "unlock": "解锁",
    "publish": "公开",
    "answer": "答复意见",
    "comment": "审核意见",
    "review": "核定分",
    "file": "佐证材料",
}
MAY_KEYS = ("save", "submit", "recall", "approve", "return", "unapprove", "unlock", "publish")


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def state_label(draft: drafts.Draft) -> str:
    label = STATE_LABEL.get(draft.state)
    return label(draft.level) if label else draft.state.value


# --- live scoring ------------------------------------------------------------------------------------------------


@cache
def _options() -> Options:
    from jixiao.pipeline import Options

    return Options()


@dataclass(frozen=True)
class Live:
    """A draft scored by the rules as it stands: what the page shows beside the unit's numbers."""

    execution_rate: float | None
    execution_score: float | None
    execution_weight: float
    points: list[float | None]
    total: float
    grade: str
    findings: list[dict[str, Any]]
    deviation_required: list[int]  # 1-based rows where a 偏差原因 is demanded (C-SE-08)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == Severity.ERROR.value)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == Severity.WARNING.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "execution_rate": self.execution_rate,
            "execution_score": self.execution_score,
            "execution_weight": self.execution_weight,
            "points": self.points,
            "total": self.total,
            "grade": self.grade,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": self.findings,
            "deviation_required": self.deviation_required,
        }


def live_score(body: Mapping[str, Any]) -> Live:
    """The rules on a draft's v1 JSON as the page shows them: :func:`jixiao.cycle.live.score_draft` (R3 execution
    rate and score, every row by R5–R8, total and grade by R9/R11, the local checks' findings pinned to their rows)."""
    from jixiao.cycle.live import score_draft

    profile = _options().profile
    res = score_draft(body, profile)
    if res.error is not None:
        raise Refusal(422, res.error)
    row_of = {id(f): r.index + 1 for r in res.rows for f in r.findings}
    rank = {"error": 0, "warning": 1}
    ordered = sorted(
        res.findings, key=lambda f: (rank.get(f.severity.value, 2), row_of.get(id(f)) or 0, f.code)
    )
    findings: list[dict[str, Any]] = [
        {"code": f.code, "severity": f.severity.value, "message": f.message, "row": row_of.get(id(f))}
        for f in ordered
    ]
    total = res.total_score if res.total_score is not None else 0.0
    return Live(
        execution_rate=res.execution_rate,
        execution_score=res.execution_score if res.execution_rate is not None else None,
        execution_weight=res.execution_weight
        if res.execution_weight is not None
        else profile.execution_weight,
        points=[r.score for r in res.rows],
        total=total,
        grade=res.grade or profile.grade(total),
        findings=findings,
        # while C-SE-08 stands on a row (a missed target with no 偏差原因): it goes once the unit writes one
        deviation_required=sorted(
            {x["row"] for x in findings if x["code"] == "C-SE-08" and x["row"] is not None}
        ),
    )


def check_body(kind: str, body: Mapping[str, Any]) -> Live | decl_form.Checked:
    """The rules on a draft as its page shows them: a declaration's C-TD findings, a self-evaluation's live
    scoring; both say how many errors (送审 is refused while one remains) and warnings (to acknowledge) remain."""
    if kind == decl_form.KIND:
        return decl_form.checked(body, _options().profile)
    return live_score(body)


def self_evaluation_from(declaration: TargetDeclaration | Mapping[str, Any]) -> dict[str, Any]:
    """A self-evaluation draft's v1 JSON from an approved declaration: the library's one maker,
    :func:`jixiao.cycle.live.draft_from_declaration` (R1: the scored indicators with their targets and weights;
    R15: 投入和管理 rows are not scored and are left out, each departure from the printed form said in a DRAFT-*
    note), under the server's profile; a declaration it cannot use is refused with its reason."""
    from jixiao.cycle.live import draft_from_declaration

    try:
        return draft_from_declaration(declaration, _options().profile)
    except ValueError as exc:
        raise Refusal(422, str(exc)) from None


def _number(name: str, raw: str) -> float | None:
    """A typed amount (thousands separators allowed), None when empty; not a finite number is refused (422)."""
    try:
        return decl_form.number(name, raw)
    except ValueError as exc:
        raise Refusal(422, str(exc)) from None


def apply_edits(body: dict[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The unit's edits on a copy of ``body``: only the fields the unit may fill in; an indicator row is never
    added, dropped or re-weighted (R1), whatever the request holds."""
    out = {**body, "funds": [dict(f) for f in body.get("funds") or []]}
    fund = next((f for f in out["funds"] if str(f.get("line", "")).startswith(FUND_LINE)), None)
    if fund is not None:
        if "annual_budget" in form:
            fund["annual_budget"] = _number("全年预算数", form["annual_budget"])
        if "executed" in form:
            fund["executed"] = _number("全年执行数", form["executed"])
        fund.pop("execution_rate", None)  # recomputed, never typed
        fund.pop("score", None)
    rows = [dict(i) for i in body.get("indicators") or []]
    for n, row in enumerate(rows, start=1):
        for key in ("actual", "deviation"):
            raw = form.get(f"{key}_{n}")
            if raw is not None:
                row[key] = raw.strip()[:2000] or None
        row.pop("score", None)  # the rules score each row
    out["indicators"] = rows
    goal = dict(body.get("goal") or {})
    if "goal_actual" in form:
        goal["actual"] = form["goal_actual"].strip()[:4000] or None
        out["goal"] = goal
    return out


def scored_body(body: dict[str, Any], live: Live) -> dict[str, Any]:
    """The body with the rules' scores written in (what is saved, so that exports carry them)."""
    out = {**body, "funds": [dict(f) for f in body.get("funds") or []]}
    fund = next((f for f in out["funds"] if str(f.get("line", "")).startswith(FUND_LINE)), None)
    if fund is not None:
        fund["execution_rate"] = live.execution_rate
        fund["score"] = live.execution_score
    out["indicators"] = [
        {**row, "score": p} for row, p in zip(body.get("indicators") or [], live.points, strict=False)
    ]
    out["total_score"] = live.total
    out["grade"] = live.grade
    return out


# --- the router --------------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    """One request's actor, tree and scope."""

    actor: Actor
    tree: OrgTree
    units: frozenset[str]
    who: auth_mod.Who
    extra: dict[str, Any] = field(default_factory=dict)


def router(web: Web) -> APIRouter:
    """The cycle's pages, their JSON twins, and the login pages (one router for ``create_app`` to include)."""
    engine = web.engine
    auth: auth_mod.Auth = getattr(web, "auth", None) or auth_mod.Auth(engine)
    web.auth = auth  # type: ignore[attr-defined]
    r = APIRouter(include_in_schema=False)
    r.include_router(auth_mod.router(web, auth))

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def ctx(request: Request) -> Ctx:
        with engine.connect() as conn:  # one read transaction: the session, its user and grants, the tree
            who = auth.who(request, conn)
            if not who.actor.grants:
                raise Refusal(401, "请先登录")
            tree = load_tree(conn)
        return Ctx(who.actor, tree, forms_scope(who.actor, tree).units, who)

    def fail(request: Request, exc: Refusal) -> Response:
        if exc.status == 401 and not is_api(request) and request.method == "GET":
            return auth_mod.login_redirect(request)
        if is_api(request) or request.url.path.endswith((".csv", ".json")):
            return JSONResponse({"code": "refused", "message": exc.message}, status_code=exc.status)
        return web.page(
            request, "error.html", status=exc.status, status_code=exc.status, code="refused", message=exc.message,
            title="无法完成", who=auth.who(request),
        )  # fmt: skip

    def handle(fn: Callable[..., Any]) -> Callable[..., Any]:
        """A route whose refusals become the page or JSON error (the signature is kept for FastAPI)."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(request: Request, *args: Any, **kwargs: Any) -> Response:
                try:
                    result: Response = await fn(request, *args, **kwargs)
                except Refusal as exc:
                    return fail(request, exc)
                return result

            return run_async

        @functools.wraps(fn)
        def run(request: Request, *args: Any, **kwargs: Any) -> Response:
            try:
                result: Response = fn(request, *args, **kwargs)
            except Refusal as exc:
                return fail(request, exc)
            return result

        return run

    def page(
        request: Request, template: str, data: dict[str, Any], status: int = 200, **extra: Any
    ) -> Response:
        if is_api(request):
            return JSONResponse(_jsonable(data), status_code=status)
        return web.page(request, template, status=status, data=data, who=auth.who(request), **extra)

    def visible(c: Ctx, draft_id: int) -> drafts.Draft:
        d = drafts.get(engine, draft_id)
        if d is None or d.org not in c.units:
            raise Refusal(404, "没有这份表格")
        return d

    def row_of(c: Ctx, d: drafts.Draft, today: dt.date) -> dict[str, Any]:
        camp = campaigns.get_campaign(engine, d.campaign_id) if d.campaign_id else None
        org = c.tree.orgs.get(d.org)
        return {
            "id": d.id,
            "project": d.project,
            "kind": d.kind,
            "kind_label": campaigns.KINDS.get(d.kind, d.kind),
            "year": d.year,
            "unit": d.org,
            "unit_name": org.name if org else d.org,
            "state": d.state.value,
            "state_label": state_label(d),
            "level": d.level,
            "version": d.version,
            "updated_at": d.updated_at,
            "deadline": camp.deadline_for(d.org) if camp else None,
            "days_left": camp.days_left(d.org, today) if camp else None,
            "open_comments": d.open_comments,
        }

    def tabs(c: Ctx) -> dict[str, list[drafts.Draft]]:
        mine = drafts.list_drafts(engine, c.units)
        login = c.actor.user

        def may_do(d: drafts.Draft, action: Action, level: int | None = None) -> bool:
            return bool(can(c.actor, action, d.subject, c.tree, level=level))

        acted = set(drafts.acted_on(engine, login))
        return {
            "未送审": [d for d in mine if d.state is State.DRAFT and may_do(d, Action.SAVE)],
            "被退回": [d for d in mine if d.state is State.RETURNED and may_do(d, Action.SAVE)],
            "待审核": [d for d in mine if d.state is State.PENDING and may_do(d, Action.APPROVE, d.level)],
            "已审核": [
                d for d in mine
                if login in d.approvals
                or (d.state in (State.LOCKED, State.PUBLISHED) and may_do(d, Action.SAVE))
            ],
            "曾经办": [d for d in mine if d.id in acted],
        }  # fmt: skip

    def todo_data(c: Ctx, tab: str) -> dict[str, Any]:
        today = dt.date.today()
        groups = tabs(c)
        chosen = tab if tab in groups else next((t for t in TABS if groups[t]), TABS[0])
        return {
            "tab": chosen,
            "counts": {t: len(groups[t]) for t in TABS},
            "items": [row_of(c, d, today) for d in groups[chosen]],
            "may_create": any(g.role is Role.UNIT_FILER for g in c.actor.grants),
        }

    @r.get("/-/todo", response_class=HTMLResponse)
    @r.get("/api/v1/todo")
    @handle
    def todo(request: Request, tab: str = "") -> Response:
        c = ctx(request)
        return page(request, "cycle_todo.html", todo_data(c, tab), title="我的待办", tabs=TABS)

    @r.post("/-/todo/approve")
    @r.post("/api/v1/todo/approve")
    @handle
    async def bulk_approve(request: Request) -> Response:
        """审核通过 for several forms at once: only those with no error finding, each its own audited step."""
        c = ctx(request)
        if request.headers.get("content-type", "").startswith("application/json"):
            raw = (await request.json() or {}).get("ids") or []
        else:
            raw = (await request.form(max_fields=2000, max_files=0)).getlist("ids")
        ids = [int(v) for v in (raw if isinstance(raw, list) else [])[:500] if str(v).isdigit()]
        approved: list[int] = []
        skipped: list[dict[str, Any]] = []
        for draft_id in ids:
            d = drafts.get(engine, draft_id)
            if d is None or d.org not in c.units:
                skipped.append({"id": draft_id, "reason": "没有这份表格"})
                continue
            current = drafts.current(engine, d.id)
            assert current is not None
            errors = check_body(d.kind, current.document()).errors
            if errors:
                skipped.append({"id": draft_id, "reason": f"仍有 {errors} 个错误，需逐份审核"})
                continue
            got = drafts.act(
                engine, d.id, Action.APPROVE, actor=c.actor, tree=c.tree, expected=current.version
            )
            if isinstance(got, drafts.Refused):
                skipped.append({"id": draft_id, "reason": got.reason})
            else:
                approved.append(draft_id)
        if is_api(request):
            return JSONResponse({"approved": approved, "skipped": skipped})
        data = todo_data(c, "待审核")
        return page(request, "cycle_todo.html", {**data, "bulk": {"approved": approved, "skipped": skipped}},
                    title="我的待办", tabs=TABS)  # fmt: skip

    def declarations_for(c: Ctx) -> list[dict[str, Any]]:
        """Stored declarations whose 申报单位 is a unit the actor fills in (matched by name)."""
        names = {
            c.tree.orgs[u].name: u for u in sorted(c.units)
            if can(c.actor, Action.SAVE, Subject(unit=u), c.tree)
        }  # fmt: skip
        if not names:
            return []
        d, o = schema.documents, schema.organisations
        q = (
            select(d.c.id, d.c.year, d.c.project_name, o.c.name)
            .join(o, o.c.id == d.c.unit_id)
            .where(d.c.kind == "target_declaration", d.c.current.is_(True), o.c.name.in_(sorted(names)))
            .order_by(d.c.year.desc(), d.c.id)
            .limit(500)
        )
        with engine.connect() as conn:
            return [
                {
                    "document_id": r.id,
                    "year": r.year,
                    "project": r.project_name,
                    "unit": names[r.name],
                    "unit_name": r.name,
                }
                for r in conn.execute(q)
            ]

    def fillable(c: Ctx) -> list[str]:
        """The units whose forms the actor fills in (单位填报)."""
        return [u for u in sorted(c.units) if can(c.actor, Action.SAVE, Subject(unit=u), c.tree)]

    def approved_declarations(c: Ctx) -> list[dict[str, Any]]:
        """Declaration drafts approved and locked (or published) in units the actor fills in: the sources a
        self-evaluation draft may be made from, beside the stored declarations."""
        units = fillable(c)
        done = drafts.list_drafts(engine, units, states=(State.LOCKED, State.PUBLISHED)) if units else []
        return [
            {"draft_id": x.id, "year": x.year, "project": x.project, "unit": x.org,
             "unit_name": c.tree.orgs[x.org].name if x.org in c.tree else x.org, "version": x.version}
            for x in done if x.kind == decl_form.KIND
        ]  # fmt: skip

    def new_data(c: Ctx) -> dict[str, Any]:
        units = fillable(c)
        declared = drafts.list_drafts(engine, units) if units else []
        camp = next((x for x in campaigns.list_campaigns(engine) if x.kind == decl_form.KIND), None)
        return {
            "declarations": declarations_for(c),
            "approved_drafts": approved_declarations(c),
            "units": [{"code": u, "name": c.tree.orgs[u].name} for u in units],
            "layouts": decl_form.LAYOUTS,
            "declaration_year": camp.year if camp else dt.date.today().year + 1,
            "previous_drafts": [
                {"draft_id": x.id, "year": x.year, "project": x.project, "unit": x.org}
                for x in declared
                if x.kind == decl_form.KIND
            ],
        }

    @r.get("/drafts/new", response_class=HTMLResponse)
    @r.get("/api/v1/drafts/new")
    @handle
    def new_draft(request: Request) -> Response:
        c = ctx(request)
        return page(request, "cycle_new.html", new_data(c), title="新建表格")

    @r.post("/drafts")
    @r.post("/api/v1/drafts")
    @handle
    async def create_draft(request: Request) -> Response:
        c = ctx(request)
        form = await _form(request)
        if form.get("kind") == decl_form.KIND:
            return create_declaration(request, c, form)
        if form.get("declaration_draft", "").strip():
            return self_evaluation_from_draft(request, c, form["declaration_draft"].strip())
        try:
            decl_id = int(form.get("declaration", ""))
        except ValueError:
            raise Refusal(422, "请选择一份已批复的绩效目标申报表") from None
        chosen = next((x for x in declarations_for(c) if x["document_id"] == decl_id), None)
        if chosen is None:
            raise Refusal(404, "没有这份申报表，或它不属于你填报的单位")
        from jixiao.store.query import load_documents

        with engine.connect() as conn:
            decl = load_documents(conn, [decl_id]).get(decl_id)
        if not isinstance(decl, TargetDeclaration) or decl.year is None or not decl.indicators:
            raise Refusal(422, "这份申报表缺少年度或绩效指标，不能生成自评表")
        existing = [
            x for x in drafts.list_drafts(engine, {chosen["unit"]}, year=decl.year)
            if x.declaration_id == decl_id
        ]  # fmt: skip
        if existing:
            return _created(request, existing[0].id)
        camp = campaigns.find_campaign(engine, decl.year, "self_evaluation")
        made = drafts.create(
            engine, org=chosen["unit"], project=decl.project or "未命名项目", kind="self_evaluation", year=decl.year,
            body=self_evaluation_from(decl), actor=c.actor, tree=c.tree,
            campaign_id=camp.id if camp else None, declaration_id=decl_id,
        )  # fmt: skip
        if isinstance(made, drafts.Refused):
            raise Refusal(made.status, made.reason)
        return _created(request, made.id)

    def self_evaluation_from_draft(request: Request, c: Ctx, raw: str) -> Response:
        """A self-evaluation draft from an approved (locked) declaration draft of the unit, linked to it
        (``declaration_draft_id``); one per declaration draft: the one it already has is answered instead."""
        chosen = next((x for x in approved_declarations(c) if str(x["draft_id"]) == raw), None)
        if chosen is None:
            raise Refusal(404, "没有这份已审核锁定的申报表，或它不属于你填报的单位")
        current = drafts.current(engine, chosen["draft_id"])
        assert current is not None
        body = self_evaluation_from(current.document())
        existing = drafts.made_from(engine, chosen["draft_id"])
        if existing is not None:
            return _created(request, existing.id)
        camp = campaigns.find_campaign(engine, chosen["year"], "self_evaluation")
        made = drafts.create(
            engine, org=chosen["unit"], project=chosen["project"], kind="self_evaluation", year=chosen["year"],
            body=body, actor=c.actor, tree=c.tree, campaign_id=camp.id if camp else None,
            declaration_draft_id=chosen["draft_id"],
            reason=f"由申报表草稿 {chosen['draft_id']}（第 {chosen['version']} 版，{current.snapshot[:12]}）生成",
        )  # fmt: skip
        if isinstance(made, drafts.Refused):
            raise Refusal(made.status, made.reason)
        return _created(request, made.id)

    def create_declaration(request: Request, c: Ctx, form: Mapping[str, str]) -> Response:
        """A declaration draft for a unit the actor fills in: blank in one of the two layouts, or copied from a
        previous declaration (a stored one, ``document:ID``, or a draft, ``draft:ID``)."""
        unit = form.get("unit", "").strip()
        if unit not in fillable(c):
            raise Refusal(404, "没有这个单位，或你不能为它填报")
        year_raw = form.get("year", "").strip()
        if not (year_raw.isdigit() and 1900 <= int(year_raw) <= 2200):
            raise Refusal(422, "年度应为 1900–2200 之间的整数")
        year = int(year_raw)
        source = form.get("source", "").strip()
        org = c.tree.orgs[unit]
        dep = c.tree.department_of(unit)
        try:
            if source.startswith("document:"):
                doc_id = source.removeprefix("document:")
                listed = next((x for x in declarations_for(c) if str(x["document_id"]) == doc_id), None)
                if listed is None or listed["unit"] != unit:
                    raise Refusal(404, "没有这份申报表，或它不属于这个单位")
                from jixiao.store.query import load_documents

                with engine.connect() as conn:
                    old = load_documents(conn, [int(doc_id)]).get(int(doc_id))
                if not isinstance(old, TargetDeclaration):
                    raise Refusal(422, "这份文档不是绩效目标申报表")
                body = decl_form.copied(old, year)
            elif source.startswith("draft:"):
                raw = source.removeprefix("draft:")
                old_draft = drafts.get(engine, int(raw)) if raw.isdigit() and len(raw) < 15 else None
                if old_draft is None or old_draft.org != unit or old_draft.kind != decl_form.KIND:
                    raise Refusal(404, "没有这份申报表草稿，或它不属于这个单位")
                old_version = drafts.current(engine, old_draft.id)
                assert old_version is not None
                body = decl_form.copied(old_version.document(), year)
            else:
                project = form.get("project", "").strip()[:200]
                if not project:
                    raise Refusal(422, "请填写项目名称")
                body = decl_form.blank(source.removeprefix("blank:") or "绩效目标表", year=year, unit=org.name,
                                       department=dep.name if dep else None, project=project)  # fmt: skip
        except ValueError as exc:
            raise Refusal(422, str(exc)) from None
        project = str(body.get("project") or "未命名项目")
        camp = campaigns.find_campaign(engine, year, decl_form.KIND)
        made = drafts.create(
            engine, org=unit, project=project, kind=decl_form.KIND, year=year, body=body, actor=c.actor,
            tree=c.tree, campaign_id=camp.id if camp else None,
            reason=f"复制自 {source}" if source.startswith(("document:", "draft:")) else "空白表样",
        )  # fmt: skip
        if isinstance(made, drafts.Refused):
            raise Refusal(made.status, made.reason)
        return _created(request, made.id)

    def draft_data(c: Ctx, d: drafts.Draft, body: dict[str, Any] | None = None) -> dict[str, Any]:
        current = drafts.current(engine, d.id)
        assert current is not None
        body = body if body is not None else current.document()
        live = check_body(d.kind, body)
        allowed = may(d.form, c.actor, c.tree)
        comments = drafts.comments(engine, d.id)
        reviews = drafts.reviews(engine, d.id)
        today = dt.date.today()
        log = drafts.audit(engine, drafts.AuditFilter(subjects={f"draft:{d.id}"}, limit=200))
        lock_reason = next(
            (e["reason"] for e in log if e["action"] in ("approve", "publish") and e["after"] in (State.LOCKED.value, State.PUBLISHED.value)),
            None,
        )  # fmt: skip
        return {
            **row_of(c, d, today),
            "state": d.state.value,
            "may": {k: allowed.get(k, False) for k in MAY_KEYS},
            "submitter": d.submitter,
            "approvals": list(d.approvals),
            "snapshot": current.snapshot,
            "document": body,
            "live": live.to_dict(),
            "comments": [
                {"id": x.id, "row": x.row, "author": x.author, "text": x.text, "at": x.at, "answer": x.answer,
                 "answered_by": x.answered_by}
                for x in comments
            ],
            "reviews": [
                {"row": x.row, "level": x.level, "reviewer": x.reviewer, "score": x.score, "note": x.note}
                for x in reviews
            ],
            "versions": [
                {"version": v.version, "author": v.author, "at": v.at, "snapshot": v.snapshot}
                for v in drafts.versions(engine, d.id)
            ],
            "history": [_audit_row(e) for e in log],
            "files": [
                {"sha256": f.sha256, "row": f.row, "name": f.name, "size": f.size, "author": f.author, "at": f.at}
                for f in drafts.files(engine, d.id)
            ],
            "locked_reason": (
                "表格已审核通过并锁定，不能修改" + (f"（{lock_reason}）" if lock_reason else "")
                if d.state in (State.LOCKED, State.PUBLISHED) else None
            ),
            "may_review": d.state is State.PENDING
            and bool(can(c.actor, Action.APPROVE, d.subject, c.tree, level=d.level)),
            "may_answer": bool(can(c.actor, Action.SAVE, d.subject, c.tree)),
            "kind": d.kind,
            "declaration_id": d.declaration_id,  # the stored declaration (documents.id) it was made from
            "declaration_draft": source_of(c, d),
            **(declaration_extra(body) if d.kind == decl_form.KIND else {}),
        }  # fmt: skip

    def source_of(c: Ctx, d: drafts.Draft) -> dict[str, Any] | None:
        """The declaration draft a self-evaluation draft was made from, as its page links it (None: none, or not
        one the actor may see)."""
        if d.declaration_draft_id is None:
            return None
        src = drafts.get(engine, d.declaration_draft_id)
        if src is None or src.org not in c.units:
            return None
        return {"id": src.id, "project": src.project, "year": src.year, "state": src.state.value,
                "url": f"/drafts/{src.id}"}  # fmt: skip

    def declaration_extra(body: Mapping[str, Any]) -> dict[str, Any]:
        layout = decl_form.form_of(body)
        return {
            "layout": layout, "layout_label": decl_form.LAYOUTS[layout], "help": decl_form.row_help(body),
            "general_help": decl_form.general_help(), "level1_choices": list(decl_form.LEVEL1_CHOICES[layout]),
            "amount_labels": decl_form.AMOUNT_LABELS[layout], "box_options": decl_form.box_options(body),
        }  # fmt: skip

    @r.get("/drafts/{draft_id}.json")
    @handle
    def draft_export(request: Request, draft_id: ID) -> Response:
        c = ctx(request)
        visible(c, draft_id)
        current = drafts.current(engine, draft_id)
        assert current is not None
        return Response(current.body, media_type="application/json")

    @r.get("/drafts/{draft_id}/versions/{number}.json")
    @handle
    def draft_version(request: Request, draft_id: ID, number: ID) -> Response:
        c = ctx(request)
        visible(c, draft_id)
        v = drafts.version(engine, draft_id, number)
        if v is None:
            raise Refusal(404, "没有这个版本")
        return Response(v.body, media_type="application/json")

    @r.get("/drafts/{draft_id}/versions/{number}", response_class=HTMLResponse)
    @r.get("/api/v1/drafts/{draft_id}/versions/{number}")
    @handle
    def draft_diff(request: Request, draft_id: ID, number: ID) -> Response:
        """修改记录: what version ``number`` changed against the one before it, field by field."""
        c = ctx(request)
        d = visible(c, draft_id)
        new = drafts.version(engine, d.id, number)
        if new is None:
            raise Refusal(404, "没有这个版本")
        old = drafts.version(engine, d.id, number - 1) if number > 1 else None
        changes = diff(old.document() if old else {}, new.document())
        data = {
            "id": d.id, "project": d.project, "version": number, "author": new.author, "at": new.at,
            "snapshot": new.snapshot, "previous": old.snapshot if old else None, "changes": changes,
        }  # fmt: skip
        return page(request, "cycle_diff.html", data, title=f"修改记录 第 {number} 版")

    @r.get("/drafts/{draft_id}", response_class=HTMLResponse)
    @r.get("/api/v1/drafts/{draft_id}")
    @handle
    def draft_page(request: Request, draft_id: ID) -> Response:
        c = ctx(request)
        d = visible(c, draft_id)
        data = draft_data(c, d)
        if d.kind == decl_form.KIND:
            return page(request, "cycle_declaration.html", data, title=f"绩效目标申报 {d.year} {d.project}")
        return page(request, "cycle_draft.html", data, title=f"绩效自评 {d.year} {d.project}", notice="")

    @r.post("/drafts/{draft_id}/save")
    @r.post("/api/v1/drafts/{draft_id}/save")
    @handle
    async def save(request: Request, draft_id: ID) -> Response:
        c = ctx(request)
        form = await _form(request)
        if request.headers.get("hx-request") == "true" and not is_api(request):
            try:
                got = save_draft(request, c, draft_id, form, fragment=True)
                if form.get("op"):  # a row added or removed: the page is drawn again with it
                    got.headers["HX-Refresh"] = "true"
                return got
            except (
                Refusal
            ) as exc:  # the live panel says why; the version is not moved on, so typing on is refused too
                d = visible(c, draft_id)
                current = drafts.current(engine, d.id)
                assert current is not None
                data = {"live": check_body(d.kind, current.document()).to_dict(), "version": d.version}
                return web.page(request, _live_template(d.kind), data=data, oob=False, error=exc.message)
        return save_draft(request, c, draft_id, form, fragment=False)

    def save_draft(
        request: Request, c: Ctx, draft_id: int, form: dict[str, str], *, fragment: bool
    ) -> Response:
        """One save: the unit's edits applied to the current version and scored, in the store's transaction."""
        try:
            expected = int(form.get("expected", ""))
        except ValueError:
            raise Refusal(422, "缺少所编辑的版本号（expected）") from None
        scored: dict[str, Live | decl_form.Checked] = {}
        kinds: list[str] = []

        def edit(current: dict[str, Any]) -> dict[str, Any]:
            kinds.append(str(current.get("kind", "self_evaluation")))
            if kinds[0] == decl_form.KIND:  # a declaration: the unit's edits as typed, checked by C-TD
                try:
                    declared = decl_form.apply_edits(current, form)
                except ValueError as exc:
                    raise Refusal(422, str(exc)) from None
                scored["live"] = check_body(decl_form.KIND, declared)
                return declared
            edited = apply_edits(current, form)
            live = scored["live"] = live_score(edited)
            return scored_body(edited, live)

        got = drafts.save(engine, draft_id, edit, expected=expected, actor=c.actor, tree=c.tree)
        if isinstance(got, drafts.Refused):
            raise Refusal(got.status, got.reason)
        if isinstance(got, drafts.Stale):
            if fragment:
                raise Refusal(409, got.reason + "；请刷新页面查看对方的修改")
            other = got.current.document()
            data = {"saved": False, "stale": True, "message": got.reason, "version": got.current.version,
                    "other": other, "other_author": got.current.author}  # fmt: skip
            if is_api(request):
                return JSONResponse(_jsonable(data), status_code=409)
            try:
                mine = (decl_form.apply_edits if other.get("kind") == decl_form.KIND else apply_edits)(
                    other, form
                )
            except ValueError:
                mine = other
            return web.page(
                request, "cycle_stale.html", status=409, data=data, who=c.who, draft_id=draft_id,
                mine=mine, title="保存冲突",
            )  # fmt: skip
        live = scored["live"] if "live" in scored else check_body(got.draft.kind, got.version.document())
        data = {
            "saved": got.changed, "stale": False, "version": got.draft.version, "state": got.draft.state.value,
            "snapshot": got.version.snapshot, "live": live.to_dict(),
        }  # fmt: skip
        if is_api(request):
            return JSONResponse(_jsonable(data))
        if fragment:
            submit_form = may(got.draft.form, c.actor, c.tree).get("submit", False)  # the page shows 送审
            return web.page(request, _live_template(got.draft.kind),
                            data={"live": live.to_dict(), "version": got.draft.version},
                            oob=True, saved=got.changed, submit_form=submit_form)  # fmt: skip
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)

    def make_action(name: str, action: Action) -> None:
        @r.post(f"/drafts/{{draft_id}}/{name}", name=f"draft_{name}")
        @r.post(f"/api/v1/drafts/{{draft_id}}/{name}", name=f"draft_{name}_json")
        @handle
        async def act(request: Request, draft_id: ID) -> Response:
            c = ctx(request)
            d = visible(c, draft_id)
            form = await _form(request)
            current = drafts.current(engine, d.id)
            assert current is not None
            live = check_body(d.kind, current.document())
            expected = form.get("expected", "")
            notes = [
                (int(k.split("_", 1)[1]), v) for k, v in form.items()
                if k.startswith("comment_") and k.split("_", 1)[1].isdigit() and v.strip()
            ]  # fmt: skip
            got = drafts.act(
                engine, d.id, action, actor=c.actor, tree=c.tree, reason=form.get("reason", ""),
                errors=live.errors, unacknowledged=0 if form.get("ack") else live.warnings, comments=notes,
                expected=int(expected) if expected.isdigit() else current.version,  # the version scored here
            )  # fmt: skip
            if isinstance(got, drafts.Refused):
                raise Refusal(got.status, got.reason)
            if is_api(request):
                data = draft_data(c, got.draft)
                return JSONResponse(
                    _jsonable({k: data[k] for k in ("id", "state", "level", "version", "may")})
                )
            return RedirectResponse(f"/drafts/{d.id}", status_code=303)

    for route_name, route_action in WORKFLOW_ROUTES.items():
        make_action(route_name, route_action)

    @r.post("/drafts/{draft_id}/files")
    @r.post("/api/v1/drafts/{draft_id}/files")
    @handle
    async def upload_file(request: Request, draft_id: ID) -> Response:
        """佐证材料 for one row: multipart (``row``, ``file``), its CSRF token in the header or ``?csrftoken=``."""
        c = ctx(request)
        d = visible(c, draft_id)
        raw_row, filename, content = await _one_upload(request)
        row = int(raw_row) if raw_row.isdigit() else 0
        got = drafts.add_file(engine, d.id, row, filename, content, actor=c.actor, tree=c.tree)
        if isinstance(got, drafts.Refused):
            raise Refusal(got.status, got.reason)
        if is_api(request):
            return JSONResponse(
                {"sha256": got.sha256, "row": got.row, "name": got.name, "size": got.size}, status_code=201
            )
        return RedirectResponse(f"/drafts/{d.id}#files", status_code=303)

    @r.get("/drafts/{draft_id}/files/{sha256}")
    @handle
    def download_file(
        request: Request, draft_id: ID, sha256: Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")]
    ) -> Response:
        c = ctx(request)
        d = visible(c, draft_id)
        found = drafts.file_content(engine, d.id, sha256)
        if found is None:
            raise Refusal(404, "没有这个文件")
        name, content = found
        ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        return Response(
            content, media_type="application/octet-stream", headers={"Content-Disposition": disposition}
        )

    @r.post("/drafts/{draft_id}/comments/{comment_id}/answer")
    @r.post("/api/v1/drafts/{draft_id}/comments/{comment_id}/answer")
    @handle
    async def answer(request: Request, draft_id: ID, comment_id: ID) -> Response:
        c = ctx(request)
        d = visible(c, draft_id)
        form = await _form(request)
        got = drafts.answer(engine, d.id, comment_id, form.get("answer", ""), actor=c.actor, tree=c.tree)
        if isinstance(got, drafts.Refused):
            raise Refusal(got.status, got.reason)
        if is_api(request):
            return JSONResponse({"id": got.id, "answer": got.answer})
        return RedirectResponse(f"/drafts/{d.id}#comments", status_code=303)

    @r.post("/drafts/{draft_id}/comments")
    @r.post("/api/v1/drafts/{draft_id}/comments")
    @handle
    async def add_comment(request: Request, draft_id: ID) -> Response:
        """A reviewer's comment on one row (``row``, 0 for the whole form; ``text``) without returning the form."""
        c = ctx(request)
        d = visible(c, draft_id)
        form = await _form(request)
        raw_row = form.get("row", "").strip()
        if not (raw_row.isdigit() and len(raw_row) < 6):
            raise Refusal(422, "请选择意见所指的行")
        got = drafts.comment(engine, d.id, int(raw_row), form.get("text", ""), actor=c.actor, tree=c.tree)
        if isinstance(got, drafts.Refused):
            raise Refusal(got.status, got.reason)
        if is_api(request):
            return JSONResponse({"id": got.id, "row": got.row, "text": got.text}, status_code=201)
        return RedirectResponse(f"/drafts/{d.id}#comments", status_code=303)

    @r.post("/drafts/{draft_id}/review")
    @r.post("/api/v1/drafts/{draft_id}/review")
    @handle
    async def review(request: Request, draft_id: ID) -> Response:
        c = ctx(request)
        d = visible(c, draft_id)
        form = await _form(request)
        current = drafts.current(engine, d.id)
        assert current is not None
        n_rows = len(current.document().get("indicators") or [])
        done = 0
        for n in range(1, n_rows + 1):
            raw, note = form.get(f"review_{n}"), form.get(f"review_note_{n}", "")
            if raw is None and not note:
                continue
            score = _number(f"第 {n} 行核定分", raw or "")
            got = drafts.set_review(engine, d.id, n, score, note, actor=c.actor, tree=c.tree)
            if isinstance(got, drafts.Refused):
                raise Refusal(got.status, got.reason)
            done += 1
        if not done:
            raise Refusal(422, "没有填写核定分")
        if is_api(request):
            return JSONResponse({"rows": done})
        return RedirectResponse(f"/drafts/{d.id}#review", status_code=303)

    # --- a draft's official forms out, and an XLSX into a draft ---------------------------------------------------

    @r.get("/drafts/{draft_id}/export.{fmt}")
    @handle
    def draft_form(request: Request, draft_id: ID, fmt: str) -> Response:
        """The draft's current version as its official form (the profile's 自评表 variant), for download."""
        c = ctx(request)
        d = visible(c, draft_id)
        writer = _form_writer(fmt)
        current = drafts.current(engine, d.id)
        assert current is not None
        from jixiao.export import ExportItem
        from jixiao.export.layout import variant_for
        from jixiao.web.app import _download

        doc = from_v1(current.document())
        content = writer([ExportItem(doc, project_name=d.project)], variant_for(_options().profile))
        title = "绩效目标申报表" if d.kind == decl_form.KIND else "绩效自评表"
        name = f"{d.year}年度{d.project}{title}（第{current.version}版）.{fmt}"
        return _download(content, name, FORM_TYPES[fmt])

    async def upload_of(request: Request) -> tuple[str, bytes]:
        """The one workbook of a multipart import (``file``), bounded as a 佐证材料 upload is."""
        _, filename, content = await _one_upload(request)
        name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "未命名.xlsx"
        if len(content) > drafts.MAX_FILE:
            raise Refusal(413, f"文件超过 {drafts.MAX_FILE // 2**20} MB 上限")
        if not content:
            raise Refusal(422, f"{name}：文件是空的")
        return name, content

    @r.post("/drafts/{draft_id}/import")
    @r.post("/api/v1/drafts/{draft_id}/import")
    @handle
    async def import_preview(request: Request, draft_id: ID) -> Response:
        """What an uploaded workbook would change in the draft (field, old, new) and what it leaves out; nothing
        is saved here: the page's confirm form carries the changes and the version they were computed against."""
        from jixiao.cycle.imports import diff_into_draft

        c = ctx(request)
        d = visible(c, draft_id)
        if d.kind == decl_form.KIND:
            raise Refusal(422, "申报表草稿请在页面上填写；从 Excel 导入只用于绩效自评表")
        name, content = await upload_of(request)
        current = drafts.current(engine, d.id)
        assert current is not None
        result = diff_into_draft(current.document(), content, name, _options().profile)
        if result.refused is not None:
            raise Refusal(422, result.refused)
        data = {
            "id": d.id, "project": d.project, "year": d.year, "file": name, "version": current.version,
            "may_save": bool(may(d.form, c.actor, c.tree).get("save", False)),
            **result.to_dict(),
        }  # fmt: skip
        return page(
            request, "cycle_import.html", data, title=f"导入 {name}", changes_json=_dumps(data["changes"])
        )

    @r.post("/drafts/{draft_id}/import/apply")
    @r.post("/api/v1/drafts/{draft_id}/import/apply")
    @handle
    async def import_apply(request: Request, draft_id: ID) -> Response:
        """The confirmed import saved as a new version through the draft's versioned save: refused when the draft
        moved on since the preview (the other change shown), or where the actor may not save."""
        from jixiao.cycle.imports import Change, ImportResult

        c = ctx(request)
        d = visible(c, draft_id)
        if request.headers.get("content-type", "").startswith("application/json"):
            sent = await _json_object(request)
            expected_raw, raw = str(sent.get("expected", "")), sent.get("changes")
        else:
            form = await _form(request)
            expected_raw, raw = form.get("expected", ""), form.get("changes", "")
        if not expected_raw.isdigit():
            raise Refusal(422, "缺少导入所依据的版本号（expected）")
        expected = int(expected_raw)
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise Refusal(422, "导入的修改（changes）不是有效的 JSON") from None
        changes = tuple(Change(path, None, value) for path, value in _import_changes(raw))
        if not changes:
            raise Refusal(422, "没有要导入的修改")
        scored: dict[str, Live] = {}

        def edit(body: dict[str, Any]) -> dict[str, Any]:
            for ch in changes:
                _check_index(body, ch.path)
            edited = ImportResult(changes=changes).applied(body)
            scored["live"] = live_score(edited)
            return scored_body(edited, scored["live"])

        got = drafts.save(engine, d.id, edit, expected=expected, actor=c.actor, tree=c.tree)
        if isinstance(got, drafts.Refused):
            raise Refusal(got.status, got.reason)
        if isinstance(got, drafts.Stale):
            other = got.current.document()
            data = {"saved": False, "stale": True, "message": got.reason + "；请重新上传文件核对修改",
                    "version": got.current.version, "other": other, "other_author": got.current.author}  # fmt: skip
            if is_api(request):
                return JSONResponse(_jsonable(data), status_code=409)
            return web.page(
                request, "cycle_stale.html", status=409, data=data, who=c.who, draft_id=d.id,
                mine=ImportResult(changes=changes).applied(other), title="导入冲突",
            )  # fmt: skip
        if is_api(request):
            return JSONResponse(
                {"saved": got.changed, "version": got.draft.version, "snapshot": got.version.snapshot,
                 "changes": len(changes), "live": scored["live"].to_dict() if "live" in scored else None}
            )  # fmt: skip
        return RedirectResponse(f"/drafts/{d.id}", status_code=303)

    def progress_data(c: Ctx, year: int | None) -> dict[str, Any]:
        camps = [x for x in campaigns.list_campaigns(engine) if x.kind == "self_evaluation"]
        camp = next((x for x in camps if x.year == year), None) if year else (camps[0] if camps else None)
        year = year or (camp.year if camp else None)
        today = dt.date.today()
        listed = drafts.list_drafts(engine, c.units, year=year) if year else []
        units = sorted(u for u in c.units if c.tree.orgs[u].kind is OrgKind.UNIT)
        buckets = {
            "草稿": {State.DRAFT}, "待审": {State.PENDING}, "退回": {State.RETURNED},
            "通过": {State.LOCKED, State.PUBLISHED},
        }  # fmt: skip
        rows: list[dict[str, Any]] = []
        for u in units:
            theirs = [x for x in listed if x.org == u and x.kind == "self_evaluation"]
            counts = {k: sum(1 for x in theirs if x.state in states) for k, states in buckets.items()}
            rows.append({
                "unit": u, "unit_name": c.tree.orgs[u].name,
                "department": (dep.name if (dep := c.tree.department_of(u)) else ""),
                "未填": 0 if theirs else 1, **counts,
                "deadline": camp.deadline_for(u) if camp else None,
                "days_left": camp.days_left(u, today) if camp else None,
            })  # fmt: skip
        return {
            "year": year,
            "campaign": {"id": camp.id, "title": camp.title, "deadline": camp.deadline} if camp else None,
            "columns": ["未填", *buckets],
            "units": rows,
            "totals": {k: sum(x[k] for x in rows) for k in ["未填", *buckets]},
        }

    def campaigns_data(c: Ctx) -> dict[str, Any]:
        today = dt.date.today()
        manager = any(g.role is Role.PERFORMANCE_ADMIN for g in c.actor.grants)
        return {
            "may_manage": manager,
            "kinds": campaigns.KINDS,
            "units": [{"code": u, "name": c.tree.orgs[u].name} for u in sorted(c.units)
                      if c.tree.orgs[u].kind is OrgKind.UNIT],
            "campaigns": [
                {
                    "id": x.id, "year": x.year, "kind": x.kind, "title": x.title, "starts_on": x.starts_on,
                    "deadline": x.deadline, "days_left": (x.deadline - today).days,
                    "extensions": [
                        {"unit": org, "unit_name": c.tree.orgs[org].name if org in c.tree else org,
                         "deadline": until, "reason": why}
                        for org, (until, why) in sorted(x.extensions.items()) if org in c.units or manager
                    ],
                }
                for x in campaigns.list_campaigns(engine)
            ],
        }  # fmt: skip

    @r.get("/-/campaigns", response_class=HTMLResponse)
    @r.get("/api/v1/campaigns")
    @handle
    def campaign_list(request: Request) -> Response:
        c = ctx(request)
        return page(request, "cycle_campaigns.html", campaigns_data(c), title="填报任务")

    def _date(name: str, raw: str) -> dt.date:
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise Refusal(422, f"{name}应为日期（YYYY-MM-DD），收到「{raw.strip()[:20]}」") from None

    @r.post("/-/campaigns")
    @r.post("/api/v1/campaigns")
    @handle
    async def campaign_create(request: Request) -> Response:
        c = ctx(request)
        form = await _form(request)
        year = form.get("year", "").strip()
        if not (year.isdigit() and 1900 <= int(year) <= 2200):
            raise Refusal(422, "年度应为 1900–2200 之间的整数")
        got = campaigns.create_campaign(
            engine, year=int(year), kind=form.get("kind", "self_evaluation"),
            starts_on=_date("开始日期", form.get("starts_on", "")), deadline=_date("截止日期", form.get("deadline", "")),
            actor=c.actor, tree=c.tree, title=form.get("title", ""),
        )  # fmt: skip
        if isinstance(got, campaigns.CampaignRefused):
            raise Refusal(403 if "只有" in got.reason else 409, got.reason)
        if is_api(request):
            return JSONResponse({"id": got.id, "title": got.title}, status_code=201)
        return RedirectResponse("/-/campaigns", status_code=303)

    @r.post("/-/campaigns/{campaign_id}/extend")
    @r.post("/api/v1/campaigns/{campaign_id}/extend")
    @handle
    async def campaign_extend(request: Request, campaign_id: ID) -> Response:
        c = ctx(request)
        form = await _form(request)
        got = campaigns.extend(
            engine, campaign_id, form.get("unit", "").strip(), _date("延期至", form.get("deadline", "")),
            form.get("reason", ""), actor=c.actor, tree=c.tree,
        )  # fmt: skip
        if isinstance(got, campaigns.CampaignRefused):
            raise Refusal(403 if "只有" in got.reason else 409, got.reason)
        if is_api(request):
            return JSONResponse({"id": got.id, "extensions": len(got.extensions)})
        return RedirectResponse("/-/campaigns", status_code=303)

    @r.get("/-/progress", response_class=HTMLResponse)
    @r.get("/api/v1/progress")
    @handle
    def progress(request: Request, year: str = "") -> Response:
        c = ctx(request)
        y = int(year) if year.isdigit() and 1900 <= int(year) <= 2200 else None
        return page(request, "cycle_progress.html", progress_data(c, y), title="填报进度")

    def audit_data(c: Ctx, request: Request) -> dict[str, Any]:
        q = request.query_params
        subjects: set[str] | None = {
            f"draft:{x.id}" for x in drafts.list_drafts(engine, c.units, limit=100_000)
        }
        if any(g.role is Role.SYSTEM_ADMIN for g in c.actor.grants):
            subjects = None  # 系统管理 reads the whole log (users, orgs and forms)
        wanted = q.get("draft", "")
        if wanted.isdigit():
            key = f"draft:{int(wanted)}"
            subjects = {key} if subjects is None or key in subjects else set()
        f = drafts.AuditFilter(
            subjects=subjects, actor=(q.get("actor") or "").strip()[:128] or None,
            action=(q.get("action") or "").strip()[:32] or None, limit=1000,
        )  # fmt: skip
        return {"entries": [_audit_row(e) for e in drafts.audit(engine, f)], "filters": dict(q)}

    @r.get("/-/audit", response_class=HTMLResponse)
    @r.get("/api/v1/audit")
    @handle
    def audit(request: Request) -> Response:
        c = ctx(request)
        return page(
            request, "cycle_audit.html", audit_data(c, request), title="审计日志", ACTION_LABEL=ACTION_LABEL
        )

    @r.get("/-/audit.csv")
    @handle
    def audit_csv(request: Request) -> Response:
        c = ctx(request)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(
            [
                "编号",
                "时间",
                "操作人",
                "操作",
                "对象",
                "原状态",
                "新状态",
                "审核级次",
                "版本",
                "快照哈希",
                "说明",
            ]
        )
        for e in audit_data(c, request)["entries"]:
            w.writerow([e["id"], e["at"], e["actor"], e["action_label"], e["subject"], e["before"], e["after"],
                        e["level"], e["version"], e["snapshot"], e["reason"]])  # fmt: skip
        return Response(
            ("\ufeff" + buf.getvalue()).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )

    return r


FIELD_LABEL = {
    "actual": "实际完成值", "deviation": "偏差原因", "score": "得分", "annual_budget": "全年预算数",
    "executed": "全年执行数", "execution_rate": "执行率", "total_score": "总分", "grade": "等级",
}  # fmt: skip


def _flat(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(v, f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value, start=1):
            _flat(v, f"{path}[{i}]", out)
    else:
        out[path] = value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every leaf field that differs between two v1 bodies, with a Chinese label (第 3 行 实际完成值)."""
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flat(dict(old), "", a)
    _flat(dict(new), "", b)
    out = []
    for key in sorted(set(a) | set(b), key=lambda k: (k.split("[")[0], k)):
        if a.get(key) == b.get(key):
            continue
        label = key
        if key.startswith("indicators["):
            row, _, field = key[len("indicators[") :].partition("].")
            label = f"第 {row} 行 {FIELD_LABEL.get(field, field)}"
        elif key.startswith("funds["):
            label = f"项目资金 {FIELD_LABEL.get(key.rpartition('.')[2], key)}"
        else:
            label = FIELD_LABEL.get(key, key)
        out.append({"field": key, "label": label, "before": a.get(key), "after": b.get(key)})
    return out


FORM_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
# what an import may change (the paths jixiao.cycle.imports makes): a number or a text each
_IMPORT_PATHS = (
    (re.compile(r"funds\[(\d{1,4})\]\.(?:initial_budget|annual_budget|executed)"), "number"),
    (re.compile(r"indicators\[(\d{1,4})\]\.score"), "number"),
    (re.compile(r"indicators\[(\d{1,4})\]\.(?:actual|deviation)"), "text"),
    (re.compile(r"goal\.actual"), "text"),
)
MAX_IMPORT_CHANGES = 2000


def _form_writer(fmt: str) -> Callable[..., bytes]:
    """The official-form writer of ``fmt`` (items, variant → bytes); an unknown format is 404."""
    from jixiao.export.docx import to_docx
    from jixiao.export.html import to_html
    from jixiao.export.xlsx import to_xlsx

    writers: dict[str, Callable[..., bytes]] = {"xlsx": to_xlsx, "docx": to_docx, "html": to_html}
    if fmt not in writers:
        raise Refusal(404, f"没有「{fmt[:20]}」这种导出格式（可用 xlsx、docx、html）")
    return writers[fmt]


def _import_changes(raw: Any) -> list[tuple[str, Any]]:
    """The confirmed changes of an import (``[{"path", "new"}, ...]``), each path one an import may make and each
    value of its type: the confirm form cannot carry more than an uploaded file could."""
    if not isinstance(raw, list) or len(raw) > MAX_IMPORT_CHANGES:
        raise Refusal(422, "导入的修改（changes）应为修改的列表")
    out: list[tuple[str, Any]] = []
    for item in raw:
        path, new = (item.get("path"), item.get("new")) if isinstance(item, dict) else (None, None)
        kind = next((k for rx, k in _IMPORT_PATHS if isinstance(path, str) and rx.fullmatch(path)), None)
        if kind is None:
            raise Refusal(422, f"导入不能修改「{str(path)[:60]}」")
        if kind == "number":
            if isinstance(new, bool) or not isinstance(new, int | float | None):
                raise Refusal(422, f"「{path}」应为数字")
            if new is not None and (not math.isfinite(new) or abs(new) > 1e15):
                raise Refusal(422, f"「{path}」超出范围")
        elif not isinstance(new, str):
            raise Refusal(422, f"「{path}」应为文字")
        else:
            new = new[: 4000 if path == "goal.actual" else 2000]
        out.append((str(path), new))
    return out


def _check_index(body: Mapping[str, Any], path: str) -> None:
    """A change's row is one the draft has (an import never adds a fund line or an indicator row, R1)."""
    key, _, rest = path.partition("[")
    if rest and int(rest.partition("]")[0]) >= len(body.get(key) or []):
        raise Refusal(422, f"导入的修改「{path}」超出草稿的行数")


def _dumps(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False)


def _audit_row(e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "at": e["at"],
        "actor": e["actor"],
        "action": e["action"],
        "action_label": ACTION_LABEL.get(e["action"], e["action"]),
        "subject": e["subject"],
        "before": e["before"],
        "after": e["after"],
        "level": e["level"],
        "version": e["version"],
        "snapshot": e["snapshot"],
        "reason": e["reason"] or "",
    }


def _live_template(kind: str) -> str:
    return "cycle_declaration_live.html" if kind == decl_form.KIND else "cycle_live.html"


async def _one_upload(request: Request) -> tuple[str, str, bytes]:
    """A multipart POST's ``row`` field, and its one ``file``'s name and bytes (read up to one byte past
    :data:`drafts.MAX_FILE`, so that the store can refuse a larger one)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(422, "请以 multipart/form-data 上传文件")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > drafts.MAX_FILE + 2**20:
        raise Refusal(413, f"文件超过 {drafts.MAX_FILE // 2**20} MB 上限")
    form = await request.form(max_files=1, max_fields=5)
    raw_row, upload = form.get("row"), form.get("file")
    if isinstance(upload, str) or upload is None:
        raise Refusal(422, "请选择要上传的文件")
    content = await upload.read(drafts.MAX_FILE + 1)
    await form.close()
    return (raw_row if isinstance(raw_row, str) else ""), upload.filename or "", content


async def _json_object(request: Request) -> dict[str, Any]:
    """A JSON request's body, which must be one object."""
    try:
        data = await request.json()
    except ValueError:
        raise Refusal(422, "请求正文不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise Refusal(422, "请求正文应为 JSON 对象")
    return data


async def _form(request: Request) -> dict[str, str]:
    """A POST's fields: form-encoded (pages, htmx) or a JSON object (API clients)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        data = await _json_object(request)
        return {str(k): "" if v is None else str(v) for k, v in list(data.items())[:2000]}
    form = await request.form(max_fields=2000, max_files=0)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _created(request: Request, draft_id: int) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"id": draft_id, "url": f"/drafts/{draft_id}"}, status_code=201)
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
