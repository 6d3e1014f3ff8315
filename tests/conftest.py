from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = sorted((ROOT / "src" / "jixiao" / "samples").glob("*.txt"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
    return SHARED


# CI runs the property tests with a fixed seed, so a green run stays green; locally they explore.
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hyp_settings.load_profile("ci")
