"""Passwords (argon2 through pwdlib), login throttling, and hashed API tokens.

* :func:`hash_password` / :func:`verify`: argon2id hashes; a hash made with older parameters is re-hashed on the
  next good login (``verify`` returns the new hash).
* :class:`Throttle`: after ``limit`` failures within ``window``, an account is locked for ``lock_for``; the
  clock is passed in, so tests need no sleeping.
* :func:`new_token` / :func:`token_hash`: machine tokens shown once, stored only as SHA-256 with an expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from functools import cache

from pwdlib import PasswordHash


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


MIN_LENGTH = 10


class PasswordError(ValueError):
    """A password that may not be set (the message is one Chinese line)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"密码至少需要 {MIN_LENGTH} 个字符")
    if password.isdigit() or password.isalpha():
        raise PasswordError("密码不能只由数字或只由字母组成")
    return _hasher().hash(password)


def verify(password: str, stored: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored``, and a new hash when the stored one should be upgraded."""
    try:
        return _hasher().verify_and_update(password, stored)
    except Exception:  # an unreadable stored hash never logs anyone in
        return False, None


@dataclass
class Throttle:
    """Failed logins per account; locked after ``limit`` failures within ``window``."""

    limit: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock_for: dt.timedelta = dt.timedelta(minutes=15)
    _failures: dict[str, list[dt.datetime]] = field(default_factory=dict)
    _locked_until: dict[str, dt.datetime] = field(default_factory=dict)

    def locked(self, account: str, now: dt.datetime) -> dt.datetime | None:
        """Until when ``account`` is locked, or None."""
        until = self._locked_until.get(account)
        if until is not None and until > now:
            return until
        self._locked_until.pop(account, None)
        return None

    def failed(self, account: str, now: dt.datetime) -> dt.datetime | None:
        """Record a failure; returns the lock's end when this failure locks the account."""
        recent = [t for t in self._failures.get(account, []) if now - t < self.window]
        recent.append(now)
        self._failures[account] = recent
        if len(recent) >= self.limit:
            self._failures.pop(account, None)
            self._locked_until[account] = now + self.lock_for
            return self._locked_until[account]
        return None

    def succeeded(self, account: str) -> None:
        self._failures.pop(account, None)


def message_locked(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return f"登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试"


TOKEN_PREFIX = "jx_"


def new_token() -> tuple[str, str]:
    """A new API token (shown once) and the hash to store."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredToken:
    digest: str
    user: str
    expires: dt.datetime

    def matches(self, token: str, now: dt.datetime) -> bool:
        return now < self.expires and secrets.compare_digest(self.digest, token_hash(token))
