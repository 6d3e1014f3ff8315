"""The FastAPI application: server-rendered pages (Jinja2, autoescaped; htmx makes them faster, they work
without JavaScript), a JSON twin of every page under ``/api/v1`` described by OpenAPI at ``/api/docs``, CSV
exports, uploads and 合并/拆分 as CSRF-protected POSTs.

``create_app(db)`` opens the store (SQLite file or PostgreSQL URL) and returns the ASGI application.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from asgi_csrf import asgi_csrf
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException

from jixiao.store import link as linking
from jixiao.store import relink, search, writing
from jixiao.store.engine import StoreError, open_engine, open_store
from jixiao.store.query import projects as project_entries
from jixiao.store.views import KIND_SHORT, KIND_TITLE, fmt
from jixiao.web import cycle, pages, schemas
from jixiao.web.access import Reader, Scope, scope_for
from jixiao.web.upload import Limits, UploadRefused, Uploads

HERE = Path(__file__).parent
ID = Annotated[int, PathParam(ge=1, le=2**62, description="编号")]
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class BadParameter(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def _int(name: str, raw: str | None, lo: int = 0, hi: int = 2**62) -> int | None:
    """A query-string integer: empty means unset (a form sends empty fields), anything else must be one."""
    if raw is None or raw.strip() == "":
        return None
    try:
        v = int(raw.strip())
    except ValueError:
        raise BadParameter(name, f"参数 {name} 应为整数，收到「{raw[:40]}」") from None
    if not lo <= v <= hi:
        raise BadParameter(name, f"参数 {name} 超出范围（{lo}–{hi}）")
    return v


def _float(name: str, raw: str | None) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        v = float(raw.strip())
    except ValueError:
        raise BadParameter(name, f"参数 {name} 应为数字，收到「{raw[:40]}」") from None
    if not -1e6 <= v <= 1e6:
        raise BadParameter(name, f"参数 {name} 超出范围")
    return v


def _text(raw: str | None, limit: int = 200) -> str | None:
    if raw is None or raw.strip() == "":
        return None
    return raw.strip()[:limit]


def project_filter(
    q: Annotated[str | None, Query(description="项目名称关键词（全文检索）")] = None,
    year: Annotated[str | None, Query(description="年度")] = None,
    department: Annotated[str | None, Query(description="主管部门编号")] = None,
    unit: Annotated[str | None, Query(description="实施单位编号")] = None,
    kind: Annotated[str | None, Query(description="文档类型")] = None,
    grade: Annotated[str | None, Query(description="自评等级或评价结论")] = None,
    code: Annotated[str | None, Query(description="检查代码")] = None,
    score_min: Annotated[str | None, Query(description="最低得分（百分制）")] = None,
    score_max: Annotated[str | None, Query(description="最高得分（百分制）")] = None,
) -> search.ProjectFilter:
    k = _text(kind)
    if k is not None and k not in KIND_TITLE:
        raise BadParameter("kind", f"未知文档类型「{k[:40]}」，可用：{'、'.join(KIND_TITLE)}")
    return search.ProjectFilter(
        q=_text(q),
        year=_int("year", year, 1900, 2200),
        department=_int("department", department),
        unit=_int("unit", unit),
        kind=k,
        grade=_text(grade),
        code=_text(code, 40),
        score_min=_float("score_min", score_min),
        score_max=_float("score_max", score_max),
    )


def finding_filter(
    code: Annotated[str | None, Query(description="检查代码")] = None,
    severity: Annotated[str | None, Query(description="error | warning | info")] = None,
    year: Annotated[str | None, Query(description="年度")] = None,
    department: Annotated[str | None, Query(description="主管部门编号")] = None,
    project: Annotated[str | None, Query(description="项目编号")] = None,
) -> search.FindingFilter:
    s = _text(severity)
    if s is not None and s not in SEVERITY_LABEL:
        raise BadParameter("severity", f"未知严重程度「{s[:40]}」，可用：error、warning、info")
    return search.FindingFilter(
        code=_text(code, 40),
        severity=s,
        year=_int("year", year, 1900, 2200),
        department=_int("department", department),
        project=_int("project", project),
    )


def paging(
    after: Annotated[str | None, Query(description="上一页最后一项的编号（键集分页）")] = None,
    limit: Annotated[str | None, Query(description="每页条数（1–500）")] = None,
) -> tuple[int | None, int]:
    return _int("after", after, 1), _int("limit", limit, 1, 500) or 50


def compare_ids(
    d: Annotated[list[str] | None, Query(description="要对比的文档编号（可重复，1–8 个）")] = None,
) -> list[int]:
    return [v for v in (_int("d", x, 1) for x in (d or [])[:20]) if v is not None]


CMP = Annotated[list[int], Depends(compare_ids)]


def dept_param(dept: Annotated[str | None, Query(description="主管部门编号（下钻）")] = None) -> int | None:
    return _int("dept", dept)


class _Everything:
    """asgi-csrf's ``always_protect``: every POST needs the token, with or without a cookie."""

    def __contains__(self, _path: object) -> bool:
        return True


