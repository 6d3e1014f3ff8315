from __future__ import annotations

import datetime as dt

import pytest

from jixiao.cycle.passwords import (
    PasswordError,
    StoredToken,
    Throttle,
    hash_password,
    message_locked,
    new_token,
    verify,
)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_hash_and_verify() -> None:
    stored = hash_password("correct horse 9")
    assert stored.startswith("$argon2")
    assert verify("correct horse 9", stored)[0]
    assert not verify("correct horse 8", stored)[0]
    assert not verify("anything", "not a hash")[0]


@pytest.mark.parametrize("weak", ["short1", "1234567890123", "abcdefghijkl"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(PasswordError):
        hash_password(weak)


def test_throttle_locks_after_repeated_failures_and_unlocks_later() -> None:
    t = Throttle(limit=3, window=dt.timedelta(minutes=10), lock_for=dt.timedelta(minutes=15))
    assert t.failed("u", T0) is None
    assert t.failed("u", T0 + dt.timedelta(minutes=1)) is None
    until = t.failed("u", T0 + dt.timedelta(minutes=2))
    assert until == T0 + dt.timedelta(minutes=17)
    assert t.locked("u", T0 + dt.timedelta(minutes=5)) == until
    assert "分钟后再试" in message_locked(until, T0 + dt.timedelta(minutes=5))
    assert t.locked("u", until + dt.timedelta(seconds=1)) is None
    assert t.locked("v", T0) is None


def test_old_failures_fall_out_of_the_window_and_success_resets() -> None:
    t = Throttle(limit=2, window=dt.timedelta(minutes=10))
    t.failed("u", T0)
    assert t.failed("u", T0 + dt.timedelta(minutes=11)) is None  # the first is outside the window
    t.succeeded("u")
    assert t.failed("u", T0 + dt.timedelta(minutes=12)) is None


def test_tokens_are_stored_hashed_and_expire() -> None:
    token, digest = new_token()
    assert token.startswith("jx_")
    assert token not in digest
    stored = StoredToken(digest, "robot", T0 + dt.timedelta(days=30))
    assert stored.matches(token, T0)
    assert not stored.matches(token + "x", T0)
    assert not stored.matches(token, T0 + dt.timedelta(days=31))
