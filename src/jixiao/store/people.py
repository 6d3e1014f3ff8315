"""The cycle's people in the store: the administered organisation tree, users, grants, API tokens, the audit log.

Keeps only (the rules live in :mod:`jixiao.cycle`): each function is one transaction, and every change it makes
is one ``audit_log`` row written in the same transaction, so the log is complete by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from jixiao.cycle.access import Actor, Grant, Role
from jixiao.cycle.orgs import Org, OrgError, OrgKind, OrgTree
from jixiao.cycle.passwords import StoredToken, hash_password, new_token, token_hash, verify
from jixiao.store import schema
from jixiao.store.engine import StoreError


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@contextmanager
def reading(source: Engine | Connection) -> Iterator[Connection]:
    """A connection to read with: ``source`` itself when it is one (so that a request's reads share one
    transaction), else a new one of the engine, closed afterwards."""
    if isinstance(source, Connection):
        yield source
    else:
        with source.connect() as conn:
            yield conn


def _audit(conn: Connection, actor: str, action: str, subject: str, reason: str = "") -> None:
    conn.execute(
        insert(schema.audit_log).values(at=_now(), actor=actor, action=action, subject=subject, reason=reason)
    )


def import_orgs(engine: Engine, orgs: Iterable[Org], *, actor: str) -> tuple[int, int]:
    """Add or change the organisations ``orgs`` (a whole tree or a part of one); none is removed.

    The tree the store holds afterwards must be sound (parents known, kinds that fit, no cycle); otherwise
    nothing is written. Returns (added, changed).
    """
    given: dict[str, Org] = {}
    for org in orgs:
        if org.code in given:
            raise StoreError(f"组织编码重复：{org.code}")
        given[org.code] = org
    added = changed = 0
    with engine.begin() as conn:
        have = {r.code: r for r in conn.execute(select(schema.cycle_orgs))}
        for org in given.values():
            row = {
                "name": org.name,
                "kind": org.kind.value,
                "parent_code": org.parent,
                "division_code": org.division,
            }
            old = have.get(org.code)
            if old is None:
                conn.execute(insert(schema.cycle_orgs).values(code=org.code, **row))
                added += 1
            elif any(getattr(old, k) != v for k, v in row.items()):
                conn.execute(
                    update(schema.cycle_orgs).where(schema.cycle_orgs.c.code == org.code).values(**row)
                )
                changed += 1
        kept = [_org(r) for r in have.values() if r.code not in given]
        try:  # what the store will hold must be one sound tree; otherwise nothing is written
            OrgTree.of([*kept, *given.values()])
        except OrgError as exc:
            raise StoreError(f"导入后组织树不成立：{exc}") from None
        _audit(conn, actor, "orgs.import", "orgs", f"新增 {added}，修改 {changed}")
    return added, changed


def _org(row: object) -> Org:
    return Org(
        code=row.code,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        kind=OrgKind(row.kind),  # type: ignore[attr-defined]
        parent=row.parent_code,  # type: ignore[attr-defined]
        division=row.division_code,  # type: ignore[attr-defined]
    )


def load_tree(source: Engine | Connection) -> OrgTree:
    with reading(source) as conn:
        return OrgTree.of(_org(r) for r in conn.execute(select(schema.cycle_orgs)))


@dataclass(frozen=True)
class User:
    id: int
    login: str
    name: str
    disabled: bool
    grants: tuple[Grant, ...]
    has_password: bool

    def actor(self) -> Actor:
        return Actor(user=self.login, grants=() if self.disabled else self.grants, name=self.name)


def add_user(
    engine: Engine,
    login: str,
    name: str,
    grants: Iterable[Grant],
    *,
    password: str | None = None,
    actor: str,
) -> User:
    """A new user with ``grants``; every grant's organisation must exist in the tree."""
    login = login.strip()
    if not login:
        raise StoreError("用户名不能为空")
    grants = tuple(grants)
    tree = load_tree(engine)
    for g in grants:
        if g.org not in tree:
            raise StoreError(f"组织编码不存在：{g.org}（先用 jixiao orgs import 导入组织）")
    digest = hash_password(password) if password is not None else None
    try:
        with engine.begin() as conn:
            uid = conn.execute(
                insert(schema.users).values(
                    login=login, name=name or login, password_hash=digest, disabled=False, created_at=_now()
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            for g in grants:
                conn.execute(
                    insert(schema.user_grants).values(user_id=uid, role=g.role.value, org_code=g.org)
                )
            roles = "、".join(f"{g.role.value}@{g.org}" for g in grants)
            _audit(conn, actor, "user.add", f"user:{login}", roles)
    except IntegrityError:
        raise StoreError(f"用户已存在：{login}") from None
    user = get_user(engine, login)
    assert user is not None
    return user


def get_user(engine: Engine, login: str) -> User | None:
    return _user_where(engine, schema.users.c.login == login)


def get_user_by_id(source: Engine | Connection, user_id: int) -> User | None:
    return _user_where(source, schema.users.c.id == user_id)


def any_users(engine: Engine) -> bool:
    """Whether the store has a user yet (``jixiao serve`` makes the first admin when not)."""
    with engine.connect() as conn:
        return conn.execute(select(schema.users.c.id).limit(1)).first() is not None


def _user_where(source: Engine | Connection, condition: ColumnElement[bool]) -> User | None:
    with reading(source) as conn:
        row = conn.execute(select(schema.users).where(condition)).first()
        if row is None:
            return None
        grants = tuple(
            Grant(Role(g.role), g.org_code)
            for g in conn.execute(
                select(schema.user_grants)
                .where(schema.user_grants.c.user_id == row.id)
                .order_by(schema.user_grants.c.id)
            )
        )
    return User(row.id, row.login, row.name, bool(row.disabled), grants, row.password_hash is not None)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        logins = [r.login for r in conn.execute(select(schema.users.c.login).order_by(schema.users.c.login))]
    return [u for login in logins if (u := get_user(engine, login)) is not None]


def disable_user(engine: Engine, login: str, *, actor: str, reason: str = "") -> None:
    """Disable a user (never deleted: the audit log keeps referring to them); their tokens are revoked."""
    with engine.begin() as conn:
        row = conn.execute(select(schema.users.c.id).where(schema.users.c.login == login)).first()
        if row is None:
            raise StoreError(f"没有这个用户：{login}")
        conn.execute(update(schema.users).where(schema.users.c.id == row.id).values(disabled=True))
        conn.execute(
            update(schema.api_tokens).where(schema.api_tokens.c.user_id == row.id).values(revoked=True)
        )
        _audit(conn, actor, "user.disable", f"user:{login}", reason)


def set_password(engine: Engine, login: str, password: str, *, actor: str) -> None:
    digest = hash_password(password)
    with engine.begin() as conn:
        done = conn.execute(
            update(schema.users).where(schema.users.c.login == login).values(password_hash=digest)
        )
        if not done.rowcount:
            raise StoreError(f"没有这个用户：{login}")
        _audit(conn, actor, "user.password", f"user:{login}")


@cache
def _dummy_hash() -> str:
    return hash_password("jixiao-unknown-user-1")


def authenticate(engine: Engine, login: str, password: str) -> User | None:
    """The user when ``password`` is theirs and they are enabled; an outdated hash is upgraded on the way."""
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.login == login)).first()
    if row is None or row.disabled or row.password_hash is None:
        verify(password, _dummy_hash())  # the same cost for an unknown user as for a wrong password
        return None
    ok, upgraded = verify(password, row.password_hash)
    if not ok:
        return None
    if upgraded:
        with engine.begin() as conn:
            conn.execute(
                update(schema.users).where(schema.users.c.id == row.id).values(password_hash=upgraded)
            )
    return get_user(engine, login)