async def _csrf_failed(
    scope: dict[str, Any], send: Callable[[dict[str, Any]], Awaitable[None]], _error: Any
) -> None:
    body = json.dumps(
        {"code": "csrf", "message": "请求缺少有效的 CSRF 令牌：请刷新页面后重试"}, ensure_ascii=False
    )
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/json; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


class MultipartToken:
    """asgi-csrf 0.11 cannot parse multipart bodies with the python-multipart of today (``FileClass`` was
    removed), so a multipart POST is checked here, outside asgi-csrf: its token (the ``x-csrftoken`` header, or
    ``?csrftoken=`` in an upload form's action) must be the cookie's and carry our signature.  A good one is
    passed on as the header, which asgi-csrf accepts without reading the body; anything else is refused."""

    def __init__(self, app: Callable[..., Awaitable[None]], secret: str) -> None:
        from itsdangerous.url_safe import URLSafeSerializer

        self.app = app
        self.signer = URLSafeSerializer(secret)

    def _valid(self, token: str, cookie: str) -> bool:
        from itsdangerous import BadSignature

        if not token or not secrets.compare_digest(token, cookie):
            return False
        try:
            self.signer.loads(token, "csrftoken")
        except BadSignature:
            return False
        return True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"content-type", b"").startswith(b"multipart/form-data"):
                from http.cookies import SimpleCookie
                from urllib.parse import parse_qs

                jar: SimpleCookie = SimpleCookie()
                jar.load(headers.get(b"cookie", b"").decode("latin-1"))
                cookie = jar["csrftoken"].value if "csrftoken" in jar else ""
                token = headers.get(b"x-csrftoken", b"").decode("latin-1")
                if not token:
                    token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("csrftoken", [""])[
                        0
                    ]
                if not self._valid(token, cookie):
                    await _csrf_failed(scope, send, None)
                    return
                kept = [(k, v) for k, v in scope["headers"] if k != b"x-csrftoken"]
                scope = {**scope, "headers": [*kept, (b"x-csrftoken", token.encode("latin-1"))]}
        await self.app(scope, receive, send)


def _qs(current: dict[str, Any], **changes: Any) -> str:
    """The query string of the current filters with ``changes`` (None removes a key); ``after`` is dropped
    unless given, so that a new filter starts at the first page."""
    params = {k: v for k, v in current.items() if k != "after"}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    text = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return "?" + text if text else "?"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        qs=_qs,
        fmt=fmt,
        KIND_TITLE=KIND_TITLE,
        KIND_SHORT=KIND_SHORT,
        SEVERITY_LABEL=SEVERITY_LABEL,
        FACET_NAMES=pages.FACET_NAMES,
    )
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


