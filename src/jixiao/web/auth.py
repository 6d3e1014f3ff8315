"""Who is asking: sessions (login / logout pages), hashed API tokens, the login throttle and one-time links.

* Password login (argon2 through :mod:`jixiao.store.people`): failures are counted per login in the store and
  lock it after repeated ones; an unknown login costs the same as a wrong password and is refused in the same
  words.  A successful login always gets a **new** session id (any session the browser brought is ended).
* The session cookie is ``HttpOnly`` and ``SameSite=Lax`` (``Secure`` over https); the store keeps only its
  hash, an idle timeout and an absolute expiry.
* ``Authorization: Bearer jx_…`` is an API token (hashed, expiring).  When the header is there, only the token
  counts: a bad token is anonymous, never the cookie's session (asgi-csrf does not check a Bearer request).
* A one-time login link (``/login/once/TOKEN``) signs in once and leads to setting a password.

:meth:`Auth.actor` is the request's :class:`jixiao.cycle.access.Actor`, which feeds the one permission filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, Engine

from jixiao.cycle.access import ANONYMOUS, Actor
from jixiao.cycle.passwords import PasswordError, message_locked
from jixiao.store import people, sessions
from jixiao.store.engine import StoreError

if TYPE_CHECKING:
    from jixiao.web.app import Web

COOKIE = "jixiao_session"
LOGIN_FAILED = "用户名或密码错误"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Who:
    actor: Actor
    user: people.User | None = None
    via: str = ""  # "session" | "token" | ""


class Auth:
    """Sessions, tokens and the throttle over one store; the clock can be replaced by tests."""

    def __init__(
        self,
        engine: Engine,
        *,
        timeouts: sessions.Timeouts | None = None,
        throttle: sessions.Throttle | None = None,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.engine = engine
        self.timeouts = timeouts or sessions.Timeouts()
        self.throttle = throttle or sessions.Throttle()
        self.clock = clock

    def who(self, request: Request, conn: Connection | None = None) -> Who:
        """The request's user (resolved once per request); ``conn``: a read connection to resolve it in."""
        cached = getattr(request.state, "jixiao_who", None)
        if isinstance(cached, Who):
            return cached
        who = self._resolve(request, conn)
        request.state.jixiao_who = who
        return who

    def actor(self, request: Request) -> Actor:
        return self.who(request).actor

    def _resolve(self, request: Request, conn: Connection | None = None) -> Who:
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return Who(ANONYMOUS)
            user = people.token_user(self.engine, token.strip(), self.clock())
            return Who(user.actor(), user, "token") if user else Who(ANONYMOUS)
        sid = request.cookies.get(COOKIE, "")
        if not sid:
            return Who(ANONYMOUS)
        user = sessions.session_user(self.engine, sid, self.clock(), self.timeouts, conn)
        return Who(user.actor(), user, "session") if user else Who(ANONYMOUS)

    def login(self, request: Request, login: str, password: str) -> tuple[str | None, str]:
        """A new session id for a right password, else None and the Chinese reason."""
        login = login.strip()[:128]
        now = self.clock()
        until = sessions.locked_until(self.engine, login, now)
        if until is not None:
            return None, message_locked(until, now)
        user = people.authenticate(self.engine, login, password[:1024]) if login else None
        if user is None or user.disabled:
            locked = sessions.record_failure(self.engine, login, now, self.throttle)
            return None, message_locked(locked, now) if locked else LOGIN_FAILED
        sessions.clear_failures(self.engine, login)
        old = request.cookies.get(COOKIE)
        if old:
            sessions.end_session(self.engine, old)
        return sessions.create_session(self.engine, user.id, now, self.timeouts), ""

    def set_cookie(self, request: Request, response: Response, sid: str) -> None:
        response.set_cookie(
            COOKIE,
            sid,
            max_age=int(self.timeouts.absolute.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )


def _safe_next(raw: str | None) -> str:
    """Only a path on this site (never ``//host`` or a scheme)."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/-/todo"
    return raw[:500]


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def router(web: Web, auth: Auth) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def page(request: Request, template: str, status: int = 200, **data: object) -> HTMLResponse:
        return web.page(request, template, status=status, who=auth.who(request), **data)

    @r.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str | None = None) -> Response:
        return page(request, "cycle_login.html", title="登录", next=_safe_next(next), error="", login="")

    @r.post("/login")
    async def login_post(request: Request) -> Response:
        form = await request.form()
        login = str(form.get("login") or "")
        nxt = _safe_next(str(form.get("next") or ""))
        sid, error = auth.login(request, login, str(form.get("password") or ""))
        if sid is None:
            status = 429 if "锁定" in error else 401
            return page(
                request, "cycle_login.html", status, title="登录", next=nxt, error=error, login=login[:128]
            )
        response = RedirectResponse(nxt, status_code=303)
        auth.set_cookie(request, response, sid)
        return response

    @r.post("/logout")
    def logout(request: Request) -> Response:
        sid = request.cookies.get(COOKIE)
        if sid:
            sessions.end_session(auth.engine, sid)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @r.get("/login/once/{token}")
    def login_once(request: Request, token: Annotated[str, PathParam(max_length=200)]) -> Response:
        user = sessions.use_login_link(auth.engine, token, auth.clock())
        if user is None:
            return page(
                request,
                "error.html",
                404,
                title="链接无效",
                status_code=404,
                code="link",
                message="登录链接无效、已过期或已使用",
            )
        old = request.cookies.get(COOKIE)
        if old:
            sessions.end_session(auth.engine, old)
        sid = sessions.create_session(auth.engine, user.id, auth.clock(), auth.timeouts)
        response = RedirectResponse("/account", status_code=303)
        auth.set_cookie(request, response, sid)
        return response

    @r.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> Response:
        who = auth.who(request)
        if who.user is None:
            return login_redirect(request)
        return page(request, "cycle_account.html", title="我的账户", error="", done=False)

    @r.post("/account/password")
    async def set_password(request: Request) -> Response:
        who = auth.who(request)
        if who.user is None or who.via != "session":
            return login_redirect(request)
        form = await request.form()
        new, again = str(form.get("password") or ""), str(form.get("again") or "")
        error = ""
        if new != again:
            error = "两次输入的密码不一致"
        else:
            try:
                people.set_password(auth.engine, who.user.login, new, actor=who.user.login)
            except (PasswordError, StoreError) as exc:
                error = str(exc)
        if error:
            return page(request, "cycle_account.html", 422, title="我的账户", error=error, done=False)
        sessions.end_sessions_of(auth.engine, who.user.id)  # every other browser signs in again
        sid = sessions.create_session(auth.engine, who.user.id, auth.clock(), auth.timeouts)
        response = page(request, "cycle_account.html", title="我的账户", error="", done=True)
        auth.set_cookie(request, response, sid)
        return response

    return r
