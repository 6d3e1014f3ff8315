"""The cross-document checks after linking give the same findings in worker processes as in one (each worker
reads the store itself, a few projects at a time), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jixiao import ingest
from jixiao.ingest import check_projects, ingest_files
from jixiao.pipeline import Options
from jixiao.store import open_engine, schema
from jixiao.store.query import document_ids
from tests.store.conftest import SEEDS


def _findings(url: str) -> list[tuple[object, ...]]:
    engine = open_engine(url)
    f = schema.findings
    with engine.connect() as conn:
        rows = conn.execute(select(f.c.document_id, f.c.code, f.c.ordinal, f.c.message, f.c.subject)).all()
    engine.dispose()
    return sorted(tuple(r) for r in rows)


def test_cross_document_checks_in_workers_match_one_process(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(db_url)
    ingest_files(engine, SEEDS, workers=1)
    options = Options()
    with engine.connect() as conn:
        ids = document_ids(conn)
    check_projects(engine, ids, options, workers=1)
    alone = _findings(db_url)
    assert any(str(code).startswith("C-") for _d, code, *_rest in alone)
    monkeypatch.setattr(ingest, "_CHECK_DOCUMENTS", 3)  # many batches, so the pool really shares them out
    check_projects(engine, ids, options, workers=2)
    engine.dispose()
    assert _findings(db_url) == alone
