"""Web sessions, the login throttle and one-time login links, kept in the store so that every server worker
agrees on them.

* A session id is random, lives only in the cookie; the store keeps its SHA-256 with the user, when it was made,
  last seen, and an absolute expiry.  :func:`session_user` refuses an idle or expired session (and deletes it).
* Failed logins are rows of ``login_failures``; ``limit`` failures within ``window`` lock the login for
  ``lock_for`` (``login_locks``).  The clock is passed in so tests need no sleeping.
* A one-time login link (the first admin's, a new user's) is a token whose hash is stored; it works once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from jixiao.cycle.passwords import token_hash
from jixiao.store import schema
from jixiao.store.engine import writing
from jixiao.store.people import User, get_user_by_id, reading


def _utc(t: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; the store writes UTC only."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Timeouts:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)
    touch_every: dt.timedelta = dt.timedelta(seconds=60)  # last_seen is written at most this often


def create_session(engine: Engine, user_id: int, now: dt.datetime, timeouts: Timeouts = Timeouts()) -> str:
    """A new session for ``user_id``; returns its id (the cookie's value), which is stored only hashed."""
    sid = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(
            insert(schema.web_sessions).values(
                digest=token_hash(sid),
                user_id=user_id,
                created_at=now,
                last_seen=now,
                expires_at=now + timeouts.absolute,
            )
        )
    return sid


def session_user(
    engine: Engine,
    sid: str,
    now: dt.datetime,
    timeouts: Timeouts = Timeouts(),
    conn: Connection | None = None,
) -> User | None:
    """The enabled user of a live session; an idle or expired session is deleted and gives None.  ``conn``: the
    caller's read connection, which the session and its user are read in (one transaction for a request's
    reads); the rare writes (an ended session, ``last_seen``) are their own."""
    if not sid or len(sid) > 200:
        return None
    digest = token_hash(sid)
    ws = schema.web_sessions
    with reading(conn or engine) as read:
        row = read.execute(select(ws).where(ws.c.digest == digest)).first()
        if row is None:
            return None
        last, expires = _utc(row.last_seen), _utc(row.expires_at)
        live = now < expires and now - last < timeouts.idle
        user = get_user_by_id(read, int(row.user_id)) if live else None
    if not live:
        end_session(engine, sid)
        return None
    if user is None or user.disabled:
        return None
    if now - last >= timeouts.touch_every:
        with writing(engine) as conn:
            conn.execute(update(ws).where(ws.c.digest == digest).values(last_seen=now))
    return user


def end_session(engine: Engine, sid: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(schema.web_sessions).where(schema.web_sessions.c.digest == token_hash(sid)))


def end_sessions_of(engine: Engine, user_id: int) -> None:
    """Every session of a user (a password change, a disabled account)."""
    with writing(engine) as conn:
        conn.execute(delete(schema.web_sessions).where(schema.web_sessions.c.user_id == user_id))


@dataclass(frozen=True)
class Throttle:
    limit: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock_for: dt.timedelta = dt.timedelta(minutes=15)


def locked_until(engine: Engine, login: str, now: dt.datetime) -> dt.datetime | None:
    with engine.connect() as conn:
        row = conn.execute(select(schema.login_locks).where(schema.login_locks.c.login == login)).first()
    if row is None:
        return None
    until = _utc(row.locked_until)
    return until if until > now else None


def record_failure(
    engine: Engine, login: str, now: dt.datetime, throttle: Throttle = Throttle()
) -> dt.datetime | None:
    """Count a failed login; returns the lock's end when this failure locks the login."""
    lf, ll = schema.login_failures, schema.login_locks
    with writing(engine) as conn:
        conn.execute(insert(lf).values(login=login, at=now))
        conn.execute(delete(lf).where(lf.c.login == login, lf.c.at < now - throttle.window))
        recent = conn.execute(select(func.count()).select_from(lf).where(lf.c.login == login)).scalar_one()
        if recent < throttle.limit:
            return None
        until = now + throttle.lock_for
        conn.execute(delete(lf).where(lf.c.login == login))
        conn.execute(delete(ll).where(ll.c.login == login))
        conn.execute(insert(ll).values(login=login, locked_until=until))
        return until


def clear_failures(engine: Engine, login: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(schema.login_failures).where(schema.login_failures.c.login == login))
        conn.execute(delete(schema.login_locks).where(schema.login_locks.c.login == login))


def create_login_link(
    engine: Engine, user_id: int, now: dt.datetime, valid: dt.timedelta = dt.timedelta(hours=24)
) -> str:
    """A one-time login token for ``user_id`` (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(
            insert(schema.login_links).values(
                digest=token_hash(token), user_id=user_id, created_at=now, expires_at=now + valid
            )
        )
    return token


def use_login_link(engine: Engine, token: str, now: dt.datetime) -> User | None:
    """The user of an unused, unexpired link, which is used up by this call (a second use gives None)."""
    if not token or len(token) > 200:
        return None
    ln = schema.login_links
    with writing(engine) as conn:
        row = conn.execute(select(ln).where(ln.c.digest == token_hash(token))).first()
        if row is None or row.used_at is not None or _utc(row.expires_at) <= now:
            return None
        done = conn.execute(
            update(ln).where(ln.c.digest == row.digest, ln.c.used_at.is_(None)).values(used_at=now)
        )
        if done.rowcount != 1:
            return None
        user_id = int(row.user_id)
    user = get_user_by_id(engine, user_id)
    return None if user is None or user.disabled else user