class Web:
    """What the routes share: the store, the templates, the uploads, the server's mode."""

    def __init__(self, engine: Engine, *, read_only: bool, limits: Limits | None = None) -> None:
        self.engine = engine
        self.read_only = read_only
        self.env = _templates()
        self.uploads = Uploads(engine, limits)

    @contextmanager
    def conn(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def scope(self, request: Request) -> Scope:
        return scope_for(Reader(), read_only=self.read_only)

    def page(self, request: Request, template: str, status: int = 200, **data: Any) -> HTMLResponse:
        token = request.scope.get("csrftoken")
        html = self.env.get_template(template).render(
            request=request,
            path=request.url.path,
            query=dict(request.query_params),
            csrftoken=token() if callable(token) else "",
            read_only=self.read_only,
            **data,
        )
        return HTMLResponse(html, status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(web: Web, request: Request, status: int, code: str, message: str) -> Response:
    if _is_api(request) or request.url.path.endswith((".csv", ".json")):
        return JSONResponse({"code": code, "message": message}, status_code=status)
    return web.page(request, "error.html", status=status, status_code=status, code=code, message=message)


def create_app(
    db: str | None = None,
    *,
    engine: Engine | None = None,
    read_only: bool = False,
    limits: Limits | None = None,
) -> FastAPI:
    """The web application over the store at ``db`` (SQLAlchemy URL or SQLite file; default ./jixiao.db), or
    over ``engine``.  ``read_only``: no upload, no 合并/拆分 (for publishing a store)."""
    if engine is None:
        engine = open_store(db, write=False) if read_only else open_engine(db)
    web = Web(engine, read_only=read_only, limits=limits)
    app = FastAPI(
        title="jixiao 绩效",
        description="预算绩效文档库：每个页面都有对应的 JSON（/api/v1…）。",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = web
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.url.path != "/api/docs":  # Swagger UI loads its own script and style
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(pages.NotFound)
    async def not_found(request: Request, exc: pages.NotFound) -> Response:
        return _error(web, request, 404, "not_found", exc.message)

    @app.exception_handler(pages.BadRequest)
    async def bad_request(request: Request, exc: pages.BadRequest) -> Response:
        return _error(web, request, 422, "invalid", exc.message)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        return _error(web, request, 422, "invalid", exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())[1:]) or "请求"
        return _error(web, request, 422, "invalid", f"参数 {where} 无效")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "页面不存在", 405: "不支持这种请求方法", 413: "上传内容过大"}
        message = (
            exc.detail
            if isinstance(exc.detail, str) and exc.status_code not in messages
            else messages.get(exc.status_code, "请求无效")
        )
        return _error(web, request, exc.status_code, "http", message)

    @app.exception_handler(UploadRefused)
    async def refused(request: Request, exc: UploadRefused) -> Response:
        return _error(web, request, exc.status, exc.code, exc.message)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error(web, request, 503, "store", f"数据库暂不可用：{str(exc).splitlines()[0]}")

    app.include_router(_api(web), prefix="/api/v1")
    app.include_router(cycle.router(web))  # the cycle's pages, twins and login (issue 11)
    app.include_router(_html(web))
    secret = os.environ.get("JIXIAO_CSRF_SECRET") or secrets.token_hex(32)  # shared by `serve`'s workers
    app.add_middleware(
        asgi_csrf,
        signing_secret=secret,
        always_protect=_Everything(),
        send_csrf_failed=_csrf_failed,
    )
    app.add_middleware(MultipartToken, secret=secret)
    return app


def _scope(request: Request) -> Scope:
    web: Web = request.app.state.web
    return web.scope(request)


S = Annotated[Scope, Depends(_scope)]
PF = Annotated[search.ProjectFilter, Depends(project_filter)]
FF = Annotated[search.FindingFilter, Depends(finding_filter)]
PG = Annotated[tuple[int | None, int], Depends(paging)]
DEPT = Annotated[int | None, Depends(dept_param)]


def _api(web: Web) -> APIRouter:
    r = APIRouter(
        tags=["JSON"], responses={404: {"model": schemas.ErrorOut}, 422: {"model": schemas.ErrorOut}}
    )

    @r.get("/", response_model=schemas.OverviewOut, summary="工作台")
    def overview_json(scope: S) -> Any:
        with web.conn() as conn:
            return pages.overview(conn, scope)

    @r.get("/projects", response_model=schemas.ProjectListOut, summary="项目库")
    def projects_json(scope: S, f: PF, pg: PG) -> Any:
        with web.conn() as conn:
            return pages.project_list(conn, scope, f, *pg)

    @r.get("/projects/{project_id}", response_model=schemas.TimelineOut, summary="项目档案")
    def project_json(scope: S, project_id: ID) -> Any:
        with web.conn() as conn:
            return pages.project_timeline(conn, scope, project_id)

    @r.get(
        "/documents/{document_id}", response_model=schemas.DocumentOut, summary="文档（官方表样与检查结果）"
    )
    def document_json(scope: S, document_id: ID) -> Any:
        with web.conn() as conn:
            return pages.document_page(conn, scope, document_id)

    @r.get("/compare", response_model=schemas.CompareOut, summary="对比文档")
    def compare_json(scope: S, ids: CMP) -> Any:
        with web.conn() as conn:
            return pages.compare(conn, scope, ids)

    @r.get("/findings", response_model=schemas.FindingListOut, summary="问题清单")
    def findings_json(scope: S, f: FF, pg: PG) -> Any:
        with web.conn() as conn:
            return pages.finding_list(conn, scope, f, pg[0], pg[1] if pg[1] != 50 else 100)

    @r.get("/rules", response_model=schemas.RuleListOut, summary="检查规则")
    def rules_json(scope: S) -> Any:
        with web.conn() as conn:
            return pages.rules(conn, scope)

    @r.get("/rules/{code}", response_model=schemas.RuleOut, summary="一条检查规则")
    def rule_json(scope: S, code: Annotated[str, PathParam(max_length=40)]) -> Any:
        with web.conn() as conn:
            return pages.rule(conn, scope, code)

    @r.get("/dashboards", response_model=schemas.DashboardOut, summary="仪表盘")
    def dashboards_json(scope: S, dept: DEPT) -> Any:
        with web.conn() as conn:  # validated and encoded once per store generation (the memo keeps the bytes)
            return Response(pages.dashboards_json(conn, scope, dept), media_type="application/json")

    @r.get("/upload/{job_id}", response_model=schemas.UploadOut, summary="上传与入库进度")
    def upload_json(job_id: Annotated[str, PathParam(max_length=64)]) -> Any:
        job = web.uploads.get(job_id)
        if job is None:
            raise pages.NotFound("没有这次上传")
        return job.to_dict()

    @r.post("/upload", response_model=schemas.UploadOut, status_code=202, summary="上传文件（后台入库）")
    async def upload_post(request: Request, scope: S) -> Any:
        return (await _start_upload(web, request, scope)).to_dict()

    return r


async def _start_upload(web: Web, request: Request, scope: Scope) -> Any:
    if not scope.may("upload"):
        raise UploadRefused(403, "read_only", "本站为只读发布，不接受上传")
    limits = web.uploads.limits
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_total + 1024 * 1024:
        raise UploadRefused(413, "upload.total", f"上传总量超过 {limits.max_total // (1024 * 1024)} MB 上限")
    form = await request.form(max_files=limits.max_files + 1, max_fields=20)
    files: list[tuple[str, bytes]] = []
    for value in form.getlist("files"):
        if isinstance(value, str):
            continue
        data = await value.read(limits.max_bytes + 1)
        files.append((value.filename or "", data))
    await form.close()
    return web.uploads.start(files)


def _html(web: Web) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def home(request: Request, scope: S) -> Response:
        with web.conn() as conn:
            data = pages.overview(conn, scope)
        return web.page(request, "home.html", data=data, title="工作台")

    @r.get("/projects", response_class=HTMLResponse)
    def projects(request: Request, scope: S, f: PF, pg: PG) -> Response:
        with web.conn() as conn:
            data = pages.project_list(conn, scope, f, *pg)
        return web.page(request, "projects.html", data=data, title="项目库")

    @r.get("/projects.csv")
    def projects_csv(scope: S, f: PF) -> Response:
        header = [
            "编号",
            "项目",
            "主管部门",
            "实施单位",
            "年度",
            "文档类型",
            "文档数",
            "最近得分",
            "等级",
            "错误",
            "警告",
            "提示",
        ]
        with web.conn() as conn:
            rows = [
                [
                    r.id,
                    r.name,
                    r.department,
                    r.unit,
                    " ".join(map(str, r.years)),
                    " ".join(KIND_SHORT.get(k, k) for k in r.kinds),
                    r.documents,
                    r.score,
                    r.grade,
                    r.findings.get("error", 0),
                    r.findings.get("warning", 0),
                    r.findings.get("info", 0),
                ]
                for r in pages.all_projects(conn, scope, f)
            ]
        return _download(pages.csv_bytes(header, iter(rows)), "projects.csv", "text/csv; charset=utf-8")

    @r.get("/projects/{project_id}", response_class=HTMLResponse)
    def project(request: Request, scope: S, project_id: ID) -> Response:
        with web.conn() as conn:
            data = pages.project_timeline(conn, scope, project_id)
        return web.page(request, "project.html", data=data, title=data["name"], may_link=scope.may("link"))

    @r.get("/projects/{project_id}/export.{fmt}")
    def project_export(
        scope: S, project_id: ID, fmt: Annotated[str, PathParam(pattern="^(json|csv|xlsx|docx|html)$")]
    ) -> Response:
        from jixiao.export import FORMATS, ExportItem, export, written
        from jixiao.export.flat import to_csv
        from jixiao.store.query import load_documents

        with web.conn() as conn:
            data = pages.project_timeline(conn, scope, project_id)
            ids = [s["document_id"] for s in data["steps"]]
            docs = load_documents(conn, ids)
        items = written(
            [ExportItem(docs[i], i, project_id, data["name"], None) for i in ids if i in docs], fmt
        )
        if not items:
            raise pages.NotFound(f"这个项目没有可导出为 {fmt} 的文档（{FORMATS[fmt].help}）")
        body = to_csv(items, bom=True) if fmt == "csv" else export(items, fmt)
        types = {
            "json": "application/json",
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "html": "text/html; charset=utf-8",
        }
        return _download(body, f"project-{project_id}.{fmt}", types[fmt])

    @r.post("/projects/{project_id}/split")
    async def split(request: Request, scope: S, project_id: ID) -> Response:
        if not scope.may("link"):
            raise UploadRefused(403, "read_only", "本站为只读发布，不能修改项目关联")
        form = await request.form()
        doc_id = _int("document", str(form.get("document") or ""), 1)
        with writing(web.engine) as conn:
            if doc_id is None or not scope.sees_project(conn, project_id):
                raise pages.NotFound("没有这个项目或文档")
            found = project_entries(conn, [project_id])
            if not found or doc_id not in {d.id for d in found[0].documents}:
                raise pages.NotFound(f"文档 {doc_id} 不在项目 {project_id} 中")
            infos = linking.current_documents(conn, [d.id for d in found[0].documents])
            me = next(i for i in infos if i.id == doc_id)
            linking.record_split(conn, me.identity, [i.identity for i in infos if i.id != doc_id], "网页拆分")
        relink(web.engine)
        search.refresh_store_facts(web.engine)
        with web.conn() as conn:
            new = search.linked_project(conn, doc_id)
        return RedirectResponse(f"/projects/{new or project_id}", status_code=303)

    @r.post("/projects/{project_id}/merge")
    async def merge(request: Request, scope: S, project_id: ID) -> Response:
        if not scope.may("link"):
            raise UploadRefused(403, "read_only", "本站为只读发布，不能修改项目关联")
        form = await request.form()
        other = _int("other", str(form.get("other") or "").lstrip("Pp"), 1)
        with writing(web.engine) as conn:
            if (
                other is None
                or not scope.sees_project(conn, project_id)
                or not scope.sees_project(conn, other)
            ):
                raise pages.NotFound("没有这个项目")
            found = project_entries(conn, [project_id, other])
            if len(found) != 2:
                raise pages.NotFound("没有这个项目")
            ids = [d.id for p in found for d in p.documents]
            infos = linking.current_documents(conn, ids)
            linking.record_merge(conn, [i.identity for i in infos], "网页合并")
            first = found[0].documents[0].id if found[0].documents else None
        relink(web.engine)
        search.refresh_store_facts(web.engine)
        with web.conn() as conn:
            new = search.linked_project(conn, first) if first is not None else None
        return RedirectResponse(f"/projects/{new or project_id}", status_code=303)

    @r.get("/documents/{document_id}", response_class=HTMLResponse)
    def document(request: Request, scope: S, document_id: ID) -> Response:
        with web.conn() as conn:
            data = pages.document_page(conn, scope, document_id)
        title = f"{data['kind_title']} {data['year'] or ''} {data['document'].get('project') or ''}"
        return web.page(request, "document.html", data=data, title=title)

    @r.get("/documents/{document_id}.json")
    def document_v1(scope: S, document_id: ID) -> Response:
        with web.conn() as conn:
            data = pages.document_page(conn, scope, document_id)
        return JSONResponse(data["document"])

    @r.get("/files/{sha256}")
    def file(scope: S, sha256: Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")]) -> Response:
        with web.conn() as conn:
            name, data = pages.original(conn, scope, sha256)
        return _download(data, name, "application/octet-stream")

    @r.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, scope: S, ids: CMP) -> Response:
        with web.conn() as conn:
            data = pages.compare(conn, scope, ids)
        return web.page(request, "compare.html", data=data, title="对比文档")

    @r.get("/findings", response_class=HTMLResponse)
    def findings(request: Request, scope: S, f: FF, pg: PG) -> Response:
        with web.conn() as conn:
            data = pages.finding_list(conn, scope, f, pg[0], pg[1] if pg[1] != 50 else 100)
        return web.page(request, "findings.html", data=data, title="问题清单")

    @r.get("/findings.csv")
    def findings_csv(scope: S, f: FF) -> Response:
        header = [
            "编号",
            "代码",
            "严重程度",
            "说明",
            "对象",
            "应为",
            "实为",
            "文档",
            "类型",
            "年度",
            "项目编号",
            "项目",
            "主管部门",
        ]
        with web.conn() as conn:
            rows: list[list[Any]] = []
            after: int | None = None
            while True:
                page = search.findings_page(conn, scope.findings(f), after=after, limit=1000)
                rows += [
                    [
                        x.id,
                        x.code,
                        SEVERITY_LABEL.get(x.severity, x.severity),
                        x.message,
                        x.subject,
                        x.expected,
                        x.actual,
                        x.document_id,
                        KIND_SHORT.get(x.kind, x.kind),
                        x.year,
                        x.project_id,
                        x.project,
                        x.department,
                    ]
                    for x in page.rows
                ]
                if page.after is None or len(rows) >= 200_000:
                    break
                after = page.after
        return _download(pages.csv_bytes(header, iter(rows)), "findings.csv", "text/csv; charset=utf-8")

    @r.get("/rules", response_class=HTMLResponse)
    def rules(request: Request, scope: S) -> Response:
        with web.conn() as conn:
            data = pages.rules(conn, scope)
        return web.page(request, "rules.html", data=data, title="检查规则")

    @r.get("/rules/{code}", response_class=HTMLResponse)
    def rule(request: Request, scope: S, code: Annotated[str, PathParam(max_length=40)]) -> Response:
        with web.conn() as conn:
            data = pages.rule(conn, scope, code)
        return web.page(request, "rule.html", data=data, title=f"{data['code']} {data['summary']}")

    @r.get("/dashboards", response_class=HTMLResponse)
    def dashboards(request: Request, scope: S, dept: DEPT) -> Response:
        with web.conn() as conn:
            data = pages.dashboards(conn, scope, dept)
        return web.page(request, "dashboards.html", data=data, title="仪表盘")

    @r.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request, scope: S) -> Response:
        limits = web.uploads.limits
        return web.page(
            request, "upload.html", title="上传", job=None, limits=limits, may=scope.may("upload")
        )

    @r.post("/upload")
    async def upload(request: Request, scope: S) -> Response:
        job = await _start_upload(web, request, scope)
        return RedirectResponse(f"/upload/{job.id}", status_code=303)

    @r.get("/upload/{job_id}", response_class=HTMLResponse)
    def upload_status(
        request: Request, scope: S, job_id: Annotated[str, PathParam(max_length=64)]
    ) -> Response:
        job = web.uploads.get(job_id)
        if job is None:
            raise pages.NotFound("没有这次上传")
        fragment = (
            request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "progress"
        )
        template = "upload_progress.html" if fragment else "upload.html"
        return web.page(
            request,
            template,
            title="上传",
            job=job.to_dict(),
            limits=web.uploads.limits,
            may=scope.may("upload"),
        )

    return r


def _download(data: bytes, name: str, media_type: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def from_env() -> FastAPI:
    """The application for ``jixiao serve`` (each uvicorn worker builds its own): the store named by
    ``JIXIAO_DB``, read-only when ``JIXIAO_READ_ONLY`` is set."""
    return create_app(os.environ.get("JIXIAO_DB"), read_only=bool(os.environ.get("JIXIAO_READ_ONLY")))