def issue_token(engine: Engine, login: str, *, days: int, purpose: str, actor: str) -> str:
    """A new API token for ``login``, valid ``days``; returned once, stored hashed."""
    token, digest = new_token()
    with engine.begin() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.login == login)).first()
        if row is None or row.disabled:
            raise StoreError(f"没有这个可用的用户：{login}")
        conn.execute(
            insert(schema.api_tokens).values(
                user_id=row.id,
                digest=digest,
                purpose=purpose,
                created_at=_now(),
                expires_at=_now() + dt.timedelta(days=days),
                revoked=False,
            )
        )
        _audit(conn, actor, "token.issue", f"user:{login}", purpose)
    return token


def token_user(engine: Engine, token: str, now: dt.datetime | None = None) -> User | None:
    """The enabled user an unexpired, unrevoked token belongs to."""
    when = now or _now()
    with engine.connect() as conn:
        row = conn.execute(
            select(schema.api_tokens, schema.users.c.login)
            .join(schema.users, schema.users.c.id == schema.api_tokens.c.user_id)
            .where(schema.api_tokens.c.digest == token_hash(token), schema.api_tokens.c.revoked.is_(False))
        ).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    if not StoredToken(row.digest, row.login, expires).matches(token, when):
        return None
    user = get_user(engine, row.login)
    return None if user is None or user.disabled else user


def audit_entries(engine: Engine, subject: str | None = None, limit: int = 1000) -> list[dict[str, object]]:
    query = select(schema.audit_log).order_by(schema.audit_log.c.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(schema.audit_log.c.subject == subject)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def remove_grants(engine: Engine, login: str, *, actor: str) -> None:
    with engine.begin() as conn:
        row = conn.execute(select(schema.users.c.id).where(schema.users.c.login == login)).first()
        if row is None:
            raise StoreError(f"没有这个用户：{login}")
        conn.execute(delete(schema.user_grants).where(schema.user_grants.c.user_id == row.id))
        _audit(conn, actor, "user.grants.clear", f"user:{login}")
