from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pg import fresh_database

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = sorted((ROOT / "src" / "jixiao" / "samples").glob("*.txt"))
REAL = SHARED / "corpus" / "real"
CI = bool(os.environ.get("CI"))
# Words of every skip reason that means "the shared material beside the repository is missing".
_SHARED_WORDS = ("shared", "corpus")


def needs_shared(path: Path = SHARED / "seeds") -> Path:
    """``path`` under ../shared; a test without it skips locally and fails under ``CI=true``."""
    if not path.exists():
        message = f"shared material not found at {path}"
        if CI:
            pytest.fail(message + " (CI=true: a test that needs ../shared fails instead of skipping)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    needs_shared()
    return SHARED


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, its URL (dropped afterwards); skips without a server."""
    with fresh_database() as url:
        yield url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Under ``CI=true``, a test skipped because the shared material is missing (``skipif`` markers and
    fixtures elsewhere included) is reported as failed: a clean clone must not pass by skipping."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).lower()
        if any(w in reason for w in _SHARED_WORDS) and "postgresql" not in reason:
            report.outcome = "failed"
            report.longrepr = f"CI=true: needed shared material is missing ({report.longrepr[2]})"


# CI runs the property tests with a fixed seed, so a green run stays green; locally they explore.
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("ci", derandomize=True, print_blob=True)
if CI:
    _hyp_settings.load_profile("ci")
