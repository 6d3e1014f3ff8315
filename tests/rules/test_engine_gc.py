"""check_documents pauses the cyclic collector while it runs and leaves it as it found it."""

from __future__ import annotations

import gc

from jixiao import parse_file
from jixiao.rules.engine import check_documents
from tests.conftest import SEEDS


def test_collector_state_is_restored() -> None:
    docs = parse_file(SEEDS[0]).documents
    assert gc.isenabled()
    first = check_documents(docs)
    assert gc.isenabled()
    gc.disable()
    try:
        assert check_documents(docs) == first
        assert not gc.isenabled()
    finally:
        gc.enable()
